import { LEADER_ROLES, ROLES, TEAM_ROLES } from '../../lib/roles';
import { AID_STATUSES } from '../aid/help-acts';

/**
 * The roster's sheets and columns, exactly as docs/design.md §4 names them. Headers
 * are Chinese because operators type them in Excel.
 */

export type SheetKind = 'villages' | 'units' | 'cadres' | 'households' | 'groups';

export interface SheetSpec {
  kind: SheetKind;
  /** Sheet name in the .xlsx workbook. */
  sheet: string;
  /** File name in a roster folder. */
  file: string;
  required: boolean;
  /** Headers that must be present. */
  columns: readonly string[];
  /** Headers that may be absent (their cells are optional too). */
  optionalColumns: readonly string[];
}

export const SHEETS: readonly SheetSpec[] = [
  {
    kind: 'villages',
    sheet: '村',
    file: 'villages.csv',
    required: true,
    columns: ['市', '县区', '乡镇', '村', '类型', '贫困村', '纬度', '经度'],
    optionalColumns: [],
  },
  {
    kind: 'units',
    sheet: '单位',
    file: 'units.csv',
    required: true,
    columns: ['单位', '联系村'],
    optionalColumns: ['联系开始日期'],
  },
  {
    kind: 'cadres',
    sheet: '干部',
    file: 'cadres.csv',
    required: true,
    columns: ['账号', '姓名', '手机', '单位', '角色', '管辖范围'],
    optionalColumns: ['驻村村', '驻村开始日期', '驻村结束日期'],
  },
  {
    kind: 'households',
    sheet: '农户',
    file: 'households.csv',
    required: true,
    columns: ['县区', '乡镇', '村', '户主', '类别', '人口', '联户干部账号'],
    optionalColumns: ['联系开始日期', '致贫原因', '帮扶状态'],
  },
  {
    kind: 'groups',
    sheet: '群',
    file: 'groups.csv',
    required: false,
    columns: ['范围', '名称', '机器人key'],
    optionalColumns: [],
  },
];

export const VILLAGE_KINDS = ['村', '社区'] as const;
export const YES_NO: Record<string, boolean> = { 是: true, 否: false };
export { ROLES };
/** Roles with a 管辖范围 (scope): required of a 领导; a 管理员 without one has the whole province. */
export const SCOPED_ROLES: readonly string[] = LEADER_ROLES;
export const ADMIN_ROLE = '管理员';
/** Roles that may have a 驻村村 and 驻村 dates (the resident work team). */
export const RESIDENT_ROLES: readonly string[] = TEAM_ROLES;
export const CATEGORIES = ['贫困户', '特困户', '低保户', '五保户', '一般户'] as const;
export { AID_STATUSES };
/** Scope text meaning the whole province. */
export const WHOLE_PROVINCE = '全省';

/** A cell as the readers hand it over: text, or a Date for Excel date cells. */
export type Cell = string | Date;

/** One data row: its number as the spreadsheet shows it (header = 1) and its cells by header. */
export interface SheetRow {
  row: number;
  cells: Map<string, Cell>;
}
