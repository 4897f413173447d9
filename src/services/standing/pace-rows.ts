/**
 * Reading the per-cadre pace rows (`household_pace`, migration 1763859400000):
 * where each cadre stands against the 联户 quotas at an instant, from the
 * sorted instants the row keeps, without a pass over the cadre's links. A
 * row's figures are those that householdLinkSql (pace-sql.ts) would give for
 * the cadre's links valid at that instant, grouped by cadre.
 *
 * A scope is read in two parts:
 *  - FAST: rows for the year asked whose every link lies inside the scope
 *    (and, with a depth, inside one region that many levels down);
 *  - LIVE: the other cadres with a link in the scope (their links straddle
 *    its border, or their row is for another year), counted from their links
 *    by householdLinkSql as before. There are few of them, except for a year
 *    other than the current one, which is read from the links altogether.
 */

import { shanghaiYear } from '../../lib/time';
import type { Db } from '../../lib/db';

/** The figures of row `a` at instant `at` (SQL expressions). */
export const paceAt = (a: string, at: string) => {
  // An empty array is stored as NULL.
  const n = (col: string) => `coalesce(width_bucket(${at}, ${a}.${col}), 0)`;
  const passed = (col: string) => `(${n(col)} - ${n(`${col}_ended`)})`;
  return {
    /** links valid at the instant */
    households: `(${a}.households + ${n('starts')} - ${n('ends')})`,
    /** their visits this year */
    visits: `(${a}.visits + ${n('visit_starts')} - ${n('visit_ends')})`,
    /** links owing more visits, days or talks than they have */
    behind: passed('behind'),
    /** links owing more visits than they have */
    visitsBehind: passed('visits_due'),
    /** links owing more talks than they have */
    talksBehind: passed('talks_due'),
    /** visits owed and not made, summed over the links */
    owedVisits: passed('owed_visits'),
  };
};

/**
 * The strict ancestors of a region path ('/1/2/16/' → '/', '/1/', '/1/2/'):
 * a cadre whose links' common region is one of them may have links both in
 * and out of the scope.
 */
export function ancestorPaths(path: string): string[] {
  const ids = path.split('/').filter(Boolean);
  return ids.map((_, i) => `/${ids.slice(0, i).map((id) => `${id}/`).join('')}`);
}

/**
 * The condition that row `a` can be read as it is for a scope: its year is
 * `year`, its span lies inside the scope (`like`: the subtree pattern), and,
 * with `depth`, at least `depth` regions deep (so it lies in one child region).
 * With `plain`, only a row whose links all run from 1 January without an end:
 * for a reader that counts the links valid on the day before the instant it
 * compares dues with (a period ending at midnight), where a link starting or
 * ending on the next day would count differently.
 */
export const PACE_ROW_FAST = (a: string, year: string, like: string, depth?: string, plain = false) =>
  `${a}.year = ${year} AND ${a}.span_path LIKE ${like}` + (depth ? ` AND ${a}.span_depth >= ${depth}` : '')
  + (plain ? ` AND ${a}.starts IS NULL` : '');

/**
 * The cadres to count from their links instead: a row inside the scope that
 * is not FAST, or one whose span is an ancestor of the scope (`ancestors`: a
 * text[] parameter of ancestorPaths). An uncorrelated subquery of cadre ids,
 * answered from the indexes on (year, span_depth, span_path), span_path and,
 * with `plain`, the rows with links that start later or end.
 */
export const PACE_ROWS_LIVE = (year: string, like: string, ancestors: string, depth?: string, plain = false) =>
  `(SELECT h.cadre_id FROM household_pace h WHERE (h.year < ${year} OR h.year > ${year}) AND h.span_path LIKE ${like}
    ${depth ? `UNION ALL SELECT h.cadre_id FROM household_pace h WHERE h.year = ${year} AND h.span_depth < ${depth} AND h.span_path LIKE ${like}` : ''}
    ${plain ? `UNION ALL SELECT h.cadre_id FROM household_pace h WHERE h.starts IS NOT NULL AND h.year = ${year} AND h.span_path LIKE ${like}` : ''}
    UNION ALL SELECT h.cadre_id FROM household_pace h WHERE h.span_path = ANY(${ancestors}))`;

/**
 * Moves the pace rows still kept for a year before `now`'s to the current one
 * (a cadre's row moves by itself when their links next change). The daily
 * digest does this first, so that from 1 January the readers take every
 * cadre's row again instead of counting their links. Returns how many moved.
 */
export async function refreshStalePaceRows(db: Db, now: Date): Promise<number> {
  const [{ n }]: { n: number }[] = await db.query(
    `WITH stale AS (SELECT coalesce(array_agg(cadre_id ORDER BY cadre_id), '{}') AS ids FROM household_pace WHERE year < $1)
     SELECT cardinality(ids) AS n, household_pace_refresh(ids) FROM stale`,
    [shanghaiYear(now)]);
  return n;
}
