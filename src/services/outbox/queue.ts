import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { OUTBOX_QUEUE } from '../../lib/queue-names';

/**
 * The BullMQ queue that carries outbox deliveries. Job data is only the row id:
 * message text, recipients and robot keys stay in PostgreSQL.
 */

export { OUTBOX_QUEUE };
export const DELIVER_JOB = 'deliver';

export interface OutboxJobData {
  outboxId: number;
}

/** One job per row: adding the same row twice while its job exists is a no-op. */
export function outboxJobId(outboxId: number): string {
  return `outbox-${outboxId}`;
}

export interface QueueConnection {
  redisUrl: string;
  /** BullMQ key prefix (tests use their own). */
  prefix?: string;
}

/**
 * A producer that fails fast when Redis is unreachable (no offline queue):
 * the rows then wait in PostgreSQL for the sweeper instead of hanging the caller.
 */
export function createOutboxQueue(c: QueueConnection): { queue: Queue<OutboxJobData>; close(): Promise<void> } {
  const connection = new Redis(c.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  connection.on('error', () => undefined); // reported by the callers that fail
  const queue = new Queue<OutboxJobData>(OUTBOX_QUEUE, {
    connection,
    prefix: c.prefix,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
  });
  // BullMQ leaves a connection it was given open: close both.
  return { queue, close: () => queue.close().catch(() => undefined).finally(() => connection.disconnect()) };
}

/** A connection for workers: BullMQ requires maxRetriesPerRequest null on blocking connections. */
export function workerConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: null });
}
