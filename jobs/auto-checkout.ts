import { addToOutbox, textMessage } from '../src/services/outbox/write';
import { getRules } from '../src/services/rules/rules';
import { closeOpenVisits } from '../src/services/visits/auto-checkout';
import { inTransaction, type JobDeps, type JobSummary } from '../src/services/jobs/job-runs';
import { formatDuration, formatShanghai } from '../src/lib/time';

/**
 * Check-ins left open longer than 'checkin.stay_cap_hours' are closed as a
 * forgotten 签退, counted as start + 'checkin.auto_checkout_cap_hours', marked
 * auto_closed, and the cadre is told. Idempotent: only open rows are touched.
 */

const TOLD = (village: string, started: Date, ended: Date, minutes: number, cap: number) =>
  `【自动签退】您${formatShanghai(started)}在${village}的签到超过${cap}小时未签退，系统已自动签退，` +
  `按${formatShanghai(ended)}签退计入${formatDuration(minutes)}。下次离村请回复“签退”。`;

export async function runAutoCheckout(deps: JobDeps, now: Date): Promise<JobSummary> {
  const rules = await getRules(deps.db, ['checkin.stay_cap_hours', 'checkin.auto_checkout_cap_hours']);
  const capHours = rules['checkin.stay_cap_hours'];
  return inTransaction(deps, 'auto-checkout', async (manager) => {
    const closed = await closeOpenVisits(manager, now, { capHours, countedHours: rules['checkin.auto_checkout_cap_hours'] });
    const outboxIds = await addToOutbox(manager, closed.map((v) => textMessage(
      `auto-checkout:${v.id}`, v.userid, TOLD(v.village, v.startedAt, v.endedAt, v.durationMinutes, capHours))));
    return { summary: { closed: closed.length, queued: outboxIds.length }, outboxIds };
  });
}
