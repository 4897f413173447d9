import { UnrecoverableError, Worker, type Queue } from 'bullmq';
import { systemClock, type Clock } from '../src/lib/db';
import { queuePrefix } from '../src/lib/queue-names';
import { Redis } from 'ioredis';
import type { JobDeps } from '../src/services/jobs/job-runs';
import { startPhotoWorker, type PhotoWorkerDeps } from './photo-fetch';
import { PROCESSORS, payloadNow } from './processors';
import { createJobsQueue, isJobName, JOBS_QUEUE } from './queues';
import { repeatEvery } from '../src/lib/interval-loop';
import { within } from '../src/lib/promise-timeout';
import { resolveSchedules, restoreMissingSchedules, SCHEDULE_CHECK_MS, upsertSchedules, type Schedule } from './schedules';

/**
 * The scheduled-jobs worker: upserts every schedule (jobs/schedules.ts), then
 * runs each job's processor with "now" = the clock at run time (or the
 * payload's fixed now). Failures are retried by BullMQ (3 attempts, backoff);
 * bad input throws UnrecoverableError and is not.
 */

export interface WorkerDeps extends JobDeps {
  redisUrl: string;
  /** BullMQ key prefix; tests use a fresh one. */
  prefix?: string;
  clock?: Clock;
  /** false: do not upsert schedules (tests that only run jobs). */
  schedule?: boolean;
  /** The schedules to keep instead of those of policy_rules (tests use short ones). */
  schedules?: Schedule[];
  /** How often to look for schedules Redis lost (default SCHEDULE_CHECK_MS). */
  scheduleCheckMs?: number;
  concurrency?: number;
  /** Starts the photo-fetch worker (jobs/photo-fetch.ts) beside the scheduled jobs: media/get client and storage. */
  photos?: Pick<PhotoWorkerDeps, 'wecom' | 'storage'>;
}

export interface RunningWorker {
  queue: Queue;
  worker: Worker;
  close(): Promise<void>;
}

export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const clock = deps.clock ?? systemClock;
  const log = deps.logger.child({ area: 'jobs' });
  const connection = new Redis(deps.redisUrl, { maxRetriesPerRequest: null });
  const queue = createJobsQueue({ connection, prefix: deps.prefix });
  const schedulesNow = () => (deps.schedules ? Promise.resolve(deps.schedules) : resolveSchedules(deps.db, deps.logger));
  let checks: { stop(): Promise<void> } | undefined;
  if (deps.schedule !== false) {
    const schedules = await schedulesNow();
    await upsertSchedules(queue, schedules);
    log.info({ schedules: schedules.map((s) => `${s.id} ${s.cron}`) }, 'job schedules upserted');
    // A Redis that restarted empty lost every scheduler: put back the missing ones (a time limit, so close() never waits on a dead Redis).
    checks = repeatEvery(deps.scheduleCheckMs ?? SCHEDULE_CHECK_MS, async () => {
      const restored = await within(schedulesNow().then((s) => restoreMissingSchedules(queue, s)), 10_000, 'schedule check');
      if (restored.length > 0) log.warn({ restored }, 'job schedules were missing from Redis; upserted again');
    }, (err) => log.warn({ err: (err as Error).message }, 'schedule check failed; trying again'));
  }
  const worker = new Worker(
    JOBS_QUEUE,
    async (job) => {
      if (!isJobName(job.name)) throw new UnrecoverableError(`unknown job ${job.name}`);
      const now = payloadNow(job.data, clock());
      const run = PROCESSORS[job.name] as (d: JobDeps, n: Date, data: unknown) => Promise<unknown>;
      return run(deps, now, job.data ?? {});
    },
    { connection, prefix: queuePrefix(deps.prefix), concurrency: deps.concurrency ?? 2 },
  );
  worker.on('failed', (job, err) => log.error({ jobId: job?.id, job: job?.name, err: err.message }, 'job failed'));
  worker.on('error', (err) => log.warn({ err: err.message }, 'jobs worker error'));
  const photoWorker = deps.photos
    ? startPhotoWorker({ ...deps.photos, db: deps.db, logger: deps.logger, dispatch: deps.dispatch, redisUrl: deps.redisUrl, prefix: deps.prefix, clock: deps.clock })
    : undefined;
  return {
    queue,
    worker,
    async close() {
      await checks?.stop();
      await photoWorker?.close();
      await worker.close();
      await queue.close();
      connection.disconnect();
    },
  };
}
