import { pinyin } from 'pinyin-pro';
import { PROVINCE_NAME } from '../people/regions';
import {
  CellError, decimal, integer, MSG, oneOf, optionalDate, pathParts, placeName, required, text,
} from './cells';
import {
  ADMIN_ROLE, AID_STATUSES, CATEGORIES, RESIDENT_ROLES, ROLES, SCOPED_ROLES, VILLAGE_KINDS, WHOLE_PROVINCE, YES_NO,
  type Cell, type SheetKind, type SheetRow,
} from './sheets';

/**
 * Cell-level validation of one row, turning it into a staging tuple. Checks that
 * need other rows or the database (duplicates, references) run later in SQL.
 * A bad row is still staged (ok = false) with whatever keys it has, so rows
 * that refer to it are not reported a second time.
 */
export type StageValue = string | number | boolean | null;

export interface StagedRow {
  values: StageValue[];
  reasons: string[];
}

const M = {
  linkPath: '联系村应写成“县区/乡镇/村”',
  residentPath: '驻村村应写成“县区/乡镇/村”',
  residentRole: (role: string) => `${role}不是驻村工作队员，不填驻村村和驻村日期（队员、队长、第一书记才填）`,
  residentDates: '驻村结束日期不能早于驻村开始日期',
  scopeParts: '管辖范围应为 全省、市、市/县区 或 市/县区/乡镇',
  scopeMissing: (role: string) => `${role}需要填写管辖范围`,
  unitMissing: (role: string) => `${role}需要填写单位`,
  groupScope: '范围应写成“市/县区/乡镇[/村]”',
  bothCoordinates: '纬度和经度应同时填写或同时留空',
  userid: (v: string) => `账号“${v}”只能含字母、数字和 _ - . @（1–64 位）`,
  mobile: (v: string) => `手机“${v}”格式不对`,
} as const;

/** Staging table columns per sheet, in tuple order (row first, ok last). */
export const STAGE_COLUMNS: Record<SheetKind, [string, string][]> = {
  villages: [['row', 'int'], ['city', 'text'], ['county', 'text'], ['township', 'text'], ['village', 'text'],
    ['kind', 'text'], ['is_poor', 'boolean'], ['lat', 'float8'], ['lng', 'float8'], ['initials', 'text'], ['ok', 'boolean']],
  units: [['row', 'int'], ['unit', 'text'], ['county', 'text'], ['township', 'text'], ['village', 'text'],
    ['valid_from', 'date'], ['ok', 'boolean']],
  cadres: [['row', 'int'], ['userid', 'text'], ['name', 'text'], ['mobile', 'text'], ['unit', 'text'],
    ['role', 'text'], ['scope', 'text'], ['res_county', 'text'], ['res_township', 'text'], ['res_village', 'text'],
    ['res_from', 'date'], ['res_to', 'date'], ['ok', 'boolean']],
  households: [['row', 'int'], ['county', 'text'], ['township', 'text'], ['village', 'text'], ['householder', 'text'],
    ['category', 'text'], ['size', 'int'], ['userid', 'text'], ['valid_from', 'date'], ['poverty_cause', 'text'],
    ['aid_status', 'text'], ['ok', 'boolean']],
  groups: [['row', 'int'], ['scope', 'text'], ['name', 'text'], ['robot_key', 'text'], ['ok', 'boolean']],
};

export function stageRow(kind: SheetKind, r: SheetRow): StagedRow {
  const reasons: string[] = [];
  const c = r.cells;
  /** Runs one cell reader; on a bad cell records the reason and returns the fallback. */
  const get = <T>(read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (e) {
      if (!(e instanceof CellError)) throw e;
      reasons.push(e.message);
      return fallback;
    }
  };
  const values = STAGERS[kind](c, get, reasons);
  return { values: [r.row, ...values, reasons.length === 0], reasons };
}

type Get = <T>(read: () => T, fallback: T) => T;
type Stager = (c: Map<string, Cell>, get: Get, reasons: string[]) => StageValue[];

