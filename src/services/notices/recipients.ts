import { VALID_ON } from '../people/links';
import type { Db } from '../../lib/db';

/**
 * Everyone a province-wide reminder reaches (重要节日必到): every cadre with a
 * household to visit, and every group's robot.
 */

/** Userids of active cadres with at least one 联户 link valid on `day` (YYYY-MM-DD), by cadre id. */
export async function cadresWithHouseholds(db: Db, day: string): Promise<string[]> {
  const rows: { userid: string }[] = await db.query(
    `SELECT c.userid FROM cadres c WHERE c.active AND EXISTS (
       SELECT 1 FROM cadre_household_links l WHERE l.cadre_id = c.id
          AND ${VALID_ON('l', '$1')})
     ORDER BY c.id`, [day]);
  return rows.map((r) => r.userid);
}

/** Every group's id (the robot message's recipient), in id order. */
export async function allGroupIds(db: Db): Promise<number[]> {
  const rows: { id: number }[] = await db.query('SELECT id FROM groups ORDER BY id');
  return rows.map((r) => r.id);
}
