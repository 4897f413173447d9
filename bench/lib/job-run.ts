import type { DataSource } from 'typeorm';
import type { JobSummary } from '../../src/services/jobs/job-runs';
import { createLogger } from '../../src/lib/logger';
import { timed } from './queries';

/**
 * Runs one scheduled job end to end on the bench database (its SQL, rendering
 * and outbox inserts, committed as the worker would), then removes what it
 * wrote (its job_runs row and outbox rows), so the run can be repeated.
 * No dispatch: nothing is sent.
 */
export async function runJobOnce(
  ds: DataSource,
  job: string,
  run: (deps: { db: DataSource; logger: ReturnType<typeof createLogger> }) => Promise<JobSummary>,
): Promise<{ ms: number; summary: JobSummary; outboxRows: number; rssMb: number }> {
  const [{ outbox }] = await ds.query('SELECT coalesce(max(id), 0) AS outbox FROM outbox_messages');
  await ds.query('DELETE FROM job_runs WHERE job = $1', [job]);
  const { ms, value } = await timed(() => run({ db: ds, logger: createLogger('warn') }));
  const rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM outbox_messages WHERE id > $1', [outbox]);
  await ds.query('DELETE FROM outbox_messages WHERE id > $1', [outbox]);
  await ds.query('DELETE FROM job_runs WHERE job = $1', [job]);
  return { ms, summary: value, outboxRows: n, rssMb };
}