const STAGERS: Record<SheetKind, Stager> = {
  villages(c, get, reasons) {
    const names = ['市', '县区', '乡镇', '村'].map((col) => get(() => placeName(c, col), text(c, col)));
    const kind = get(() => oneOf(c, '类型', VILLAGE_KINDS), null);
    const poorText = text(c, '贫困村');
    const isPoor = poorText === '' ? false : YES_NO[poorText];
    if (isPoor === undefined) reasons.push(MSG.oneOf('贫困村', poorText, Object.keys(YES_NO)));
    const lat = get(() => decimal(c, '纬度', 3, 54), null);
    const lng = get(() => decimal(c, '经度', 73, 136), null);
    if ((text(c, '纬度') === '') !== (text(c, '经度') === '')) reasons.push(M.bothCoordinates);
    return [...names, kind, isPoor ?? false, lat, lng, initialsOf(names[3])];
  },
  units(c, get, reasons) {
    const unit = get(() => required(c, '单位', 200), text(c, '单位'));
    const link = get(() => required(c, '联系村', 400), '');
    let parts = link === '' ? ['', '', ''] : pathParts(link);
    if (parts.length !== 3 || parts.some((p) => p === '')) {
      if (link !== '') reasons.push(M.linkPath);
      parts = ['', '', ''];
    }
    return [unit, ...parts, get(() => optionalDate(c, '联系开始日期'), null)];
  },
  cadres(c, get, reasons) {
    const userid = get(() => required(c, '账号', 64), text(c, '账号'));
    if (userid !== '' && !/^[A-Za-z0-9_.@-]{1,64}$/.test(userid)) reasons.push(M.userid(userid));
    const name = get(() => required(c, '姓名', 50), '');
    const mobile = text(c, '手机');
    if (mobile !== '' && !/^\+?[0-9][0-9 -]{4,19}$/.test(mobile)) reasons.push(M.mobile(mobile));
    const role = get(() => oneOf(c, '角色', ROLES), null);
    const unit = text(c, '单位');
    if (unit.length > 200) reasons.push(MSG.tooLong('单位', 200));
    if (unit === '' && role !== null && !SCOPED_ROLES.includes(role)) reasons.push(M.unitMissing(role));
    let scope: string | null = null;
    if (role !== null && SCOPED_ROLES.includes(role)) {
      const raw = text(c, '管辖范围');
      const parts = pathParts(raw);
      if (raw === '' && role === ADMIN_ROLE) scope = WHOLE_PROVINCE;
      else if (raw === '') reasons.push(M.scopeMissing(role));
      else if (raw === WHOLE_PROVINCE || raw === PROVINCE_NAME) scope = WHOLE_PROVINCE;
      else if (parts.length > 3 || parts.some((p) => p === '')) reasons.push(M.scopeParts);
      else scope = parts.join('/');
    }
    return [userid, name, mobile.replace(/[ -]/g, ''), unit === '' ? null : unit, role, scope, ...residentStay(c, get, reasons, role)];
  },
  households(c, get, reasons) {
    const names = ['县区', '乡镇', '村'].map((col) => get(() => placeName(c, col), text(c, col)));
    const householder = get(() => required(c, '户主', 50), text(c, '户主'));
    const category = get(() => oneOf(c, '类别', CATEGORIES), null);
    const size = get(() => integer(c, '人口', 1, 99), null);
    // An empty 联户干部账号 imports the household unlinked: not covered (两个全覆盖).
    const userid = text(c, '联户干部账号');
    if (userid.length > 64) reasons.push(MSG.tooLong('联户干部账号', 64));
    // 致贫原因 and 帮扶状态 are optional and follow the file: empty or absent clears them.
    const cause = text(c, '致贫原因');
    if (cause.length > 100) reasons.push(MSG.tooLong('致贫原因', 100));
    const status = text(c, '帮扶状态') === '' ? null : get(() => oneOf(c, '帮扶状态', AID_STATUSES), null);
    return [...names, householder, category, size, userid, get(() => optionalDate(c, '联系开始日期'), null),
      cause === '' ? null : cause, status];
  },
  groups(c, get, reasons) {
    const raw = get(() => required(c, '范围', 400), '');
    const parts = pathParts(raw);
    let scope: string | null = null;
    if (raw !== '' && (parts.length > 4 || parts.some((p) => p === ''))) reasons.push(M.groupScope);
    else if (raw !== '') scope = raw === PROVINCE_NAME ? WHOLE_PROVINCE : parts.join('/');
    const name = get(() => required(c, '名称', 100), '');
    const key = get(() => required(c, '机器人key', 100), '');
    return [scope, name, key];
  },
};

/**
 * A team member's 驻村村 (county, township, village; '' when none) and 驻村 first and last
 * days, all optional; only the resident team may have them.
 */
function residentStay(c: Map<string, Cell>, get: Get, reasons: string[], role: string | null): StageValue[] {
  const path = text(c, '驻村村');
  let parts = ['', '', ''];
  if (path !== '') {
    const p = pathParts(path);
    if (p.length === 3 && p.every((x) => x !== '')) parts = p;
    else reasons.push(M.residentPath);
  }
  const from = get(() => optionalDate(c, '驻村开始日期'), null);
  const to = get(() => optionalDate(c, '驻村结束日期'), null);
  const given = [path, text(c, '驻村开始日期'), text(c, '驻村结束日期')].some((v) => v !== '');
  if (given && role !== null && !RESIDENT_ROLES.includes(role)) reasons.push(M.residentRole(role));
  if (from !== null && to !== null && to < from) reasons.push(M.residentDates);
  return [...parts, from, to];
}

/** Pinyin initials of a village name without 村/社区, lower case: 丁门村 → "dm". */
export function initialsOf(name: string): string {
  const base = name.replace(/(村|社区)$/, '') || name;
  return pinyin(base, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 40);
}
