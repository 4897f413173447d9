import { VALID_ON } from '../people/links';
import type { Db } from '../../lib/db';

/**
 * Everyone a province-wide festival reminder reaches (重要节日必到): every
 * active cadre linked to a village, through their unit's 联村 link or a
 * household they are linked to, and every group's robot.
 */

/**
 * Records as reminded of a festival occurrence every active cadre linked on
 * `day` (YYYY-MM-DD) who was not reminded of it yet, and returns their userids
 * by cadre id: a cadre is reminded once per festival, however often the job runs.
 */
export async function claimFestivalRecipients(
  db: Db, festival: { id: number; date: string }, day: string, now: Date,
): Promise<string[]> {
  const rows: { userid: string }[] = await db.query(
    `WITH linked AS (
       SELECT c.id FROM cadres c
        WHERE c.active
          AND (EXISTS (SELECT 1 FROM unit_village_links l WHERE l.unit_id = c.unit_id AND ${VALID_ON('l', '$3')})
               OR EXISTS (SELECT 1 FROM cadre_household_links l WHERE l.cadre_id = c.id AND ${VALID_ON('l', '$3')}))),
     claimed AS (
       INSERT INTO festival_reminders (festival_id, festival_date, cadre_id, reminded_at)
       SELECT $1, $2, id, $4 FROM linked ORDER BY id
       ON CONFLICT DO NOTHING RETURNING cadre_id)
     SELECT c.userid FROM claimed JOIN cadres c ON c.id = claimed.cadre_id ORDER BY c.id`,
    [festival.id, festival.date, day, now],
  );
  return rows.map((r) => r.userid);
}

/** Every group's id (the robot message's recipient), in id order. */
export async function allGroupIds(db: Db): Promise<number[]> {
  const rows: { id: number }[] = await db.query('SELECT id FROM groups ORDER BY id');
  return rows.map((r) => r.id);
}
