import type { NoticeKind } from '../../../entities';
import { subtreeLike } from '../people/regions';
import { addDays, shanghaiDate, startOfShanghaiDay } from '../../lib/time';
import type { Db } from '../../lib/db';

/**
 * A notice's follow-up (jobs/notice-followup.ts) at a rhythm kept as rules: a
 * first round `firstAfterHours` after sending, then one each morning at
 * `dailyHour` until the notice's `days`-th day (the day it was sent is day 1).
 * A round reminds the recipients still without 收到 and gives the sender the
 * receipt. Rounds are claimed on the notice (notices.followups_sent), so each
 * happens once however often the job runs; a run that missed rounds does the
 * latest one only.
 */

export interface FollowUpRhythm {
  firstAfterHours: number;
  dailyHour: number;
  days: number;
}

export interface FollowUpRound {
  noticeId: number;
  /** 1 for the first round. */
  round: number;
  kind: NoticeKind;
  content: string;
  createdAt: Date;
  /** The sender's name and userid: the receipt goes to them. */
  sender: { name: string; userid: string };
  /** Active recipients still without 收到, by cadre id. */
  userids: string[];
  /** Every recipient by cadre id: acknowledged, and checked in at a village of the notice's scope since it was sent. */
  people: { name: string; acked: boolean; attended: boolean }[];
}

const HOUR_MS = 3_600_000;

/** The rounds' times: the first after `firstAfterHours`, then each morning at `dailyHour` up to day `days`. */
export function followUpTimes(createdAt: Date, r: FollowUpRhythm): Date[] {
  const first = new Date(createdAt.getTime() + r.firstAfterHours * HOUR_MS);
  const times = [first];
  const day1 = shanghaiDate(createdAt);
  for (let d = 1; d < r.days; d++) {
    const t = new Date(startOfShanghaiDay(addDays(day1, d)).getTime() + r.dailyHour * HOUR_MS);
    if (t > first) times.push(t);
  }
  return times;
}

/** Claims the round due at `now` of every notice whose rhythm is not over, with its recipients. */
export async function claimFollowUpRounds(db: Db, now: Date, rhythm: FollowUpRhythm): Promise<FollowUpRound[]> {
  // Notices sent within the rhythm's days (and at least firstAfterHours ago): few rows, by notices_created_idx.
  const candidates: { id: number; created_at: Date; followups_sent: number }[] = await db.query(
    `SELECT id, created_at, followups_sent FROM notices
      WHERE created_at > $1::timestamptz - make_interval(days => $2::int + 1)
        AND created_at <= $1::timestamptz - make_interval(hours => $3::int) AND followups_sent < $2::int
      ORDER BY id`,
    [now, rhythm.days, rhythm.firstAfterHours],
  );
  const rounds: FollowUpRound[] = [];
  for (const n of candidates) {
    const due = followUpTimes(new Date(n.created_at), rhythm).filter((t) => t <= now).length;
    if (due <= n.followups_sent) continue;
    const round = await claimRound(db, n.id, n.followups_sent, due, now);
    if (round) rounds.push(round);
  }
  return rounds;
}

async function claimRound(db: Db, noticeId: number, sent: number, due: number, now: Date): Promise<FollowUpRound | null> {
  const [notice]: { kind: NoticeKind; content: string; created_at: Date; attend_until: Date | null; sender_name: string; sender_userid: string;
    scope_path: string }[] = await db.query(
    `WITH u AS (
       UPDATE notices SET followups_sent = $3, reported_at = $4 WHERE id = $1 AND followups_sent = $2
       RETURNING kind, content, created_at, attend_until, sender_id, scope_region_id)
     SELECT u.kind, u.content, u.created_at, u.attend_until, s.name AS sender_name, s.userid AS sender_userid, r.path AS scope_path
       FROM u JOIN cadres s ON s.id = u.sender_id JOIN regions r ON r.id = u.scope_region_id`,
    [noticeId, sent, due, now],
  );
  if (!notice) return null; // another run claimed it
  const unacked: { userid: string }[] = await db.query(
    `WITH f AS (
       UPDATE notice_recipients SET followed_up_at = $2 WHERE notice_id = $1 AND acked_at IS NULL RETURNING cadre_id)
     SELECT c.userid FROM f JOIN cadres c ON c.id = f.cadre_id AND c.active ORDER BY c.id`,
    [noticeId, now],
  );
  const until = notice.attend_until && notice.attend_until < now ? notice.attend_until : now;
  const people: FollowUpRound['people'] = await db.query(
    `SELECT c.name, nr.acked_at IS NOT NULL AS acked,
            EXISTS (SELECT 1 FROM visits v JOIN regions vr ON vr.id = v.village_id
                     WHERE v.cadre_id = c.id AND v.revoked_at IS NULL AND vr.path LIKE $2
                       AND v.started_at >= $3 AND v.started_at < $4) AS attended
       FROM notice_recipients nr JOIN cadres c ON c.id = nr.cadre_id
      WHERE nr.notice_id = $1 ORDER BY c.id`,
    [noticeId, subtreeLike(notice.scope_path), notice.created_at, until],
  );
  return {
    noticeId, round: due, kind: notice.kind, content: notice.content, createdAt: new Date(notice.created_at),
    sender: { name: notice.sender_name, userid: notice.sender_userid }, userids: unacked.map((r) => r.userid), people,
  };
}
