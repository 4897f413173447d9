import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../lib/logger';
import { within } from '../../lib/promise-timeout';
import { DELIVER_JOB, createOutboxQueue, outboxJobId, type OutboxJobData, type QueueConnection } from './queue';

/**
 * Hands committed outbox rows to the delivery queue. Call dispatch(ids) with
 * the ids addToOutbox returned, AFTER the transaction commits. It never throws:
 * when Redis is unreachable the rows stay 'pending' in PostgreSQL and the
 * sweeper (jobs/outbox-sweeper.ts) enqueues them later.
 */

export const ENQUEUE_TIMEOUT_MS = 2000;
/** A queued row whose job has not run after this long is enqueued again by the sweeper (seconds). */
export const QUEUED_GRACE_S = 300;

export interface OutboxDispatcher {
  dispatch(ids: number[]): Promise<void>;
  /** Enqueues and reports failure (the sweeper wants to know). */
  enqueue(ids: number[]): Promise<void>;
  readonly queue: Queue<OutboxJobData>;
  close(): Promise<void>;
}

export interface OutboxDispatcherDeps extends QueueConnection {
  db: DataSource;
  logger: Logger;
}

export function createOutboxDispatcher(deps: OutboxDispatcherDeps): OutboxDispatcher {
  const { queue, close } = createOutboxQueue(deps);
  const log = deps.logger.child({ area: 'outbox' });

  async function enqueue(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    const add = queue.addBulk(ids.map((id) => ({ name: DELIVER_JOB, data: { outboxId: id }, opts: { jobId: outboxJobId(id) } })));
    add.catch(() => undefined); // a late failure after the timeout is the sweeper's business
    await within(add, ENQUEUE_TIMEOUT_MS, 'enqueueing outbox rows');
    await deps.db.query(
      `UPDATE outbox_messages SET status = 'queued', next_attempt_at = now() + make_interval(secs => $2)
        WHERE id = ANY($1) AND status IN ('pending', 'queued')`,
      [ids, QUEUED_GRACE_S],
    );
  }

  return {
    queue,
    enqueue,
    async dispatch(ids) {
      try {
        await enqueue(ids);
      } catch (err) {
        log.warn({ count: ids.length, err: (err as Error).message }, 'outbox rows not enqueued; the sweeper will retry');
      }
    },
    close,
  };
}
