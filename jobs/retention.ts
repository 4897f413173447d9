import { getRule } from '../src/services/rules/rules';
import { clearExpiredContent } from '../src/services/ops/retention';
import type { JobDeps, JobSummary } from '../src/services/jobs/job-runs';

/**
 * Clears message content older than 'retention.raw_days' (src/services/ops/retention.ts).
 * Idempotent by its own columns: a second run finds nothing left to clear.
 */
export async function runRetention(deps: JobDeps, now: Date): Promise<JobSummary> {
  const days = await getRule(deps.db, 'retention.raw_days');
  const summary = await clearExpiredContent(deps.db, now, { days, pauseMs: 20 });
  deps.logger.child({ area: 'jobs', job: 'retention' }).info(summary, 'job done');
  return { ...summary };
}
