import { addToOutbox, type OutboundMessage } from '../src/services/outbox/write';
import { checkinPageUrl, linkCardMessage } from '../src/services/notices/link-cards';
import { escalateMustVisits, overdueMustVisits, type OverdueMustVisit } from '../src/services/must-visits/overdue';
import { getRule } from '../src/services/rules/rules';
import { oncePerPeriod, type JobSummary, type LinkJobDeps } from '../src/services/jobs/job-runs';
import { formatShanghai, shanghaiDate } from '../src/lib/time';
import { groupBy } from '../src/lib/group-by';

/**
 * Overdue must-visits (daily 09:00). The cadre who owes each overdue 五必访
 * visit is reminded (one message per cadre, every day it stays overdue); an
 * event 'must_visit.escalate_after_days' past its deadline is reported once to
 * its township's leaders (src/services/must-visits/overdue.ts). Both go as
 * text-notice cards that open the H5 check-in page (text when WeCom refuses cards).
 */

const CADRE_TITLE = '五必访逾期提醒';
const CADRE_SUMMARY = '以下联系户的必访事项已超过期限，请尽快入户走访';
const CADRE_HEAD = `【${CADRE_TITLE}】${CADRE_SUMMARY}：`;
const CADRE_TAIL = '走访后发送“走访 户主姓名 事由 情况”，例如：走访 张三 住院 已看望。';
const LEADER_TITLE = '五必访逾期上报';
const LEADER_SUMMARY = '以下必访事项逾期未走访，请督促联户干部';
const LEADER_HEAD = `【${LEADER_TITLE}】${LEADER_SUMMARY}：`;
const LINE = (e: OverdueMustVisit, now: Date) => `· ${e.householder}（${e.village}）${e.kind}，期限${formatShanghai(e.dueAt, now)}`;
const LEADER_LINE = (e: OverdueMustVisit, now: Date) => `${LINE(e, now)}，联户干部：${e.cadre?.name ?? '无'}`;

export async function runMustVisitReminders(deps: LinkJobDeps, now: Date): Promise<JobSummary> {
  const today = shanghaiDate(now);
  const after = await getRule(deps.db, 'must_visit.escalate_after_days');
  return oncePerPeriod(deps, 'must-visit-reminders', today, now, async (manager) => {
    const overdue = await overdueMustVisits(manager, now);
    const messages: OutboundMessage[] = [];
    const url = checkinPageUrl(deps.publicUrl);
    const byCadre = groupBy(overdue.filter((e) => e.cadre), (e) => e.cadre!.userid);
    for (const [userid, es] of byCadre) {
      const lines = es.map((e) => LINE(e, now));
      messages.push(linkCardMessage(`must-visit-overdue:${today}:${userid}`, userid, {
        title: CADRE_TITLE, summary: CADRE_SUMMARY, lines, url, fallbackText: [CADRE_HEAD, ...lines, CADRE_TAIL].join('\n'),
      }));
    }
    const escalations = await escalateMustVisits(manager, overdue, after, now);
    const toLeaders = new Map<string, OverdueMustVisit[]>();
    for (const { event, target } of escalations) {
      for (const u of target.userids) toLeaders.set(u, [...(toLeaders.get(u) ?? []), event]);
    }
    for (const [userid, es] of toLeaders) {
      const lines = es.map((e) => LEADER_LINE(e, now));
      messages.push(linkCardMessage(`must-visit-escalated:${today}:${userid}`, userid, {
        title: LEADER_TITLE, summary: LEADER_SUMMARY, lines, url, fallbackText: [LEADER_HEAD, ...lines].join('\n'),
      }));
    }
    const outboxIds = await addToOutbox(manager, messages);
    return {
      summary: { overdue: overdue.length, cadres: byCadre.size, escalated: escalations.length, queued: outboxIds.length },
      outboxIds,
    };
  });
}
