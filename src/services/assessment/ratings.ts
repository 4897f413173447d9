import { readFile } from 'node:fs/promises';
import { extname, basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { parsePeriod } from './scheme';
import { cleanHeader } from '../roster/source';
import type { RowError } from '../roster';
import { subtreeLike } from '../people/regions';
import { VALID_ON } from '../people/links';
import { AppError, BadInputError } from '../../lib/errors';
import { shanghaiDate } from '../../lib/time';
import type { Db } from '../../lib/db';
import type { DataSource } from 'typeorm';

/**
 * 领导评议 and 群众评议 (docs/design.md §2 "Assessment"): a score 0–100 for a
 * quarter, one per cadre or unit, period and kind; a second entry replaces the
 * first. Leaders rate the cadres and units of their scope in the console;
 * 群众评议 comes from a sheet (`npm run roster -- import-ratings <file>`).
 */

const COLUMNS = { userid: '账号', period: '季度', score: '分数' } as const;
const MSG = {
  missingColumns: (cols: string[]) => `缺少列：${cols.join('、')}（应为 账号、季度、分数）`,
  noRows: '没有数据行',
  unknownUser: (u: string) => `账号“${u}”不在花名册中（或已停用）`,
  badPeriod: (p: string) => `季度“${p}”格式不对，应为 2026-Q1`,
  badScore: (s: string) => `分数“${s}”应为 0–100 之间的数`,
  duplicate: (u: string, p: string, row: number) => `账号“${u}”的 ${p} 已在第 ${row} 行出现`,
  required: (col: string) => `缺少${col}`,
  badFile: '只能导入 .xlsx 或 .csv 文件',
};

export const RATING_ERRORS = {
  outOfScope: '只能评议本辖区的干部和单位',
  badScore: '评议分数应为 0–100 之间的数',
  quarterOnly: '评议按季度进行，请写 2026-Q1 这样的季度',
};

export type RatingTarget = { cadreId: number } | { unitId: number };

/** A quarter key (2026-Q1) or AppError('bad_period'); years are rated by their quarters. */
export function ratingQuarter(text: string): string {
  const p = parsePeriod(text);
  if (p.quarters.length !== 1) throw new BadInputError('period', `rating period ${text} is not a quarter`, RATING_ERRORS.quarterOnly, 'bad_period');
  return p.key;
}

const validScore = (n: number) => Number.isFinite(n) && n >= 0 && n <= 100;

/** Whether the cadre or unit has a village (linked now, or a 驻村村) under `scopePath`. */
async function inScope(db: Db, target: RatingTarget, scopePath: string, today: string): Promise<boolean> {
  const valid = (a: string) => VALID_ON(a, '$3');
  const villages = 'cadreId' in target
    ? `SELECT c.resident_village_id FROM cadres c WHERE c.id = $1
       UNION ALL SELECT l.village_id FROM cadres c JOIN unit_village_links l ON l.unit_id = c.unit_id AND ${valid('l')} WHERE c.id = $1
       UNION ALL SELECT l.village_id FROM cadre_household_links l WHERE l.cadre_id = $1 AND ${valid('l')}`
    : `SELECT l.village_id FROM unit_village_links l WHERE l.unit_id = $1 AND ${valid('l')}`;
  const id = 'cadreId' in target ? target.cadreId : target.unitId;
  const [row] = await db.query(
    `SELECT EXISTS (SELECT 1 FROM regions r WHERE r.id IN (${villages}) AND r.path LIKE $2) AS ok`,
    [id, subtreeLike(scopePath), today],
  );
  return row.ok === true;
}

const UPSERT = (target: 'cadre_id' | 'unit_id') => `
  INSERT INTO assessment_ratings (period, kind, ${target}, score, rated_by_id, rated_at)
  SELECT r.period, r.kind, r.id, r.score, r.rated_by_id, r.rated_at
    FROM jsonb_to_recordset($1::jsonb) AS r(period text, kind text, id int, score numeric, rated_by_id int, rated_at timestamptz)
  ON CONFLICT (${target}, period, kind) WHERE ${target} IS NOT NULL
  DO UPDATE SET score = EXCLUDED.score, rated_by_id = EXCLUDED.rated_by_id, rated_at = EXCLUDED.rated_at`;

/** A leader's 领导评议 of a cadre or unit in their scope for a quarter. */
export async function setLeaderRating(
  db: Db, leader: { id: number; scopePath: string }, input: { target: RatingTarget; period: string; score: number }, now: Date,
): Promise<void> {
  const period = ratingQuarter(input.period);
  if (!validScore(input.score)) throw new AppError('bad_score', `score ${input.score} out of 0–100`, RATING_ERRORS.badScore);
  if (!(await inScope(db, input.target, leader.scopePath, shanghaiDate(now)))) {
    throw new AppError('out_of_scope', `cadre ${leader.id} rated ${JSON.stringify(input.target)} outside their scope`, RATING_ERRORS.outOfScope, 403);
  }
  const id = 'cadreId' in input.target ? input.target.cadreId : input.target.unitId;
  await db.query(UPSERT('cadreId' in input.target ? 'cadre_id' : 'unit_id'),
    [JSON.stringify([{ period, kind: 'leader', id, score: input.score, rated_by_id: leader.id, rated_at: now }])]);
}

export interface RatingsImportReport {
  ok: boolean;
  rows: number;
  errors: RowError[];
}

type Row = { row: number; cells: Map<string, string> };

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'result' in v) return cellText(v.result as ExcelJS.CellValue);
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('');
  return String(v).replace(/\u3000/g, ' ').trim();
}

