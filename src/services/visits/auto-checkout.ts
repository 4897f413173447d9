import type { Db } from '../../lib/db';

/**
 * A check-in left open longer than the stay cap (which a real overnight stay
 * does not reach) is closed as a forgotten 签退: counted from its start for
 * `countedHours` (never past the cap) and marked auto_closed (docs/design.md §2
 * time on site). What it counts depends on the check-in only, never on when
 * the job runs; only open rows are touched, so running it again closes nothing twice.
 */

export interface ClosedVisit {
  id: number;
  userid: string;
  village: string;
  startedAt: Date;
  endedAt: Date;
  durationMinutes: number;
}

export interface AutoCheckoutRules {
  /** Hours a check-in may stay open ('checkin.stay_cap_hours'). */
  capHours: number;
  /** Hours a forgotten 签退 counts ('checkin.auto_checkout_cap_hours'). */
  countedHours: number;
}

/** Closes every open, unrevoked check-in started more than `capHours` before now; returns them for telling the cadres. */
export async function closeOpenVisits(db: Db, now: Date, rules: AutoCheckoutRules): Promise<ClosedVisit[]> {
  // TypeORM answers an UPDATE … RETURNING with [rows, affectedCount].
  const [rows]: [{ id: number; userid: string; village: string; started_at: Date; ended_at: Date; duration_minutes: number }[], number] =
    await db.query(
      `WITH c AS (
         SELECT v.id, v.started_at + least($2::numeric, $3::numeric) * interval '1 hour' AS ended_at
           FROM visits v
          WHERE v.ended_at IS NULL AND v.revoked_at IS NULL AND v.started_at < $1::timestamptz - $2::numeric * interval '1 hour'
          FOR UPDATE OF v)
       UPDATE visits v SET ended_at = c.ended_at, auto_closed = true,
              duration_minutes = floor(extract(epoch FROM c.ended_at - v.started_at) / 60)::int
         FROM c, cadres cd, regions r
        WHERE v.id = c.id AND cd.id = v.cadre_id AND r.id = v.village_id
       RETURNING v.id, cd.userid, r.name AS village, v.started_at, v.ended_at, v.duration_minutes`,
      [now, rules.capHours, rules.countedHours],
    );
  return rows.map((r) => ({
    id: r.id, userid: r.userid, village: r.village,
    startedAt: new Date(r.started_at), endedAt: new Date(r.ended_at), durationMinutes: r.duration_minutes,
  }));
}
