/**
 * The BullMQ queues of the product, named once: the worker consumes them, the
 * producers add to them, and the job dashboard (/admin/queues) shows them.
 */

/** Every scheduled job; a job's name picks its processor (jobs/worker.ts). */
export const JOBS_QUEUE = 'jobs';
/** Outbox deliveries, one job per outbox row. */
export const OUTBOX_QUEUE = 'outbox';
/** Photo fetches, one job per picture, retried with back-off. */
export const PHOTO_QUEUE = 'photos';

export const QUEUE_NAMES = [JOBS_QUEUE, OUTBOX_QUEUE, PHOTO_QUEUE] as const;

/**
 * BullMQ's key prefix when a caller names none. Passed explicitly to every queue
 * and worker: BullMQ names a worker's Redis connection `<prefix>:<queue>` from the
 * option as given, so an absent prefix named it "undefined:…" and the job
 * dashboard, which looks workers up by that name, showed none.
 */
export const QUEUE_PREFIX = 'bull';
export const queuePrefix = (prefix?: string): string => prefix ?? QUEUE_PREFIX;