/** Header and rows (numbered as the spreadsheet shows them) of the first sheet or the CSV file. */
async function readRows(path: string): Promise<{ headers: string[]; rows: Row[] }> {
  const toRow = (headers: string[], values: string[], row: number): Row =>
    ({ row, cells: new Map(headers.map((h, i) => [h, (values[i] ?? '').trim()])) });
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') {
    const records: string[][] = parse(await readFile(path), { bom: true, relax_column_count: true, skip_empty_lines: false });
    const headers = (records[0] ?? []).map(cleanHeader);
    return { headers, rows: records.slice(1).map((v, i) => toRow(headers, v, i + 2)) };
  }
  if (ext !== '.xlsx') throw new AppError('bad_file', `ratings file ${path} is neither .xlsx nor .csv`, MSG.badFile);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const sheet = wb.worksheets[0];
  const values = (n: number) => {
    const r = sheet.getRow(n);
    return Array.from({ length: Math.max(r.cellCount, 3) }, (_, i) => cellText(r.getCell(i + 1).value));
  };
  const headers = values(1).map(cleanHeader);
  const rows: Row[] = [];
  for (let n = 2; n <= sheet.rowCount; n++) rows.push(toRow(headers, values(n), n));
  return { headers, rows };
}

/**
 * Imports 群众评议 scores (账号, 季度, 分数) from an .xlsx or .csv file, as the
 * roster importer does: every bad row is reported as file:row: reason and,
 * if there is one, nothing is written. Blank rows are skipped.
 */
export async function importMassRatings(db: DataSource, path: string, now: Date): Promise<RatingsImportReport> {
  const source = basename(path);
  const { headers, rows } = await readRows(path);
  const missing = Object.values(COLUMNS).filter((c) => !headers.includes(c));
  if (missing.length > 0) return { ok: false, rows: 0, errors: [{ source, row: 1, reason: MSG.missingColumns(missing) }] };
  const filled = rows.filter((r) => [...r.cells.values()].some((v) => v !== ''));
  if (filled.length === 0) return { ok: false, rows: 0, errors: [{ source, row: 0, reason: MSG.noRows }] };

  const userids = [...new Set(filled.map((r) => r.cells.get(COLUMNS.userid)!).filter(Boolean))];
  const known: { id: number; userid: string }[] = await db.query('SELECT id, userid FROM cadres WHERE userid = ANY($1) AND active', [userids]);
  const idOf = new Map(known.map((c) => [c.userid, c.id]));
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  const out: { period: string; kind: 'mass'; id: number; score: number; rated_by_id: null; rated_at: Date }[] = [];
  for (const r of filled) {
    const userid = r.cells.get(COLUMNS.userid)!;
    const periodText = r.cells.get(COLUMNS.period)!;
    const scoreText = r.cells.get(COLUMNS.score)!;
    const fail = (reason: string) => errors.push({ source, row: r.row, reason });
    if (userid === '') { fail(MSG.required(COLUMNS.userid)); continue; }
    const id = idOf.get(userid);
    if (id === undefined) { fail(MSG.unknownUser(userid)); continue; }
    let period: string;
    try { period = ratingQuarter(periodText); } catch { fail(MSG.badPeriod(periodText)); continue; }
    const score = Number(scoreText);
    if (scoreText === '' || !validScore(score)) { fail(MSG.badScore(scoreText)); continue; }
    const key = `${userid}\n${period}`;
    const first = seen.get(key);
    if (first !== undefined) { fail(MSG.duplicate(userid, period, first)); continue; }
    seen.set(key, r.row);
    out.push({ period, kind: 'mass', id, score, rated_by_id: null, rated_at: now });
  }
  if (errors.length > 0) return { ok: false, rows: filled.length, errors };
  await db.query(UPSERT('cadre_id'), [JSON.stringify(out)]);
  return { ok: true, rows: out.length, errors: [] };
}

