import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { systemClock, type Clock } from '../src/lib/db';
import type { Logger } from '../src/lib/logger';
import { repeatEvery } from '../src/lib/interval-loop';
import { PHOTO_QUEUE, queuePrefix } from '../src/lib/queue-names';
import { failPhoto, fetchAndStorePhoto, PhotoNotReady, type PhotoFetchDeps } from '../src/services/photos/fetch';
import {
  createPhotoQueue, sweepPhotos, type PhotoFetchPayload, type PhotoRetryPolicy,
} from '../src/services/photos/queue';

/**
 * The photo-fetch worker: one job per picture (src/services/photos/queue.ts),
 * and the sweep that queues again photos whose job was lost.
 */

export const DEFAULT_PHOTO_SWEEP_MS = 60_000;

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
  const clock = deps.clock ?? systemClock;
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
    { connection, prefix: queuePrefix(deps.prefix), concurrency: deps.concurrency ?? 2 },
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
