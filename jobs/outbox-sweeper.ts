import type { DataSource } from 'typeorm';
import type { Logger } from '../src/lib/logger';
import type { OutboxDispatcher } from '../src/services/outbox/dispatch';
import { dueOutboxIds } from '../src/services/outbox/sweep';

/**
 * Nothing in the outbox is silently dropped: rows that were never enqueued
 * (Redis down at commit time, a dispatch that was never called), rows whose
 * retry time has come, and rows whose 'sending' lease ran out (the worker died
 * mid-send) are handed to the queue again. Enqueueing is idempotent (one job
 * id per row) and delivery claims the row first, so running the sweeper often,
 * or in several processes at once, sends nothing twice.
 */

export const SWEEP_BATCH = 5000;

export interface SweepDeps {
  db: DataSource;
  dispatcher: OutboxDispatcher;
  logger: Logger;
}

/** Returns how many rows were handed to the queue. Throws when Redis is unreachable. */
export async function sweepOutbox(deps: SweepDeps, now: Date): Promise<number> {
  let total = 0;
  let afterId = 0;
  for (;;) {
    const ids = await dueOutboxIds(deps.db, now, afterId, SWEEP_BATCH);
    if (ids.length === 0) break;
    await deps.dispatcher.enqueue(ids);
    total += ids.length;
    afterId = ids[ids.length - 1];
    if (ids.length < SWEEP_BATCH) break;
  }
  if (total > 0) deps.logger.child({ area: 'outbox' }).info({ count: total }, 'outbox sweep enqueued rows');
  return total;
}
