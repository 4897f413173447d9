import { claimFollowUpRounds, type FollowUpRound } from '../src/services/notices/follow-up';
import { NOTICE_HEADINGS } from '../src/services/notices/notices';
import { addToOutbox, textMessage, type OutboundMessage } from '../src/services/outbox/write';
import { getRules } from '../src/services/rules/rules';
import { inTransaction, type JobDeps, type JobSummary } from '../src/services/jobs/job-runs';
import { formatShanghai } from '../src/lib/time';

/**
 * Notice follow-up (every 15 min), at the rhythm of the rules: a first round
 * 'notice.followup_hours' after sending, then each morning at
 * 'notice.followup_daily_hour' until the notice's 'notice.followup_days'-th day.
 * In each round the recipients without 收到 are reminded, and the sender gets
 * the receipt: who has not acknowledged, and who checked in at the notice's
 * villages since it was sent (until attend_until when set), under the
 * notice's 五必到 kind. A round with everyone acknowledged sends nothing.
 */

const FOLLOW_UP = (heading: string, content: string, sender: string, sent: Date) =>
  `【通知提醒】${formatShanghai(sent)}的${heading}您还没有回复“收到”：\n${content}\n——${sender}\n请回复“收到”确认。`;
const REPORT = (heading: string, sent: Date, excerpt: string, total: number, acked: number, attended: number) =>
  `【通知回执】您${formatShanghai(sent)}发出的${heading}“${excerpt}”：共${total}人，已回复“收到”${acked}人，已到村签到${attended}人。`;
const NOT_ACKED = (names: string[], more: number) => `未回复（${names.length + more}人）：${names.join('、')}${more > 0 ? `等` : ''}`;
const ATTENDED = (names: string[], more: number) => `期间到村签到（${names.length + more}人）：${names.join('、')}${more > 0 ? `等` : ''}`;
const MAX_NAMES = 50;

export async function runNoticeFollowup(deps: JobDeps, now: Date): Promise<JobSummary> {
  const rules = await getRules(deps.db, ['notice.followup_hours', 'notice.followup_daily_hour', 'notice.followup_days']);
  const rhythm = {
    firstAfterHours: rules['notice.followup_hours'], dailyHour: rules['notice.followup_daily_hour'], days: rules['notice.followup_days'],
  };
  return inTransaction(deps, 'notice-followup', async (manager) => {
    const rounds = (await claimFollowUpRounds(manager, now, rhythm)).filter((r) => r.userids.length > 0);
    const messages: OutboundMessage[] = rounds.flatMap((r) => [
      textMessage(`notice-followup:${r.noticeId}:${r.round}`, r.userids, FOLLOW_UP(NOTICE_HEADINGS[r.kind], r.content, r.sender.name, r.createdAt)),
      textMessage(`notice-report:${r.noticeId}:${r.round}`, r.sender.userid, reportText(r)),
    ]);
    const outboxIds = await addToOutbox(manager, messages);
    return { summary: { rounds: rounds.length, messages: messages.length, queued: outboxIds.length }, outboxIds };
  });
}

/** The sender's receipt: totals, who has not acknowledged, who checked in since. */
function reportText(r: FollowUpRound): string {
  const notAcked = r.people.filter((p) => !p.acked).map((p) => p.name);
  const attended = r.people.filter((p) => p.attended).map((p) => p.name);
  const excerpt = r.content.length > 20 ? `${r.content.slice(0, 20)}…` : r.content;
  const lines = [REPORT(NOTICE_HEADINGS[r.kind], r.createdAt, excerpt, r.people.length, r.people.length - notAcked.length, attended.length)];
  lines.push(NOT_ACKED(notAcked.slice(0, MAX_NAMES), Math.max(0, notAcked.length - MAX_NAMES)));
  if (attended.length > 0) lines.push(ATTENDED(attended.slice(0, MAX_NAMES), Math.max(0, attended.length - MAX_NAMES)));
  return lines.join('\n');
}
