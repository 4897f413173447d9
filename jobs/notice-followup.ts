import type { EntityManager } from 'typeorm';
import { addToOutbox, textMessage, type OutboundMessage } from '../src/services/outbox/write';
import { subtreeLike } from '../src/services/people/regions';
import { getRules } from '../src/services/rules/rules';
import { formatShanghai } from '../src/lib/time';
import { inTransaction, type JobDeps, type JobSummary } from './deps';

/**
 * Notice follow-up (every 15 min). Recipients without 收到 after
 * 'notice.followup_hours' get ONE follow-up (followed_up_at); after
 * 'notice.report_hours' the sender gets the list of non-acknowledgers and of
 * cadres who checked in at the notice's villages since it was sent (attendance,
 * until attend_until when set), once (notices.reported_at).
 */

const FOLLOW_UP = (content: string, sender: string, sent: Date) =>
  `【通知提醒】${formatShanghai(sent)}的紧急通知您还没有回复“收到”：\n${content}\n——${sender}\n请回复“收到”确认。`;
const REPORT = (sent: Date, excerpt: string, total: number, acked: number) =>
  `【通知回执】您${formatShanghai(sent)}发出的通知“${excerpt}”：共${total}人，已回复“收到”${acked}人。`;
const NOT_ACKED = (names: string[], more: number) => `未回复（${names.length + more}人）：${names.join('、')}${more > 0 ? `等` : ''}`;
const ATTENDED = (names: string[], more: number) => `期间到村签到（${names.length + more}人）：${names.join('、')}${more > 0 ? `等` : ''}`;
const ALL_ACKED = '全部已回复。';
const MAX_NAMES = 50;

export async function runNoticeFollowup(deps: JobDeps, now: Date): Promise<JobSummary> {
  const rules = await getRules(deps.db, ['notice.followup_hours', 'notice.report_hours']);
  return inTransaction(deps, 'notice-followup', async (manager) => {
    const messages = [
      ...(await followUps(manager, now, rules['notice.followup_hours'])),
      ...(await reports(manager, now, rules['notice.report_hours'])),
    ];
    const outboxIds = await addToOutbox(manager, messages);
    return { summary: { messages: messages.length, queued: outboxIds.length }, outboxIds };
  });
}

async function followUps(manager: EntityManager, now: Date, hours: number): Promise<OutboundMessage[]> {
  const rows: { notice_id: number; content: string; sender: string; created_at: Date; userids: string[] }[] =
    await manager.query(
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
  // Each recipient is followed up once (followed_up_at), so the run's time keeps keys unique.
  return rows.map((r) => textMessage(`notice-followup:${r.notice_id}:${now.toISOString()}`, r.userids,
    FOLLOW_UP(r.content, r.sender, new Date(r.created_at))));
}

async function reports(manager: EntityManager, now: Date, hours: number): Promise<OutboundMessage[]> {
  const due: { id: number; content: string; created_at: Date; sender: string; window_end: Date; scope_path: string }[] =
    (await manager.query(
      `UPDATE notices n SET reported_at = $1 FROM cadres s, regions r
        WHERE s.id = n.sender_id AND r.id = n.scope_region_id AND n.reported_at IS NULL
          AND n.created_at <= $1::timestamptz - make_interval(hours => $2::int)
       RETURNING n.id, n.content, n.created_at, s.userid AS sender,
                 coalesce(n.attend_until, n.created_at + make_interval(hours => $2::int)) AS window_end, r.path AS scope_path`,
      [now, hours],
    ))[0];
  const out: OutboundMessage[] = [];
  for (const n of due) {
    const people: { name: string; acked: boolean; attended: boolean }[] = await manager.query(
      `SELECT c.name, nr.acked_at IS NOT NULL AS acked,
              EXISTS (SELECT 1 FROM visits v JOIN regions vr ON vr.id = v.village_id
                       WHERE v.cadre_id = c.id AND v.revoked_at IS NULL AND vr.path LIKE $2
                         AND v.started_at >= $3 AND v.started_at < $4) AS attended
         FROM notice_recipients nr JOIN cadres c ON c.id = nr.cadre_id
        WHERE nr.notice_id = $1 ORDER BY c.id`,
      [n.id, subtreeLike(n.scope_path), n.created_at, n.window_end],
    );
    const notAcked = people.filter((p) => !p.acked).map((p) => p.name);
    const attended = people.filter((p) => p.attended).map((p) => p.name);
    const excerpt = n.content.length > 20 ? `${n.content.slice(0, 20)}…` : n.content;
    const lines = [REPORT(new Date(n.created_at), excerpt, people.length, people.length - notAcked.length)];
    lines.push(notAcked.length === 0 ? ALL_ACKED
      : NOT_ACKED(notAcked.slice(0, MAX_NAMES), Math.max(0, notAcked.length - MAX_NAMES)));
    if (attended.length > 0) lines.push(ATTENDED(attended.slice(0, MAX_NAMES), Math.max(0, attended.length - MAX_NAMES)));
    out.push(textMessage(`notice-report:${n.id}`, n.sender, lines.join('\n')));
  }
  return out;
}
