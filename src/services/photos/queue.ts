import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { within } from '../../lib/promise-timeout';
import { PHOTO_QUEUE } from '../../lib/queue-names';
import { failPhoto, stalePhotoIds, type PhotoFetchDeps } from './fetch';

/**
 * Queueing photo fetches: a picture's MediaId lives three days, so it is
 * fetched as soon as the message that recorded it has committed, with retries
 * and exponential back-off. Job data is only the photo id. The sweep queues
 * again photos whose job was lost (Redis down when the message was processed)
 * and gives up on MediaIds past their three days.
 */

export const PHOTO_FETCH_JOB = 'photo-fetch';
export interface PhotoFetchPayload {
  photoId: number;
}

export interface PhotoRetryPolicy {
  attempts: number;
  /** First back-off (ms); doubles each try. */
  backoffMs: number;
}

export const DEFAULT_PHOTO_RETRY: PhotoRetryPolicy = { attempts: 8, backoffMs: 2_000 };
export const MEDIA_LIFETIME_MS = 3 * 24 * 3600 * 1000;

export const photoJobId = (photoId: number) => `photo-${photoId}`;
/** A message's pipeline waits at most this long for Redis; a photo not queued in time waits for the sweeper. */
export const ENQUEUE_TIMEOUT_MS = 1000;


/** What the inbound pipeline needs to queue fetches once a message's transaction has committed. */
export interface PhotoQueue {
  enqueue(photoIds: number[]): Promise<void>;
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
    async enqueue(photoIds) {
      if (photoIds.length === 0) return;
      const added = queue.addBulk(photoIds.map((photoId) => ({ name: PHOTO_FETCH_JOB, data: { photoId }, opts: { jobId: photoJobId(photoId) } })));
      await within(added, ENQUEUE_TIMEOUT_MS, 'queueing photo fetches');
    },
    async close() {
      await within(queue.close(), ENQUEUE_TIMEOUT_MS, 'closing the photo queue').catch(() => undefined);
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
  await queue.enqueue(ids);
  return { queued: ids.length, expired: expired.length };
}
