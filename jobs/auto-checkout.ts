import { addToOutbox, textMessage } from '../src/services/outbox/write';
import { getRule } from '../src/services/rules/rules';
import { closeOpenVisits } from '../src/services/visits/auto-checkout';
import { inTransaction, type JobDeps, type JobSummary } from '../src/services/jobs/job-runs';
import { formatDuration, formatShanghai } from '../src/lib/time';

/**
 * Open check-ins are closed at the end of their (Shanghai) day, the duration
 * capped at 'checkin.auto_checkout_cap_hours' (and never past "now"), marked
 * auto_closed, and the cadre is told. Idempotent: only open rows are touched.
 */

const TOLD = (village: string, started: Date, ended: Date, minutes: number, cap: number) =>
  `【自动签退】您${formatShanghai(started)}在${village}的签到未签退，系统已按${formatShanghai(ended)}自动签退，` +
  `计入${formatDuration(minutes)}（未签退时最多计${cap}小时）。下次离村请回复“签退”。`;

export async function runAutoCheckout(deps: JobDeps, now: Date): Promise<JobSummary> {
  const cap = await getRule(deps.db, 'checkin.auto_checkout_cap_hours');
  return inTransaction(deps, 'auto-checkout', async (manager) => {
    const closed = await closeOpenVisits(manager, now, cap);
    const outboxIds = await addToOutbox(manager, closed.map((v) => textMessage(
      `auto-checkout:${v.id}`, v.userid, TOLD(v.village, v.startedAt, v.endedAt, v.durationMinutes, cap))));
    return { summary: { closed: closed.length, queued: outboxIds.length }, outboxIds };
  });
}
