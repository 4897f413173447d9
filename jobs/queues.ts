import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * Queue and job names with their payloads. One queue carries every scheduled
 * job; a job's name picks its processor (jobs/worker.ts).
 */
export const JOBS_QUEUE = 'jobs';

export const DIGEST_PERIODS = ['day', 'week', 'month', 'quarter'] as const;
export type DigestPeriod = (typeof DIGEST_PERIODS)[number];

/** Payload of every job: the run's "now" may be fixed (CLI --now); otherwise the job's fire time. */
export interface RunPayload {
  now?: string;
}

export interface JobPayloads {
  digest: RunPayload & { period?: DigestPeriod };
  'quota-reminders': RunPayload;
  'festival-reminders': RunPayload;
  'notice-followup': RunPayload;
  'overdue-problems': RunPayload;
  'auto-checkout': RunPayload;
  'outbox-sweeper': RunPayload;
  'inbound-retry': RunPayload;
}

export type JobName = keyof JobPayloads;

export const JOB_NAMES: JobName[] = [
  'digest', 'quota-reminders', 'festival-reminders', 'notice-followup', 'overdue-problems', 'auto-checkout',
  'outbox-sweeper', 'inbound-retry',
];

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as string[]).includes(name);
}

/**
 * Photo fetches (jobs/photo-fetch.ts) have their own queue: one job per
 * picture, retried with back-off, not a scheduled run.
 */
export const PHOTO_QUEUE = 'photos';
export const PHOTO_FETCH_JOB = 'photo-fetch';
export interface PhotoFetchPayload {
  photoId: number;
}

export interface QueueOptions {
  connection: Redis;
  /** BullMQ key prefix; tests use a fresh one each. */
  prefix?: string;
}

export function createJobsQueue(opts: QueueOptions): Queue {
  return new Queue(JOBS_QUEUE, {
    connection: opts.connection,
    prefix: opts.prefix,
    defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: 500, removeOnFail: 1000 },
  });
}
