import type { Db } from '../../lib/db';

/**
 * Open check-ins are closed at the end of their (Shanghai) day, the duration
 * capped at `capHours` (and never past "now"), and marked auto_closed. Only
 * open rows are touched, so running it again closes nothing twice.
 */

export interface ClosedVisit {
  id: number;
  userid: string;
  village: string;
  startedAt: Date;
  endedAt: Date;
  durationMinutes: number;
}

/** Closes every open, unrevoked check-in started on or before today; returns them for telling the cadres. */
export async function closeOpenVisits(db: Db, now: Date, capHours: number): Promise<ClosedVisit[]> {
  // TypeORM answers an UPDATE … RETURNING with [rows, affectedCount].
  const [rows]: [{ id: number; userid: string; village: string; started_at: Date; ended_at: Date; duration_minutes: number }[], number] =
    await db.query(
      `WITH c AS (
         SELECT v.id, least(v.started_at + make_interval(hours => $2::int),
                            ((v.started_at AT TIME ZONE 'Asia/Shanghai')::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai',
                            greatest($1::timestamptz, v.started_at)) AS ended_at
           FROM visits v
          WHERE v.ended_at IS NULL AND v.revoked_at IS NULL
            AND (v.started_at AT TIME ZONE 'Asia/Shanghai')::date <= ($1::timestamptz AT TIME ZONE 'Asia/Shanghai')::date
          FOR UPDATE OF v)
       UPDATE visits v SET ended_at = c.ended_at, auto_closed = true,
              duration_minutes = floor(extract(epoch FROM c.ended_at - v.started_at) / 60)::int
         FROM c, cadres cd, regions r
        WHERE v.id = c.id AND cd.id = v.cadre_id AND r.id = v.village_id
       RETURNING v.id, cd.userid, r.name AS village, v.started_at, v.ended_at, v.duration_minutes`,
      [now, capHours],
    );
  return rows.map((r) => ({
    id: r.id, userid: r.userid, village: r.village,
    startedAt: new Date(r.started_at), endedAt: new Date(r.ended_at), durationMinutes: r.duration_minutes,
  }));
}
