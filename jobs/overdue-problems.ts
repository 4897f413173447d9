import { addToOutbox, type OutboundMessage } from '../src/services/outbox/write';
import { linkCardMessage, problemPageUrl } from '../src/services/notices/link-cards';
import { escalateOverdue, overdueProblems, type OverdueProblem } from '../src/services/problems/overdue';
import { getRule } from '../src/services/rules/rules';
import { oncePerPeriod, type JobSummary, type LinkJobDeps } from '../src/services/jobs/job-runs';
import { shanghaiDate } from '../src/lib/time';
import { groupBy } from '../src/lib/group-by';

/**
 * Overdue problems (daily 09:00). The owner of every open problem past its
 * deadline is reminded (one message per owner). A problem overdue by more
 * than N = 'problem.escalate_after_days' days is escalated one level up per N
 * days (src/services/problems/overdue.ts); the leaders it reaches get one
 * message each listing their escalated problems. Both go as text-notice cards
 * that open the problem in the console's ledger (the ledger when they list
 * several), or as text when WeCom refuses cards.
 */

const OWNER_TITLE = '问题逾期提醒';
const OWNER_SUMMARY = '您负责的以下问题已超过整改期限';
const OWNER_HEAD = `【${OWNER_TITLE}】${OWNER_SUMMARY}：`;
const OWNER_TAIL = '整改完成后请回复“销号 编号 整改说明”。';
const LEADER_TITLE = '问题逾期上报';
const LEADER_SUMMARY = '以下问题逾期未销号，请督促整改';
const LEADER_HEAD = `【${LEADER_TITLE}】${LEADER_SUMMARY}：`;
const LINE = (p: OverdueProblem) => `· ${p.code} ${p.village} 逾期${p.days}天：${p.description.slice(0, 40)}`;
const ESCALATED_NOTE = (days: number, region: string) => `逾期${days}天，上报${region}领导`;

export async function runOverdueProblems(deps: LinkJobDeps, now: Date): Promise<JobSummary> {
  const today = shanghaiDate(now);
  const after = await getRule(deps.db, 'problem.escalate_after_days');
  return oncePerPeriod(deps, 'overdue-problems', today, now, async (manager) => {
    const overdue = await overdueProblems(manager, today);
    const messages: OutboundMessage[] = [];
    const byOwner = groupBy(overdue.filter((p) => p.owner), (p) => p.owner!);
    for (const [userid, ps] of byOwner) {
      messages.push(linkCardMessage(`problem-overdue:${today}:${userid}`, userid, {
        title: OWNER_TITLE, summary: OWNER_SUMMARY, lines: ps.map(LINE), url: ledgerUrl(deps.publicUrl, ps),
        fallbackText: [OWNER_HEAD, ...ps.map(LINE), OWNER_TAIL].join('\n'),
      }));
    }
    const escalations = await escalateOverdue(manager, overdue, after, now, ESCALATED_NOTE);
    const toLeaders = new Map<string, OverdueProblem[]>();
    for (const { problem, target } of escalations) {
      for (const u of target.userids) toLeaders.set(u, [...(toLeaders.get(u) ?? []), problem]);
    }
    for (const [userid, ps] of toLeaders) {
      messages.push(linkCardMessage(`problem-escalated:${today}:${userid}`, userid, {
        title: LEADER_TITLE, summary: LEADER_SUMMARY, lines: ps.map(LINE), url: ledgerUrl(deps.publicUrl, ps),
        fallbackText: [LEADER_HEAD, ...ps.map(LINE)].join('\n'),
      }));
    }
    const outboxIds = await addToOutbox(manager, messages);
    return {
      summary: { overdue: overdue.length, owners: byOwner.size, escalated: escalations.length, queued: outboxIds.length },
      outboxIds,
    };
  });
}

/** One problem opens at its page; several at the ledger. */
function ledgerUrl(publicUrl: string, ps: OverdueProblem[]): string {
  return problemPageUrl(publicUrl, ps.length === 1 ? ps[0].id : undefined);
}
