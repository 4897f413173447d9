import { standingTargets, teamStanding, type TeamStanding } from './cadre-standing';
import { VALID_ON } from '../people/links';
import { shanghaiDate } from '../../lib/time';
import type { Db } from '../../lib/db';

/**
 * Resident team members below pace on days on site and resident days
 * (team.days_on_site_per_year 220, team.days_resident_per_year 160, pro-rated to
 * the stay: teamStanding), with the village they are counted at: their 驻村村,
 * else the first village their unit is linked to (联村). The digests and the
 * console list them per scope, furthest behind first.
 */

export interface TeamMemberBehind extends TeamStanding {
  name: string;
  villageName: string | null;
  villageFullName: string | null;
  villagePath: string | null;
}

/** Days still owed on both counts, for ordering. */
export const teamShortfall = (t: TeamStanding): number =>
  Math.max(0, t.requiredOnSite - t.daysOnSite) + Math.max(0, t.requiredResident - t.daysResident);

/** Every team member behind pace at `now`; only those whose village is under `villagePath` when given. */
export async function teamMembersBehind(db: Db, now: Date, villagePath?: string): Promise<TeamMemberBehind[]> {
  const behind = await teamStanding(db, now, await standingTargets(db), {}, true);
  if (behind.length === 0) return [];
  const rows: { id: number; name: string; village_name: string | null; full_name: string | null; path: string | null }[] = await db.query(
    `SELECT c.id, c.name, r.name AS village_name, r.full_name, r.path
       FROM cadres c
       LEFT JOIN regions r ON r.id = coalesce(c.resident_village_id,
         (SELECT l.village_id FROM unit_village_links l WHERE l.unit_id = c.unit_id AND ${VALID_ON('l')}
           ORDER BY l.valid_from, l.id LIMIT 1))
      WHERE c.id = ANY($1)`,
    [behind.map((b) => b.cadreId), shanghaiDate(now)],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return behind
    .map((b) => {
      const r = byId.get(b.cadreId);
      return { ...b, name: r?.name ?? '', villageName: r?.village_name ?? null, villageFullName: r?.full_name ?? null, villagePath: r?.path ?? null };
    })
    .filter((b) => villagePath === undefined || (b.villagePath !== null && b.villagePath.startsWith(villagePath)))
    .sort((a, b) => teamShortfall(b) - teamShortfall(a) || a.name.localeCompare(b.name, 'zh'));
}
