import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Region } from '../../../entities';
import { LEDGER_SELECT, ledgerWhere, type LedgerRow } from '../console/ledger';
import { helpLedgerRows } from '../aid/help-acts';
import { photoLinks } from '../photos/query';
import { cadreStanding, unitStanding } from '../standing/console-standing';
import { subtreeLike } from '../people/regions';
import { assessRegion, CADRE_COMPONENTS, COMPONENT_LABELS, UNIT_COMPONENTS, type ComponentKey, type Scored } from '../assessment/scores';
import type { AssessmentPeriod } from '../assessment/scheme';
import { formatDuration } from '../../lib/time';
import { PLACE_HEADERS, TableSheet, placeColumns, type ExportHeading } from './sheet-layout';
import type { Db } from '../../lib/db';

/**
 * xlsx exports for any scope and date range: rows are read in keyset batches
 * and written through exceljs's streaming WorkbookWriter to a temporary file,
 * so a province-wide year never sits in memory. The file is sent only once it
 * is complete: a failure half-way is an error status, never a truncated download.
 */

/** Villages per batch query: ~250 households and a few hundred visits a year each. */
const VILLAGE_CHUNK = 20;
/** Standing rows per page (each page re-runs the set-based standing query). */
const STANDING_PAGE = 5000;

const STATUS_TEXT: Record<string, string> = { open: '未销号', closed: '已销号', revoked: '已撤销' };
const SOURCE_TEXT: Record<string, string> = { chat: '消息', location: '位置', h5: 'H5', console: '控制台' };
const YES = '是';
const NO = '否';

/** Headers after 序号 (the layout adds it); widths come from the content (sheet-layout). */
const LEDGER_COLUMNS = ['编号', ...PLACE_HEADERS, '问题描述', '类别', '上报人', '上报时间', '责任人/责任单位', '整改期限', '状态',
  '销号时间', '整改说明', '照片'];
const VISIT_COLUMNS = ['日期', '干部', '单位', ...PLACE_HEADERS, '签到', '签退', '时长', '是否定位核验', '距离(米)', '来源', '自动签退'];
const HOUSEHOLD_VISIT_COLUMNS = ['日期', '干部', '农户', ...PLACE_HEADERS, '谈心', '内容', '帮扶状态', '致贫原因'];
/** The 帮扶台账, laid out like the 问题台账: place, household, the act, who. */
const HELP_LEDGER_COLUMNS = [...PLACE_HEADERS, '户主', '农户类别', '致贫原因', '帮扶状态', '帮扶类别', '帮扶内容', '金额(元)', '帮扶干部',
  '单位', '时间'];
const UNIT_STANDING_COLUMNS = ['单位', ...PLACE_HEADERS, '进村次数', '进村天数', '是否滞后'];
const CADRE_STANDING_COLUMNS = ['干部', '角色', '单位', '联系户数', '达到进度户数', '入户次数', '到村天数', '是否滞后'];

