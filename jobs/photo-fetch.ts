import { Queue, Worker } from 'bullmq';
import type { Clock } from '../src/lib/db';
import { Redis } from 'ioredis';
import { within } from '../src/lib/promise-timeout';
import type { DataSource } from 'typeorm';
import type { Logger } from '../src/lib/logger';
import { failPhoto, fetchAndStorePhoto, PhotoNotReady, stalePhotoIds, type PhotoFetchDeps } from '../src/services/photos/fetch';
import { PHOTO_FETCH_JOB, PHOTO_QUEUE, type PhotoFetchPayload } from './queues';
import { repeatEvery } from '../src/lib/interval-loop';

/**
 * The photo-fetch job: a picture's MediaId lives three days, so it is fetched
 * as soon as the chat has recorded it, with retries and exponential back-off.
 * Job data is only the photo id. A sweeper queues again photos whose job was
 * lost (Redis down when the chat queued it) and gives up on MediaIds past
 * their three days.
 */

export interface PhotoRetryPolicy {
  attempts: number;
  /** First back-off (ms); doubles each try. */
  backoffMs: number;
  /** The chat's transaction commits right after the reply: a short delay saves a retry. */
  firstDelayMs: number;
}

export const DEFAULT_PHOTO_RETRY: PhotoRetryPolicy = { attempts: 8, backoffMs: 2_000, firstDelayMs: 500 };
export const MEDIA_LIFETIME_MS = 3 * 24 * 3600 * 1000;
export const DEFAULT_PHOTO_SWEEP_MS = 60_000;

export const photoJobId = (photoId: number) => `photo-${photoId}`;
/** The chat waits at most this long for Redis; a photo not queued in time waits for the sweeper. */
export const ENQUEUE_TIMEOUT_MS = 1000;


/** What the chat needs to queue a fetch (bots/messages/image.ts). */
export interface PhotoQueue {
  enqueue(photoId: number): Promise<void>;
  close(): Promise<void>;
}

export function createPhotoQueue(opts: { redisUrl: string; prefix?: string; retry?: Partial<PhotoRetryPolicy> }): PhotoQueue {
  const retry = { ...DEFAULT_PHOTO_RETRY, ...opts.retry };
  // Fails fast when Redis is down: the photo row waits in PostgreSQL for the sweeper.
  const connection = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  connection.on('error', () => undefined);
  const queue = new Queue<PhotoFetchPayload>(PHOTO_QUEUE, {
    connection,
    prefix: opts.prefix,
    defaultJobOptions: {
      attempts: retry.attempts,
      backoff: { type: 'exponential', delay: retry.backoffMs },
      removeOnComplete: true,
      removeOnFail: true,
    },
  });
  queue.on('error', () => undefined); // reported by enqueue's callers
  return {
    async enqueue(photoId) {
      const added = queue.add(PHOTO_FETCH_JOB, { photoId }, { jobId: photoJobId(photoId), delay: retry.firstDelayMs });
      added.catch(() => undefined); // a late failure after the timeout is the sweeper's business
      await within(added, ENQUEUE_TIMEOUT_MS, 'queueing a photo fetch');
    },
    async close() {
      await within(queue.close(), ENQUEUE_TIMEOUT_MS, 'closing the photo queue').catch(() => undefined);
      connection.disconnect();
    },
  };
}

export interface PhotoWorkerDeps extends PhotoFetchDeps {
  redisUrl: string;
  prefix?: string;
  retry?: Partial<PhotoRetryPolicy>;
  /** Pictures fetched at once; a 12-megapixel JPEG takes ~4 s and ~0.5 GB to thumbnail in pure JS. */
  concurrency?: number;
  /** 0 = never sweep. */
  sweepIntervalMs?: number;
  clock?: Clock;
}

export function startPhotoWorker(deps: PhotoWorkerDeps): { close(): Promise<void> } {
  const clock = deps.clock ?? (() => new Date());
  const log = deps.logger.child({ area: 'photos' });
  const connection = new Redis(deps.redisUrl, { maxRetriesPerRequest: null });
  const producer = createPhotoQueue({ redisUrl: deps.redisUrl, prefix: deps.prefix, retry: deps.retry });
  const worker = new Worker<PhotoFetchPayload>(
    PHOTO_QUEUE,
    async (job) => {
      try {
        return await fetchAndStorePhoto(deps, job.data.photoId, clock());
      } catch (err) {
        const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        log.warn({ jobId: job.id, attempt: job.attemptsMade + 1, final, err: (err as Error).name }, 'photo fetch failed');
        // A row never committed (its chat transaction rolled back) has nobody to tell.
        if (final && !(err instanceof PhotoNotReady)) {
          await failPhoto(deps, job.data.photoId, 'fetch_failed', (err as Error).message);
        }
        throw err;
      }
    },
    { connection, prefix: deps.prefix, concurrency: deps.concurrency ?? 2 },
  );
  worker.on('error', (err) => log.warn({ err: err.message }, 'photo worker error'));

  const interval = deps.sweepIntervalMs ?? DEFAULT_PHOTO_SWEEP_MS;
  const sweeps = repeatEvery(interval, () => sweepPhotos(deps, producer, clock()), (err) =>
    log.warn({ err: (err as Error).message }, 'photo sweep failed'));

  return {
    async close() {
      await sweeps.stop();
      await worker.close();
      await producer.close();
      connection.disconnect();
    },
  };
}

/** Queues stale 'fetching' photos again (the job id dedups) and fails those past the MediaId lifetime. */
export async function sweepPhotos(
  deps: { db: DataSource; dispatch?: PhotoFetchDeps['dispatch'] },
  queue: Pick<PhotoQueue, 'enqueue'>,
  now: Date,
): Promise<{ queued: number; expired: number }> {
  const expired: { id: number }[] = await deps.db.query(
    `SELECT id FROM photos WHERE status = 'fetching' AND created_at <= $1 LIMIT 200`,
    [new Date(now.getTime() - MEDIA_LIFETIME_MS)],
  );
  for (const { id } of expired) await failPhoto(deps, id, 'fetch_failed', 'MediaId expired before it was fetched');
  const ids = await stalePhotoIds(deps.db, now);
  for (const id of ids) await queue.enqueue(id);
  return { queued: ids.length, expired: expired.length };
}
