import { subtreeLike } from '../people/regions';
import type { Db } from '../../lib/db';

/**
 * A notice's follow-up (jobs/notice-followup.ts): recipients without 收到
 * after some hours are followed up once (notice_recipients.followed_up_at);
 * later the sender gets the receipt once (notices.reported_at). Both claim
 * their rows as they read them, so each happens once however often the job runs.
 */

export interface FollowUpDue {
  noticeId: number;
  content: string;
  /** The sender's name. */
  sender: string;
  createdAt: Date;
  /** Active recipients still without 收到, by cadre id. */
  userids: string[];
}

export interface ReportDue {
  id: number;
  content: string;
  createdAt: Date;
  /** The sender's userid: the report goes to them. */
  sender: string;
  /** Every recipient by cadre id: acknowledged, and checked in at a village of the notice's scope in its window. */
  people: { name: string; acked: boolean; attended: boolean }[];
}

/**
 * Marks followed up every unacknowledged recipient of an unreported notice
 * sent `hours` or more before `now`; returns them per notice.
 */
export async function claimFollowUps(db: Db, now: Date, hours: number): Promise<FollowUpDue[]> {
  const rows: { notice_id: number; content: string; sender: string; created_at: Date; userids: string[] }[] =
    await db.query(
      `WITH f AS (
         UPDATE notice_recipients nr SET followed_up_at = $1
           FROM notices n
          WHERE n.id = nr.notice_id AND nr.acked_at IS NULL AND nr.followed_up_at IS NULL AND n.reported_at IS NULL
            AND n.created_at <= $1::timestamptz - make_interval(hours => $2::int)
         RETURNING nr.notice_id, nr.cadre_id)
       SELECT n.id AS notice_id, n.content, s.name AS sender, n.created_at, array_agg(c.userid ORDER BY c.id) AS userids
         FROM f JOIN notices n ON n.id = f.notice_id JOIN cadres s ON s.id = n.sender_id
         JOIN cadres c ON c.id = f.cadre_id AND c.active
        GROUP BY n.id, n.content, s.name, n.created_at`,
      [now, hours],
    );
  return rows.map((r) => ({
    noticeId: r.notice_id, content: r.content, sender: r.sender, createdAt: new Date(r.created_at), userids: r.userids,
  }));
}

/**
 * Marks reported every unreported notice sent `hours` or more before `now`;
 * returns each with its recipients. Attendance counts check-ins from sending
 * until attend_until, or `hours` after sending when unset.
 */
export async function claimReports(db: Db, now: Date, hours: number): Promise<ReportDue[]> {
  // TypeORM answers an UPDATE … RETURNING with [rows, affectedCount].
  const [due]: [{ id: number; content: string; created_at: Date; sender: string; window_end: Date; scope_path: string }[], number] =
    await db.query(
      `UPDATE notices n SET reported_at = $1 FROM cadres s, regions r
        WHERE s.id = n.sender_id AND r.id = n.scope_region_id AND n.reported_at IS NULL
          AND n.created_at <= $1::timestamptz - make_interval(hours => $2::int)
       RETURNING n.id, n.content, n.created_at, s.userid AS sender,
                 coalesce(n.attend_until, n.created_at + make_interval(hours => $2::int)) AS window_end, r.path AS scope_path`,
      [now, hours],
    );
  const out: ReportDue[] = [];
  for (const n of due) {
    const people: ReportDue['people'] = await db.query(
      `SELECT c.name, nr.acked_at IS NOT NULL AS acked,
              EXISTS (SELECT 1 FROM visits v JOIN regions vr ON vr.id = v.village_id
                       WHERE v.cadre_id = c.id AND v.revoked_at IS NULL AND vr.path LIKE $2
                         AND v.started_at >= $3 AND v.started_at < $4) AS attended
         FROM notice_recipients nr JOIN cadres c ON c.id = nr.cadre_id
        WHERE nr.notice_id = $1 ORDER BY c.id`,
      [n.id, subtreeLike(n.scope_path), n.created_at, n.window_end],
    );
    out.push({ id: n.id, content: n.content, createdAt: new Date(n.created_at), sender: n.sender, people });
  }
  return out;
}
