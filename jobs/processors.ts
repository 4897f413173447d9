import { UnrecoverableError } from 'bullmq';
import { runAutoCheckout } from './auto-checkout';
import type { JobDeps, JobSummary, LinkJobDeps } from '../src/services/jobs/job-runs';
import { runDigest } from './digest';
import { runFestivalReminders } from './festival-reminders';
import { runNoticeFollowup } from './notice-followup';
import { runOverdueProblems } from './overdue-problems';
import { runMustVisitReminders } from './must-visit-reminders';
import { DIGEST_PERIODS } from '../src/services/digest/periods';
import type { JobName, JobPayloads } from './queues';
import { runQuotaReminders } from './quota-reminders';
import { runRetention } from './retention';

/** Every job's processor, written out (no discovery). */
export const PROCESSORS: { [K in JobName]: (deps: JobDeps, now: Date, data: JobPayloads[K]) => Promise<JobSummary> } = {
  digest: (deps, now, data) => {
    const period = data.period ?? 'day';
    if (!DIGEST_PERIODS.includes(period)) throw new UnrecoverableError(`unknown digest period ${String(period)}`);
    return runDigest(deps, now, period);
  },
  'quota-reminders': (deps, now) => runQuotaReminders(deps, now),
  'festival-reminders': (deps, now) => runFestivalReminders(withPublicUrl(deps), now),
  'notice-followup': (deps, now) => runNoticeFollowup(deps, now),
  'overdue-problems': (deps, now) => runOverdueProblems(withPublicUrl(deps), now),
  'must-visit-reminders': (deps, now) => runMustVisitReminders(withPublicUrl(deps), now),
  'auto-checkout': (deps, now) => runAutoCheckout(deps, now),
  retention: (deps, now) => runRetention(deps, now),
};

/** Reminder cards open the app's pages: without its external URL the job cannot build them (a wiring fault, not worth retrying). */
function withPublicUrl(deps: JobDeps): LinkJobDeps {
  if (!deps.publicUrl) throw new UnrecoverableError('no public URL for the reminder cards');
  return { ...deps, publicUrl: deps.publicUrl };
}

/** A payload's "now": an ISO time with offset; anything else is bad input, not worth retrying. */
export function payloadNow(data: { now?: unknown } | undefined, fallback: Date): Date {
  if (data?.now === undefined) return fallback;
  const d = typeof data.now === 'string' ? new Date(data.now) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new UnrecoverableError(`bad "now" in job data: ${String(data.now)}`);
  return d;
}
