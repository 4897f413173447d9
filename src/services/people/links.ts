import { subtreeLike } from './regions';
import { shanghaiDate } from '../../lib/time';
import type { Db } from '../../lib/db';

/**
 * Who is linked to what at a moment: a unit's 联村 links and a cadre's 联户
 * links, each valid on [valid_from, valid_to) in Shanghai calendar dates.
 */

/** A link valid on the Shanghai date in `param` ($2 unless said): [valid_from, valid_to). */
export const VALID_ON = (alias: string, param = '$2') =>
  `${alias}.valid_from <= ${param}::date AND (${alias}.valid_to IS NULL OR ${alias}.valid_to > ${param}::date)`;

export interface LinkedVillage {
  id: number;
  name: string;
  fullName: string;
  latitude: number | null;
  longitude: number | null;
  radiusM: number;
  /** True through the unit's 联村 link, false only through a linked household. */
  viaUnit: boolean;
}

/** Villages a cadre is linked to at `at`: the unit's villages, then villages of their households. */
export async function linkedVillages(db: Db, cadre: { id: number; unitId: number | null }, at: Date): Promise<LinkedVillage[]> {
  const rows: (LinkedVillage & { via_unit: boolean; full_name: string; radius_m: number })[] = await db.query(
    `SELECT r.id, r.name, r.full_name, v.latitude, v.longitude, v.radius_m, bool_or(x.via_unit) AS via_unit
       FROM (
         SELECT l.village_id, true AS via_unit FROM unit_village_links l
          WHERE l.unit_id = $2 AND ${VALID_ON('l', '$3')}
         UNION ALL
         -- a link carries its household's village (kept by its triggers): no household is read
         SELECT chl.village_id, false FROM cadre_household_links chl
          WHERE chl.cadre_id = $1 AND ${VALID_ON('chl', '$3')}
       ) x
       JOIN villages v ON v.id = x.village_id JOIN regions r ON r.id = v.id
      GROUP BY r.id, r.name, r.full_name, v.latitude, v.longitude, v.radius_m
      ORDER BY bool_or(x.via_unit) DESC, r.id`,
    [cadre.id, cadre.unitId ?? 0, shanghaiDate(at)],
  );
  return rows.map((r) => ({
    id: r.id, name: r.name, fullName: r.full_name, latitude: r.latitude, longitude: r.longitude,
    radiusM: r.radius_m, viaUnit: r.via_unit,
  }));
}

export interface LinkedHousehold {
  id: number;
  householder: string;
  villageId: number;
  villageFullName: string;
}

/** A cadre's linked households at `at`. */
export async function linkedHouseholds(db: Db, cadreId: number, at: Date): Promise<LinkedHousehold[]> {
  const rows: { id: number; householder: string; village_id: number; full_name: string }[] = await db.query(
    `SELECT h.id, h.householder, h.village_id, r.full_name
       FROM cadre_household_links chl JOIN households h ON h.id = chl.household_id JOIN regions r ON r.id = h.village_id
      WHERE chl.cadre_id = $1 AND ${VALID_ON('chl', '$2')}
      ORDER BY h.id`,
    [cadreId, shanghaiDate(at)],
  );
  return rows.map((r) => ({ id: r.id, householder: r.householder, villageId: r.village_id, villageFullName: r.full_name }));
}

/** The unit linked to a village at `at` (the longest-standing link when there are several). */
export async function unitForVillage(db: Db, villageId: number, at: Date): Promise<number | null> {
  const rows: { unit_id: number }[] = await db.query(
    `SELECT l.unit_id FROM unit_village_links l WHERE l.village_id = $1 AND ${VALID_ON('l', '$2')}
      ORDER BY l.valid_from, l.id LIMIT 1`,
    [villageId, shanghaiDate(at)],
  );
  return rows[0]?.unit_id ?? null;
}

/** Whether the village is one of the cadre's linked villages at `at`. */
export async function isLinkedToVillage(db: Db, cadre: { id: number; unitId: number | null }, villageId: number, at: Date): Promise<boolean> {
  return (await linkedVillages(db, cadre, at)).some((v) => v.id === villageId);
}

/**
 * Active cadres linked at `at` to any village under the region path, through
 * their unit's 联村 link or a household they are linked to. Set-based: one
 * query over the subtree's index range.
 */
export async function cadresLinkedUnder(db: Db, regionPath: string, at: Date): Promise<{ id: number; userid: string }[]> {
  return db.query(
    `WITH vs AS (SELECT id FROM regions WHERE path LIKE $1 AND level = 4),
     ids AS (
       SELECT c.id FROM unit_village_links l JOIN vs ON vs.id = l.village_id JOIN cadres c ON c.unit_id = l.unit_id
        WHERE ${VALID_ON('l', '$2')}
       UNION
       SELECT chl.cadre_id FROM households h JOIN vs ON vs.id = h.village_id
         JOIN cadre_household_links chl ON chl.household_id = h.id
        WHERE ${VALID_ON('chl', '$2')})
     SELECT c.id, c.userid FROM cadres c JOIN ids ON ids.id = c.id WHERE c.active ORDER BY c.id`,
    [subtreeLike(regionPath), shanghaiDate(at)],
  );
}
