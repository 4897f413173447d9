import { claimFollowUps, claimReports, type ReportDue } from '../src/services/notices/follow-up';
import { addToOutbox, textMessage, type OutboundMessage } from '../src/services/outbox/write';
import { getRules } from '../src/services/rules/rules';
import { inTransaction, type JobDeps, type JobSummary } from '../src/services/jobs/job-runs';
import { formatShanghai } from '../src/lib/time';

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
    const followUps = await claimFollowUps(manager, now, rules['notice.followup_hours']);
    const reports = await claimReports(manager, now, rules['notice.report_hours']);
    const messages: OutboundMessage[] = [
      // Each recipient is followed up once (followed_up_at), so the run's time keeps keys unique.
      ...followUps.map((f) => textMessage(`notice-followup:${f.noticeId}:${now.toISOString()}`, f.userids,
        FOLLOW_UP(f.content, f.sender, f.createdAt))),
      ...reports.map((n) => textMessage(`notice-report:${n.id}`, n.sender, reportText(n))),
    ];
    const outboxIds = await addToOutbox(manager, messages);
    return { summary: { messages: messages.length, queued: outboxIds.length }, outboxIds };
  });
}

/** The sender's receipt: totals, who has not acknowledged, who checked in meanwhile. */
function reportText(n: ReportDue): string {
  const notAcked = n.people.filter((p) => !p.acked).map((p) => p.name);
  const attended = n.people.filter((p) => p.attended).map((p) => p.name);
  const excerpt = n.content.length > 20 ? `${n.content.slice(0, 20)}…` : n.content;
  const lines = [REPORT(n.createdAt, excerpt, n.people.length, n.people.length - notAcked.length)];
  lines.push(notAcked.length === 0 ? ALL_ACKED
    : NOT_ACKED(notAcked.slice(0, MAX_NAMES), Math.max(0, notAcked.length - MAX_NAMES)));
  if (attended.length > 0) lines.push(ATTENDED(attended.slice(0, MAX_NAMES), Math.max(0, attended.length - MAX_NAMES)));
  return lines.join('\n');
}
