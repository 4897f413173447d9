import type { Region } from '../../../entities';
import { NotFoundError } from '../../lib/errors';
import { subtreeLike } from '../people/regions';
import { shanghaiDate } from '../../lib/time';
import { placeName } from '../../lib/place';
import { photosOf, type PhotoView } from '../photos/query';
import type { Db } from '../../lib/db';

/**
 * 问题台账 for a scope: filtered pages, a summary with the closure rate, and a
 * problem's detail with its history. Problems are reached through the
 * subtree's villages (regions_path_idx, then problems_village_status_idx).
 */

export interface LedgerFilter {
  /** Every status by default: an undone (revoked, 已撤销) problem stays listed with its number. */
  status?: 'open' | 'closed' | 'revoked';
  villageId?: number;
  overdue?: boolean;
  /** Reported in [from, to). */
  from?: Date;
  to?: Date;
}

export interface LedgerRow {
  id: number;
  code: string;
  county: string;
  township: string;
  village: string;
  villageId: number;
  villageFullName: string;
  description: string;
  category: string;
  reporter: string;
  reportedAt: Date;
  owner: string | null;
  ownerUnit: string | null;
  deadline: string;
  status: 'open' | 'closed' | 'revoked';
  overdue: boolean;
  closedAt: Date | null;
  closeNote: string | null;
}

/** The WHERE clause and parameters shared by the page, the summary and the export. */
export function ledgerWhere(scope: Region, f: LedgerFilter, now: Date): { where: string; params: unknown[] } {
  const params: unknown[] = [subtreeLike(scope.path), shanghaiDate(now)];
  const cond = ['r.path LIKE $1', 'r.level = 4'];
  const add = (sql: (n: string) => string, v: unknown) => { params.push(v); cond.push(sql(`$${params.length}`)); };
  if (f.status) add((n) => `p.status = ${n}`, f.status);
  if (f.villageId !== undefined) add((n) => `p.village_id = ${n}`, f.villageId);
  if (f.overdue) cond.push(`p.status = 'open' AND p.deadline < $2::date`);
  if (f.from) add((n) => `p.reported_at >= ${n}`, f.from);
  if (f.to) add((n) => `p.reported_at < ${n}`, f.to);
  return { where: cond.join(' AND '), params };
}

export const LEDGER_SELECT = `
  SELECT p.id, p.code, split_part(r.full_name, '/', 3) AS county, split_part(r.full_name, '/', 4) AS township,
         r.name AS village, r.id AS "villageId", r.full_name AS "villageFullName", p.description, p.category, rep.name AS reporter,
         p.reported_at AS "reportedAt", own.name AS owner, ou.name AS "ownerUnit",
         to_char(p.deadline, 'YYYY-MM-DD') AS deadline, p.status,
         (p.status = 'open' AND p.deadline < $2::date) AS overdue, p.closed_at AS "closedAt", p.close_note AS "closeNote"
    FROM regions r JOIN problems p ON p.village_id = r.id
    JOIN cadres rep ON rep.id = p.reporter_id
    LEFT JOIN cadres own ON own.id = p.owner_cadre_id
    LEFT JOIN units ou ON ou.id = p.owner_unit_id`;

export async function ledgerPage(
  db: Db, scope: Region, f: LedgerFilter, now: Date, page: { limit: number; offset: number },
): Promise<{ total: number; rows: (LedgerRow & { place: string })[] }> {
  const { where, params } = ledgerWhere(scope, f, now);
  const n = params.length;
  // The page's problems first (a top-N sort of the scope's problems), then the names of those
  // twenty; the total is a count without the joins. One statement with count(*) OVER () would
  // join every problem of a province to its reporter, owner and unit.
  const [rows, [{ total }]]: [LedgerRow[], { total: number }[]] = await Promise.all([
    db.query(
      `WITH pick AS (
         SELECT p.id FROM regions r JOIN problems p ON p.village_id = r.id
          WHERE ${where} ORDER BY (p.status = 'open') DESC, p.deadline, p.id LIMIT $${n + 1} OFFSET $${n + 2})
       ${LEDGER_SELECT} JOIN pick ON pick.id = p.id
        ORDER BY (p.status = 'open') DESC, p.deadline, p.id`,
      [...params, page.limit, page.offset],
    ),
    // ($2, today, is typed here even when no filter reads it)
    db.query(`SELECT count(*)::int AS total FROM regions r JOIN problems p ON p.village_id = r.id
               WHERE ${where} AND $2::date IS NOT NULL`, params),
  ]);
  return { total, rows: rows.map(withPlace) };
}

/** The village as people read it (天水市武山县鸳鸯镇丁门村), beside the stored path. */
const withPlace = <R extends { villageFullName: string }>(r: R): R & { place: string } => ({ ...r, place: placeName(r.villageFullName) });

export interface LedgerSummary { total: number; open: number; closed: number; overdue: number; closureRate: number }

/** The scope's problems (reported within `reported`, when given) by status. */
export async function ledgerSummary(db: Db, scope: Region, now: Date, reported: { from?: Date; to?: Date } = {}): Promise<LedgerSummary> {
  const { where, params } = ledgerWhere(scope, { from: reported.from, to: reported.to }, now);
  const [s]: Omit<LedgerSummary, 'closureRate'>[] = await db.query(
    `SELECT count(*) FILTER (WHERE p.status <> 'revoked')::int AS total, count(*) FILTER (WHERE p.status = 'open')::int AS open,
            count(*) FILTER (WHERE p.status = 'closed')::int AS closed,
            count(*) FILTER (WHERE p.status = 'open' AND p.deadline < $2::date)::int AS overdue
       FROM regions r JOIN problems p ON p.village_id = r.id WHERE ${where}`,
    params,
  );
  return { ...s, closureRate: s.total === 0 ? 0 : s.closed / s.total };
}

export interface ProblemEventRow { kind: string; actor: string | null; note: string; at: Date }

/** One problem with its history, only when it lies in the scope (else not found: no probing other counties). */
export async function problemDetail(
  db: Db, scope: Region, problemId: number, now: Date,
): Promise<LedgerRow & { place: string; events: ProblemEventRow[]; photos: PhotoView[] }> {
  const { where, params } = ledgerWhere(scope, {}, now);
  const rows: LedgerRow[] = await db.query(
    `${LEDGER_SELECT} WHERE ${where} AND p.id = $${params.length + 1}`, [...params, problemId]);
  if (rows.length === 0) throw new NotFoundError(`problem ${problemId} in scope ${scope.id}`, '找不到该问题。');
  const events: ProblemEventRow[] = await db.query(
    `SELECT e.kind, c.name AS actor, e.note, e.at FROM problem_events e LEFT JOIN cadres c ON c.id = e.actor_id
      WHERE e.problem_id = $1 ORDER BY e.at, e.id`,
    [problemId],
  );
  return { ...withPlace(rows[0]), events, photos: (await photosOf(db, { problemId })).photos };
}

/** A problem's code and village (revoked ones too: acting on them is refused with a reason), or null. */
export async function problemPlace(db: Db, id: number): Promise<{ code: string; villageId: number } | null> {
  const rows: { code: string; villageId: number }[] = await db.query(
    'SELECT code, village_id AS "villageId" FROM problems WHERE id = $1', [id]);
  return rows[0] ?? null;
}
