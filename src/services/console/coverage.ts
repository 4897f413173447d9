import type { Region } from '../../../entities';
import { subtreeLike } from '../people/regions';
import { shanghaiDate } from '../../lib/time';
import { consoleRead } from './read';
import type { Db } from '../../lib/db';

/**
 * 两个全覆盖 for a scope: every village has a linked unit, every household a
 * linked cadre. Read from the rollups that migration 1763857700000 keeps
 * (each village's first covered day, its households counted by their first
 * covered day), split by child region for the drill-down, plus the first gaps
 * by name: a pass over the scope's villages, never over its households, so a
 * province reads like a county.
 *
 * With a date range, coverage stands as of its last day (today at the latest)
 * and `newVillages` / `newHouseholds` count those first covered within it. The
 * rollups keep the first day of the links not ended, so a village or household
 * whose links have all ended since counts as not covered on past days either.
 */

export interface CoverageCounts {
  villages: number;
  linkedVillages: number;
  households: number;
  linkedHouseholds: number;
  /** First covered within the range. */
  newVillages: number;
  newHouseholds: number;
}

export interface Coverage extends CoverageCounts {
  /** The day coverage stands at, and the range's first day (YYYY-MM-DD). */
  asOf: string;
  from: string;
  byChild: (CoverageCounts & { id: number; name: string })[];
  villageGaps: { id: number; fullName: string }[];
  /** With the roster's 帮扶状态 and 致贫原因 (null when not given). */
  householdGaps: { id: number; householder: string; villageFullName: string; aidStatus: string | null; povertyCause: string | null }[];
}

const GAP_LIMIT = 50;

export async function coverage(db: Db, scope: Region, now: Date, range?: { from: string; to: string }): Promise<Coverage> {
  const today = shanghaiDate(now);
  const asOf = range && range.to < today ? range.to : today;
  const from = range?.from ?? `${asOf.slice(0, 4)}-01-01`;
  const params = [subtreeLike(scope.path), asOf];
  // The child of the scope that holds each village: the id after the scope's own in the path.
  const childPart = scope.level < 4 ? `split_part(r.path, '/', ${scope.level + 3})::int` : 'r.id';
  const rows: (CoverageCounts & { child: number; name: string })[] = await consoleRead(db, (m) => m.query(
    `WITH vs AS (
       SELECT r.id, ${childPart} AS child, v.unit_linked_since <= $2::date AS linked,
              v.unit_linked_since BETWEEN $3::date AND $2::date AS linked_new
         FROM regions r JOIN villages v ON v.id = r.id WHERE r.path LIKE $1 AND r.level = 4),
     hs AS (
       SELECT vs.child, sum(vh.households)::int AS households,
              coalesce(sum(vh.households) FILTER (WHERE vh.covered_since <= $2::date), 0)::int AS linked,
              coalesce(sum(vh.households) FILTER (WHERE vh.covered_since BETWEEN $3::date AND $2::date), 0)::int AS linked_new
         FROM vs JOIN village_households vh ON vh.village_id = vs.id GROUP BY vs.child)
     SELECT v.child, c.name, v.villages, v.linked AS "linkedVillages", v.linked_new AS "newVillages",
            coalesce(hs.households, 0) AS households, coalesce(hs.linked, 0) AS "linkedHouseholds",
            coalesce(hs.linked_new, 0) AS "newHouseholds"
       FROM (SELECT child, count(*)::int AS villages, count(*) FILTER (WHERE linked)::int AS linked,
                    count(*) FILTER (WHERE linked_new)::int AS linked_new FROM vs GROUP BY child) v
       JOIN regions c ON c.id = v.child
       LEFT JOIN hs ON hs.child = v.child
      ORDER BY c.name`,
    [...params, from],
  ));
  const villageGaps: { id: number; fullName: string }[] = await consoleRead(db, (m) => m.query(
    `SELECT r.id, r.full_name AS "fullName" FROM regions r JOIN villages v ON v.id = r.id
      WHERE r.path LIKE $1 AND r.level = 4 AND v.unit_linked_since > $2::date
      ORDER BY r.path LIMIT ${GAP_LIMIT}`,
    params,
  ));
  // The first villages with a household not covered, then their uncovered households by name.
  const householdGaps: Coverage['householdGaps'] = await consoleRead(db, (m) => m.query(
    `SELECT h.id, h.householder, g.full_name AS "villageFullName", h.aid_status AS "aidStatus", h.poverty_cause AS "povertyCause"
       FROM (SELECT r.id, r.path, r.full_name FROM regions r
              WHERE r.path LIKE $1 AND r.level = 4
                AND EXISTS (SELECT 1 FROM village_households vh
                             WHERE vh.village_id = r.id AND vh.covered_since > $2::date AND vh.households > 0)
              ORDER BY r.path LIMIT ${GAP_LIMIT}) g
       CROSS JOIN LATERAL (SELECT h.id, h.householder, h.aid_status, h.poverty_cause FROM households h
                            WHERE h.village_id = g.id AND h.covered_since > $2::date
                            ORDER BY h.householder LIMIT ${GAP_LIMIT}) h
      ORDER BY g.path, h.householder LIMIT ${GAP_LIMIT}`,
    params,
  ));
  const sum = (k: keyof CoverageCounts) => rows.reduce((s, r) => s + r[k], 0);
  return {
    asOf,
    from,
    villages: sum('villages'),
    linkedVillages: sum('linkedVillages'),
    households: sum('households'),
    linkedHouseholds: sum('linkedHouseholds'),
    newVillages: sum('newVillages'),
    newHouseholds: sum('newHouseholds'),
    byChild: rows.map(({ child, ...r }) => ({ id: child, ...r })),
    villageGaps,
    householdGaps,
  };
}
