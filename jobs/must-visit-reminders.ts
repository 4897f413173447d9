import { addToOutbox, textMessage, type OutboundMessage } from '../src/services/outbox/write';
import { escalateMustVisits, overdueMustVisits, type OverdueMustVisit } from '../src/services/must-visits/overdue';
import { getRule } from '../src/services/rules/rules';
import { oncePerPeriod, type JobDeps, type JobSummary } from '../src/services/jobs/job-runs';
import { formatShanghai, shanghaiDate } from '../src/lib/time';
import { groupBy } from '../src/lib/group-by';

/**
 * Overdue must-visits (daily 09:00). The cadre who owes each overdue 五必访
 * visit is reminded (one message per cadre, every day it stays overdue); an
 * event 'must_visit.escalate_after_days' past its deadline is reported once to
 * its township's leaders (src/services/must-visits/overdue.ts).
 */

const CADRE_HEAD = '【五必访逾期提醒】以下联系户的必访事项已超过期限，请尽快入户走访：';
const CADRE_TAIL = '走访后发送“走访 户主姓名 事由 情况”，例如：走访 张三 住院 已看望。';
const LEADER_HEAD = '【五必访逾期上报】以下必访事项逾期未走访，请督促联户干部：';
const LINE = (e: OverdueMustVisit, now: Date) => `· ${e.householder}（${e.village}）${e.kind}，期限${formatShanghai(e.dueAt, now)}`;
const LEADER_LINE = (e: OverdueMustVisit, now: Date) => `${LINE(e, now)}，联户干部：${e.cadre?.name ?? '无'}`;

export async function runMustVisitReminders(deps: JobDeps, now: Date): Promise<JobSummary> {
  const today = shanghaiDate(now);
  const after = await getRule(deps.db, 'must_visit.escalate_after_days');
  return oncePerPeriod(deps, 'must-visit-reminders', today, now, async (manager) => {
    const overdue = await overdueMustVisits(manager, now);
    const messages: OutboundMessage[] = [];
    const byCadre = groupBy(overdue.filter((e) => e.cadre), (e) => e.cadre!.userid);
    for (const [userid, es] of byCadre) {
      messages.push(textMessage(`must-visit-overdue:${today}:${userid}`, userid,
        [CADRE_HEAD, ...es.map((e) => LINE(e, now)), CADRE_TAIL].join('\n')));
    }
    const escalations = await escalateMustVisits(manager, overdue, after, now);
    const toLeaders = new Map<string, OverdueMustVisit[]>();
    for (const { event, target } of escalations) {
      for (const u of target.userids) toLeaders.set(u, [...(toLeaders.get(u) ?? []), event]);
    }
    for (const [userid, es] of toLeaders) {
      messages.push(textMessage(`must-visit-escalated:${today}:${userid}`, userid,
        [LEADER_HEAD, ...es.map((e) => LEADER_LINE(e, now))].join('\n')));
    }
    const outboxIds = await addToOutbox(manager, messages);
    return {
      summary: { overdue: overdue.length, cadres: byCadre.size, escalated: escalations.length, queued: outboxIds.length },
      outboxIds,
    };
  });
}
