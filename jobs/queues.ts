import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

import { JOBS_QUEUE } from '../src/lib/queue-names';
import type { DigestPeriod } from '../src/services/digest/periods';

/**
 * Job names with their payloads. One queue (JOBS_QUEUE) carries every
 * scheduled job; a job's name picks its processor (jobs/worker.ts).
 */
export { JOBS_QUEUE };

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
  'must-visit-reminders': RunPayload;
  'auto-checkout': RunPayload;
  retention: RunPayload;
}

export type JobName = keyof JobPayloads;

export const JOB_NAMES: JobName[] = [
  'digest', 'quota-reminders', 'festival-reminders', 'notice-followup', 'overdue-problems', 'must-visit-reminders', 'auto-checkout', 'retention',
];

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as string[]).includes(name);
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
