import type { UnitLinkStanding } from './cadre-standing';
import { TEAM_ROLES } from '../../lib/roles';
import type { Db } from '../../lib/db';

/**
 * Who hears of a shortfall in the weekly pace reminders (jobs/quota-reminders.ts):
 * resident team members of a unit behind on its village, and the leaders a unit's shortfall is reported to.
 */

/** Active resident team members (TEAM_ROLES) of the given units, by id. */
export async function teamMembersOf(db: Db, unitIds: number[]): Promise<{ id: number; unitId: number }[]> {
  if (unitIds.length === 0) return [];
  const rows: { id: number; unit_id: number }[] = await db.query(
    `SELECT id, unit_id FROM cadres WHERE active AND role = ANY($2::text[]) AND unit_id = ANY($1) ORDER BY id`,
    [unitIds, TEAM_ROLES]);
  return rows.map((r) => ({ id: r.id, unitId: r.unit_id }));
}

/**
 * userid → the units behind on a village that they are told about: the unit's
 * own leaders (领导 of the unit), else the leaders of the village's township.
 * Leaders in userid order within each entry of `behind`, entries in `behind`'s order.
 */
export async function unitLeaderReports(db: Db, behind: UnitLinkStanding[]): Promise<Map<string, UnitLinkStanding[]>> {
  const out = new Map<string, UnitLinkStanding[]>();
  if (behind.length === 0) return out;
  const rows: { idx: number; userid: string }[] = await db.query(
    `WITH b AS (SELECT * FROM unnest($1::int[], $2::int[]) WITH ORDINALITY AS b(unit_id, village_id, idx))
     SELECT b.idx, c.userid FROM b JOIN cadres c ON c.unit_id = b.unit_id AND c.active AND c.role = '领导'
     UNION ALL
     SELECT b.idx, c.userid FROM b JOIN regions r ON r.id = b.village_id
       JOIN cadres c ON c.scope_region_id = r.parent_id AND c.active AND c.role = '领导'
      WHERE NOT EXISTS (SELECT 1 FROM cadres u WHERE u.unit_id = b.unit_id AND u.active AND u.role = '领导')
     ORDER BY 1, 2`,
    [behind.map((v) => v.unitId), behind.map((v) => v.villageId)],
  );
  for (const r of rows) {
    const v = behind[Number(r.idx) - 1];
    out.set(r.userid, [...(out.get(r.userid) ?? []), v]);
  }
  return out;
}
