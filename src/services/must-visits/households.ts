import { VALID_ON, type LinkedHousehold } from '../people/links';
import { subtreeLike } from '../people/regions';
import { shanghaiDate } from '../../lib/time';
import type { Db } from '../../lib/db';

/**
 * The households someone on the roster may report a 五必访 event for: every
 * household of the villages they are linked to (their unit's 联村 villages, the
 * villages of their own households, their 驻村 village) and, for a leader, the
 * households of their scope bearing one of the given names.
 */

interface Row { id: number; householder: string; village_id: number; full_name: string }

const toHousehold = (r: Row): LinkedHousehold =>
  ({ id: r.id, householder: r.householder, villageId: r.village_id, villageFullName: r.full_name });

export async function householdsNear(
  db: Db, cadre: { id: number; unitId: number | null; residentVillageId: number | null }, at: Date,
): Promise<LinkedHousehold[]> {
  const rows: Row[] = await db.query(
    `WITH vs AS (
       SELECT l.village_id FROM unit_village_links l WHERE l.unit_id = $2 AND ${VALID_ON('l', '$3')}
       UNION
       SELECT h.village_id FROM cadre_household_links chl JOIN households h ON h.id = chl.household_id
        WHERE chl.cadre_id = $1 AND ${VALID_ON('chl', '$3')}
       UNION
       SELECT $4::int WHERE $4::int IS NOT NULL)
     SELECT h.id, h.householder, h.village_id, r.full_name
       FROM vs JOIN households h ON h.village_id = vs.village_id JOIN regions r ON r.id = h.village_id
      ORDER BY h.id`,
    [cadre.id, cadre.unitId ?? 0, shanghaiDate(at), cadre.residentVillageId],
  );
  return rows.map(toHousehold);
}

/** Households under the region whose 户主 is one of `names` (households_village_householder_uq per village). */
export async function householdsNamedUnder(db: Db, regionId: number, names: string[]): Promise<LinkedHousehold[]> {
  const [scope]: { path: string }[] = await db.query('SELECT path FROM regions WHERE id = $1', [regionId]);
  if (!scope || names.length === 0) return [];
  const rows: Row[] = await db.query(
    `SELECT h.id, h.householder, h.village_id, r.full_name
       FROM regions r JOIN households h ON h.village_id = r.id AND h.householder = ANY($2)
      WHERE r.path LIKE $1 AND r.level = 4
      ORDER BY h.id LIMIT 50`,
    [subtreeLike(scope.path), names],
  );
  return rows.map(toHousehold);
}
