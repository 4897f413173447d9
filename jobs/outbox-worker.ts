import { DelayedError, Worker } from 'bullmq';
import { systemClock, type Clock } from '../src/lib/db';
import { queuePrefix } from '../src/lib/queue-names';
import type { DataSource } from 'typeorm';
import type { Logger } from '../src/lib/logger';
import type { Metrics } from '../src/metrics';
import type { OutboxDispatcher } from '../src/services/outbox/dispatch';
import type { WecomClient } from '../src/wecom/client';
import { createRateLimiter } from '../src/wecom/rate-limit';
import { deliverOutboxRow, type DeliveryPolicy } from './outbox-deliver';
import { OUTBOX_QUEUE, workerConnection, type OutboxJobData } from '../src/services/outbox/queue';
import { sweepOutbox } from './outbox-sweeper';
import { repeatEvery } from '../src/lib/interval-loop';

/**
 * The outbox delivery worker: a BullMQ worker over src/services/outbox/queue.ts that
 * runs deliverOutboxRow per job. A retry keeps the same job (moved to
 * 'delayed' until next_attempt_at), so BullMQ never counts it as failed.
 * It also sweeps the outbox every sweepIntervalMs (0 = never): the sweep's one
 * mechanism, a loop that works while Redis is down.
 */

export interface OutboxWorkerDeps {
  db: DataSource;
  redisUrl: string;
  /** BullMQ and rate-limit key prefix (tests use their own). */
  prefix?: string;
  wecom: WecomClient;
  dispatcher: OutboxDispatcher;
  logger: Logger;
  metrics?: Metrics;
  policy?: Partial<DeliveryPolicy>;
  concurrency?: number;
  sweepIntervalMs?: number;
  clock?: Clock;
}

export const DEFAULT_SWEEP_INTERVAL_MS = 15_000;

export function startOutboxWorker(deps: OutboxWorkerDeps): { close(): Promise<void> } {
  const clock = deps.clock ?? systemClock;
  const log = deps.logger.child({ area: 'outbox' });
  const connection = workerConnection(deps.redisUrl);
  const limiter = createRateLimiter(connection, `${deps.prefix ?? 'sl'}:`);
  const worker = new Worker<OutboxJobData>(
    OUTBOX_QUEUE,
    async (job, token) => {
      const outcome = await deliverOutboxRow({ ...deps, limiter }, job.data.outboxId, clock());
      if (outcome.kind === 'retry') {
        await job.moveToDelayed(outcome.at.getTime(), token);
        throw new DelayedError();
      }
      return outcome.kind;
    },
    { connection, prefix: queuePrefix(deps.prefix), concurrency: deps.concurrency ?? 10 },
  );
  worker.on('error', (err) => log.warn({ err: err.message }, 'outbox worker error'));

  const interval = deps.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  const sweeps = repeatEvery(interval, () => sweepOutbox(deps, clock()), (err) =>
    log.warn({ err: (err as Error).message }, 'outbox sweep failed; rows wait in PostgreSQL'));

  return {
    async close() {
      await sweeps.stop();
      await worker.close();
      connection.disconnect();
    },
  };
}
