import type { Region } from '../../../entities';
import { subtreeLike } from '../people/regions';
import { shanghaiDate } from '../../lib/time';
import { consoleRead } from './read';
import { VALID_ON } from '../people/links';
import type { Db } from '../../lib/db';

/**
 * 两个全覆盖 for a scope: every village has a linked unit, every household a
 * linked cadre. Grouped passes over the subtree's villages (regions_path_idx),
 * their households (households_village_householder_uq) and their links
 * (cadre_household_links_village_idx), split by child region for the
 * drill-down, plus the first gaps by name.
 */

export interface CoverageCounts {
  villages: number;
  linkedVillages: number;
  households: number;
  linkedHouseholds: number;
}

export interface Coverage extends CoverageCounts {
  byChild: (CoverageCounts & { id: number; name: string })[];
  villageGaps: { id: number; fullName: string }[];
  householdGaps: { id: number; householder: string; villageFullName: string }[];
}

const GAP_LIMIT = 50;

export async function coverage(db: Db, scope: Region, now: Date): Promise<Coverage> {
  const params = [subtreeLike(scope.path), shanghaiDate(now)];
  // The child of the scope that holds each village: the id after the scope's own in the path.
  const childPart = scope.level < 4 ? `split_part(r.path, '/', ${scope.level + 3})::int` : 'r.id';
  const rows: (CoverageCounts & { child: number; name: string })[] = await consoleRead(db, (m) => m.query(
    `WITH vs AS (
       SELECT r.id, ${childPart} AS child,
              EXISTS (SELECT 1 FROM unit_village_links l WHERE l.village_id = r.id AND ${VALID_ON('l')}) AS linked
         FROM regions r WHERE r.path LIKE $1 AND r.level = 4),
     hs AS (
       SELECT vs.child, count(*)::int AS households FROM vs JOIN households h ON h.village_id = vs.id GROUP BY vs.child),
     ls AS (
       -- households with a current link, from the links' own village (cadre_household_links_village_idx)
       SELECT vs.child, count(DISTINCT c.household_id)::int AS linked
         FROM vs JOIN cadre_household_links c ON c.village_id = vs.id AND ${VALID_ON('c')} GROUP BY vs.child)
     SELECT v.child, c.name, v.villages, v.linked AS "linkedVillages",
            coalesce(hs.households, 0) AS households, coalesce(ls.linked, 0) AS "linkedHouseholds"
       FROM (SELECT child, count(*)::int AS villages, count(*) FILTER (WHERE linked)::int AS linked FROM vs GROUP BY child) v
       JOIN regions c ON c.id = v.child
       LEFT JOIN hs ON hs.child = v.child LEFT JOIN ls ON ls.child = v.child
      ORDER BY c.name`,
    params,
  ));
  const villageGaps: { id: number; fullName: string }[] = await consoleRead(db, (m) => m.query(
    `SELECT r.id, r.full_name AS "fullName" FROM regions r
      WHERE r.path LIKE $1 AND r.level = 4
        AND NOT EXISTS (SELECT 1 FROM unit_village_links l WHERE l.village_id = r.id AND ${VALID_ON('l')})
      ORDER BY r.path LIMIT ${GAP_LIMIT}`,
    params,
  ));
  const householdGaps: { id: number; householder: string; villageFullName: string }[] = await consoleRead(db, (m) => m.query(
    `SELECT h.id, h.householder, r.full_name AS "villageFullName"
       FROM regions r JOIN households h ON h.village_id = r.id
      WHERE r.path LIKE $1 AND r.level = 4
        AND NOT EXISTS (SELECT 1 FROM cadre_household_links c WHERE c.household_id = h.id AND ${VALID_ON('c')})
      ORDER BY r.path, h.householder LIMIT ${GAP_LIMIT}`,
    params,
  ));
  const sum = (k: keyof CoverageCounts) => rows.reduce((s, r) => s + r[k], 0);
  return {
    villages: sum('villages'),
    linkedVillages: sum('linkedVillages'),
    households: sum('households'),
    linkedHouseholds: sum('linkedHouseholds'),
    byChild: rows.map(({ child, ...r }) => ({ id: child, ...r })),
    villageGaps,
    householdGaps,
  };
}