/** Shanghai wall-clock "YYYY-MM-DD HH:mm" for a cell. */
export function stamp(d: Date | null): string {
  if (!d) return '';
  return new Date(new Date(d).getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

export interface ExportRange { from: Date; to: Date }

type Writer = ExcelJS.stream.xlsx.WorkbookWriter;

/**
 * Walks the scope's villages in path order, VILLAGE_CHUNK at a time (regions_path_idx),
 * so each batch query is an index range per village — not a re-scan of the whole scope
 * per batch as id-keyset paging over a join would be.
 */
export async function eachVillageChunk(db: Db, scope: Region, fn: (villageIds: number[]) => Promise<void>): Promise<void> {
  let after = '';
  for (;;) {
    const rows: { id: number; path: string }[] = await db.query(
      `SELECT id, path FROM regions WHERE path LIKE $1 AND level = 4 AND path > $2 ORDER BY path LIMIT ${VILLAGE_CHUNK}`,
      [subtreeLike(scope.path), after],
    );
    if (rows.length === 0) return;
    await fn(rows.map((r) => r.id));
    after = rows[rows.length - 1].path;
    if (rows.length < VILLAGE_CHUNK) return;
  }
}

/** A finished workbook: its bytes, to be read once. */
export interface BuiltWorkbook {
  size: number;
  stream: Readable;
}

/**
 * Writes the whole workbook to a temporary file and opens it for reading; rejects if any
 * step fails. The file is unlinked as soon as it is open (its bytes live until the stream
 * closes), so neither a failure nor a client that goes away leaves it behind.
 */
export async function buildWorkbook(fill: (wb: Writer) => Promise<void>, dir = tmpdir()): Promise<BuiltWorkbook> {
  const filename = join(dir, `sl-export-${randomUUID()}.xlsx`);
  const out = createWriteStream(filename);
  try {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
    await fill(wb);
    await wb.commit();
    const file = await open(filename, 'r');
    const { size } = await file.stat();
    return { size, stream: file.createReadStream() };
  } finally {
    out.destroy();
    await rm(filename, { force: true });
  }
}

/** `photoBase`: the console's external URL (PUBLIC_URL), so the 照片 column holds links that open the pictures. */
export function exportLedger(
  db: Db, scope: Region, range: ExportRange, now: Date, photoBase: string, heading: ExportHeading,
): Promise<BuiltWorkbook> {
  return buildWorkbook(async (wb) => {
    const ws = new TableSheet(wb, '问题台账', '问题台账', heading, LEDGER_COLUMNS);
    const { where, params } = ledgerWhere(scope, { from: range.from, to: range.to }, now);
    const sql = `${LEDGER_SELECT} WHERE ${where} AND p.village_id = ANY($${params.length + 1}) ORDER BY r.path, p.id`;
    await eachVillageChunk(db, scope, async (villageIds) => {
      const rows: LedgerRow[] = await db.query(sql, [...params, villageIds]);
      const photos = await photoLinks(db, rows.map((p) => p.id), photoBase);
      for (const p of rows) {
        ws.add([
          p.code, p.county, p.township, p.village, p.description, p.category, p.reporter, stamp(p.reportedAt),
          [p.owner, p.ownerUnit].filter(Boolean).join(' / '), p.deadline,
          p.overdue ? '逾期' : STATUS_TEXT[p.status], stamp(p.closedAt), p.closeNote ?? '', photos.get(p.id) ?? '',
        ]);
      }
    });
    ws.commit();
  });
}

interface VisitRow {
  cadre: string; unit: string | null; village: string; started_at: Date; ended_at: Date | null;
  duration_minutes: number | null; verified: boolean; distance_m: number | null; source: string; auto_closed: boolean;
}
interface HouseholdVisitRow {
  cadre: string; householder: string; village: string; visited_at: Date; talk: boolean; note: string;
  aid_status: string | null; poverty_cause: string | null;
}

export function exportVisits(db: Db, scope: Region, range: ExportRange, heading: ExportHeading): Promise<BuiltWorkbook> {
  return buildWorkbook(async (wb) => {
    const ws = new TableSheet(wb, '走访记录表', '走访记录表', heading, VISIT_COLUMNS);
    await eachVillageChunk(db, scope, async (villageIds) => {
      const rows: VisitRow[] = await db.query(
        `SELECT c.name AS cadre, u.name AS unit, r.full_name AS village, v.started_at, v.ended_at, v.duration_minutes,
                v.verified, v.distance_m, v.source, v.auto_closed
           FROM regions r JOIN visits v ON v.village_id = r.id JOIN cadres c ON c.id = v.cadre_id LEFT JOIN units u ON u.id = c.unit_id
          WHERE v.village_id = ANY($3) AND v.revoked_at IS NULL AND v.started_at >= $1 AND v.started_at < $2
          ORDER BY r.path, v.started_at, v.id`,
        [range.from, range.to, villageIds],
      );
      for (const v of rows) {
        ws.add([
          stamp(v.started_at).slice(0, 10), v.cadre, v.unit ?? '', ...placeColumns(v.village), stamp(v.started_at), stamp(v.ended_at),
          v.duration_minutes === null ? '未签退' : formatDuration(v.duration_minutes), v.verified ? YES : NO,
          v.distance_m ?? '', SOURCE_TEXT[v.source] ?? v.source, v.auto_closed ? YES : NO,
        ]);
      }
    });
    ws.commit();
    const hs = new TableSheet(wb, '入户走访', '入户走访记录表', heading, HOUSEHOLD_VISIT_COLUMNS);
    await eachVillageChunk(db, scope, async (villageIds) => {
      const rows: HouseholdVisitRow[] = await db.query(
        `SELECT c.name AS cadre, h.householder, r.full_name AS village, hv.visited_at, hv.talk, hv.note, h.aid_status, h.poverty_cause
           FROM regions r JOIN household_visits hv ON hv.village_id = r.id JOIN cadres c ON c.id = hv.cadre_id
           JOIN households h ON h.id = hv.household_id
          WHERE hv.village_id = ANY($3) AND hv.revoked_at IS NULL AND hv.visited_at >= $1 AND hv.visited_at < $2
          ORDER BY r.path, hv.visited_at, hv.id`,
        [range.from, range.to, villageIds],
      );
      for (const h of rows) {
        hs.add([stamp(h.visited_at).slice(0, 10), h.cadre, h.householder, ...placeColumns(h.village), h.talk ? YES : NO, h.note,
          h.aid_status ?? '', h.poverty_cause ?? '']);
      }
    });
    hs.commit();
  });
}

/** 帮扶台账: the 六送 acts of the range, village by village, with each household's 致贫原因 and 帮扶状态. */
export function exportHelpLedger(db: Db, scope: Region, range: ExportRange, heading: ExportHeading): Promise<BuiltWorkbook> {
  return buildWorkbook(async (wb) => {
    const ws = new TableSheet(wb, '帮扶台账', '帮扶台账', heading, HELP_LEDGER_COLUMNS);
    await eachVillageChunk(db, scope, async (villageIds) => {
      for (const a of await helpLedgerRows(db, villageIds, range)) {
        ws.add([
          a.county, a.township, a.village, a.householder, a.category, a.povertyCause ?? '', a.aidStatus ?? '',
          a.kind, a.note, a.amountYuan === null ? '' : Number(a.amountYuan), a.cadre, a.unit ?? '', stamp(a.actedAt),
        ]);
      }
    });
    ws.commit();
  });
}

/**
 * Standing as of `now` (year to date), or as of the end of `asOf` (a day before today) like the
 * console's 任务进度; pages through the set-based standing queries.
 */
export function exportStanding(db: Db, scope: Region, now: Date, heading: ExportHeading, asOf?: string): Promise<BuiltWorkbook> {
  return buildWorkbook(async (wb) => {
    const us = new TableSheet(wb, '单位联村', '单位联村任务进度', heading, UNIT_STANDING_COLUMNS);
    for (let offset = 0; ; offset += STANDING_PAGE) {
      const page = await unitStanding(db, scope, now, { sort: 'name', behindOnly: false, limit: STANDING_PAGE, offset }, asOf);
      for (const u of page.rows) us.add([u.unitName, ...placeColumns(u.villageFullName), u.visits, u.days, u.behind ? '滞后' : '达标']);
      if (page.rows.length < STANDING_PAGE) break;
    }
    us.commit();
    const cs = new TableSheet(wb, '干部联户', '干部联户任务进度', heading, CADRE_STANDING_COLUMNS);
    for (let offset = 0; ; offset += STANDING_PAGE) {
      const page = await cadreStanding(db, scope, now, { sort: 'name', behindOnly: false, limit: STANDING_PAGE, offset }, asOf);
      for (const c of page.rows) {
        cs.add([c.name, c.role, c.unitName ?? '', c.households, c.householdsOnPace, c.householdVisits, c.daysOnSite,
          c.behind ? '滞后' : '达标']);
      }
      if (page.rows.length < STANDING_PAGE) break;
    }
    cs.commit();
  });
}

/** 考评结果 for 公示: one sheet of cadres and one of units, each component's points, the total and the ranks. */
export function exportAssessment(db: Db, scope: Region, period: AssessmentPeriod, heading: ExportHeading): Promise<BuiltWorkbook> {
  return buildWorkbook(async (wb) => {
    const result = await assessRegion(db, scope, period);
    const write = (name: string, rows: Scored[], keys: ComponentKey[], nameColumn: string | null) => {
      const ws = new TableSheet(wb, name, `${name}结果`, heading, [
        '单位', ...(nameColumn ? [nameColumn] : []), ...PLACE_HEADERS, ...keys.map((k) => COMPONENT_LABELS[k]),
        '工作实绩', '领导评议', '群众评议', '总分', '乡镇排名', '县区排名',
      ]);
      for (const r of rows) {
        const byKey = new Map(r.components.map((c) => [c.key, c.points]));
        ws.add([
          r.unitName ?? '', ...(nameColumn ? [r.name] : []), ...placeColumns(r.villageFullName), ...keys.map((k) => byKey.get(k) ?? ''),
          r.work, r.leader ?? '', r.mass ?? '', r.total, r.townshipRank, r.countyRank,
        ]);
      }
      ws.commit();
    };
    write('干部考评', result.cadres, CADRE_COMPONENTS, '姓名');
    write('单位考评', result.units, UNIT_COMPONENTS, null);
  });
}
