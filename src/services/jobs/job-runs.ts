import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../../lib/logger';

/**
 * The scheduled jobs' bookkeeping: the job_runs row that makes a job run once
 * per period, the transaction its work and outbox rows commit in, and the
 * dispatch of those rows after commit. The job files in jobs/ hold the texts.
 */

/**
 * What every processor gets. Processors are plain async functions
 * (deps, now) → summary; the worker, the CLI and tests call them the same way.
 */
export interface JobDeps {
  db: DataSource;
  logger: Logger;
  /** Hands committed outbox row ids to delivery (the outbox dispatcher); the sweeper covers its absence. */
  dispatch?: (ids: number[]) => Promise<void>;
  /** The app's external URL (config.publicUrl): the pages the reminder cards open. */
  publicUrl?: string;
}

/** The deps of a job whose messages link to the app's pages. */
export type LinkJobDeps = JobDeps & { publicUrl: string };

export type JobSummary = Record<string, unknown> & { skipped?: boolean };

/**
 * Runs `work` at most once per (job, period): the job_runs row is inserted in
 * the same transaction as the work and its outbox rows, so a crash leaves no
 * row and the next run does the work; a second run finds the row and skips.
 * Outbox ids `work` returns are dispatched after commit.
 */
export async function oncePerPeriod(
  deps: JobDeps, job: string, periodKey: string, now: Date,
  work: (manager: EntityManager) => Promise<{ summary: Record<string, unknown>; outboxIds: number[] }>,
): Promise<JobSummary> {
  const result = await deps.db.transaction(async (manager) => {
    const claimed: unknown[] = await manager.query(
      `INSERT INTO job_runs (job, period_key, started_at) VALUES ($1, $2, $3)
       ON CONFLICT (job, period_key) DO NOTHING RETURNING job`,
      [job, periodKey, now],
    );
    if (claimed.length === 0) return null;
    const r = await work(manager);
    await manager.query(
      'UPDATE job_runs SET finished_at = clock_timestamp(), summary = $3 WHERE job = $1 AND period_key = $2',
      [job, periodKey, JSON.stringify(r.summary)],
    );
    return r;
  });
  const log = deps.logger.child({ area: 'jobs', job, periodKey });
  if (!result) {
    log.info('already ran for this period; skipped');
    return { skipped: true };
  }
  await dispatchAfterCommit(deps, result.outboxIds);
  log.info(result.summary, 'job done');
  return result.summary;
}

/** For jobs that are idempotent by their own columns (notice-followup, auto-checkout). */
export async function inTransaction(
  deps: JobDeps, job: string,
  work: (manager: EntityManager) => Promise<{ summary: Record<string, unknown>; outboxIds: number[] }>,
): Promise<JobSummary> {
  const r = await deps.db.transaction(work);
  await dispatchAfterCommit(deps, r.outboxIds);
  if (r.outboxIds.length > 0) deps.logger.child({ area: 'jobs', job }).info(r.summary, 'job done');
  return r.summary;
}

async function dispatchAfterCommit(deps: JobDeps, ids: number[]): Promise<void> {
  if (!deps.dispatch || ids.length === 0) return;
  try {
    await deps.dispatch(ids);
  } catch (err) {
    // Rows are committed; the sweeper sends them.
    deps.logger.child({ area: 'jobs' }).warn({ err: (err as Error).message }, 'dispatch failed; the sweeper will send');
  }
}

/**
 * Province-wide scans (digest, quota reminders) hash-join and sort millions of
 * links; with the default 4 MB work_mem they spill to disk. For this transaction
 * only: more memory; parallel workers even when millions of rows come back
 * through them (the default cost of a row passed by a worker keeps a 5-million-row
 * sort on one core).
 */
export async function allowLargeScans(manager: EntityManager): Promise<void> {
  await manager.query(`SET LOCAL work_mem = '256MB'; SET LOCAL parallel_tuple_cost = 0.001`);
}
