import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { within } from '../src/services/deadline';
import type { Logger } from '../src/logger';
import { processOne, type InboundDeps } from '../src/services/inbound';

/**
 * Inbound messages the callback stored but did not process itself (it was
 * already busy with CHAT_INLINE_LIMIT messages): the worker processes them
 * at once and replies through the outbox, the pattern of wecom-protocol.md §3.
 * Job data is the row id and the time it was received (the check-in's time);
 * the message itself stays in PostgreSQL. The callback does not wait for the
 * hand-off: a job Redis never got is not lost, the row stays 'received' and
 * the inbound retry loop picks it up.
 */

export const INBOUND_QUEUE = 'inbound';
export const PROCESS_JOB = 'process';
/** Hand-offs are sent to Redis in batches: at most this many, at least this often. */
const BATCH_MAX = 200;
const BATCH_MS = 5;
/** A batch Redis has not taken by then is left to the retry loop (BullMQ waits for a connection otherwise). */
export const ENQUEUE_TIMEOUT_MS = 1000;

export interface InboundJobData {
  inboundId: number;
  /** ISO instant the callback received the message. */
  receivedAt: string;
}

export const inboundJobId = (inboundId: number) => `inbound-${inboundId}`;

export interface InboundQueue {
  /** Never waits and never throws: a hand-off Redis does not take is left to the retry loop. */
  enqueue(inboundId: number, receivedAt: Date): void;
  close(): Promise<void>;
}

export function createInboundQueue(opts: { redisUrl: string; prefix?: string; logger: Logger }): InboundQueue {
  const log = opts.logger.child({ area: 'inbound' });
  // Fails fast when Redis is down: the row waits in PostgreSQL for the retry loop.
  const connection = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  connection.on('error', () => undefined);
  const queue = new Queue<InboundJobData>(INBOUND_QUEUE, {
    connection,
    prefix: opts.prefix,
    defaultJobOptions: { attempts: 1, removeOnComplete: true, removeOnFail: true },
  });
  queue.on('error', () => undefined); // reported by flush
  let batch: InboundJobData[] = [];
  let timer: NodeJS.Timeout | undefined;
  let sending = Promise.resolve();

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const jobs = batch;
    batch = [];
    if (jobs.length === 0) return;
    sending = sending
      .then(() => within(
        queue.addBulk(jobs.map((data) => ({ name: PROCESS_JOB, data, opts: { jobId: inboundJobId(data.inboundId) } }))),
        ENQUEUE_TIMEOUT_MS, 'queueing inbound messages'))
      .then(() => undefined, (err: Error) => {
        log.warn({ count: jobs.length, err: err.message }, 'inbound messages not queued; the retry loop will process them');
      });
  };

  return {
    enqueue(inboundId, receivedAt) {
      batch.push({ inboundId, receivedAt: receivedAt.toISOString() });
      if (batch.length >= BATCH_MAX) flush();
      else timer ??= setTimeout(flush, BATCH_MS);
    },
    async close() {
      flush();
      await sending;
      await within(queue.close(), ENQUEUE_TIMEOUT_MS, 'closing the inbound queue').catch(() => undefined);
      connection.disconnect();
    },
  };
}

/**
 * Processes queued inbound rows; replies go to the outbox. A failed attempt is
 * counted on the row (processOne) and retried by the inbound retry loop with
 * back-off, so the job itself is never retried.
 */
export function startInboundWorker(
  deps: InboundDeps & { redisUrl: string; prefix?: string; concurrency?: number },
): { close(): Promise<void> } {
  const log = deps.logger.child({ area: 'inbound' });
  const connection = new Redis(deps.redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker<InboundJobData>(
    INBOUND_QUEUE,
    async (job) => {
      const outcome = await processOne(deps, job.data.inboundId, new Date(job.data.receivedAt), {
        decide: () => 'outbox', skipLocked: true,
      });
      return outcome.status;
    },
    { connection, prefix: deps.prefix, concurrency: deps.concurrency ?? 4 },
  );
  worker.on('error', (err) => log.warn({ err: err.message }, 'inbound worker error'));
  return {
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
