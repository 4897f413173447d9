import { errorName, processOne, type InboundDeps } from './messages';
import { systemClock, type Clock } from '../../lib/db';
import { repeatEvery } from '../../lib/interval-loop';

/** The safety net under the callback: rows still 'received' are processed again, replies by outbox. */

/**
 * Processes rows still 'received' (budget ran out, the bot failed, the process
 * died) and sends their replies through the outbox. A row is retried after
 * minAgeSeconds·2^attempts, so a failing message backs off and after
 * MAX_ATTEMPTS is marked failed. Safe to run in several processes at once.
 */
export async function processPending(
  deps: InboundDeps,
  now: Date,
  opts: { minAgeSeconds?: number; limit?: number } = {},
): Promise<{ done: number; retry: number; failed: number }> {
  const ids: { id: number }[] = await deps.db.query(
    `SELECT id FROM inbound_messages
     WHERE status = 'received'
       AND received_at <= $1::timestamptz - make_interval(secs => $2::double precision * power(2, attempts))
     ORDER BY id
     LIMIT $3`,
    [now, opts.minAgeSeconds ?? 10, opts.limit ?? 200],
  );
  const counts = { done: 0, retry: 0, failed: 0 };
  for (const { id } of ids) {
    const outcome = await processOne(deps, { id, now, skipLocked: true }, { decide: () => 'outbox' });
    if (outcome.status === 'done') counts.done += outcome.duplicate ? 0 : 1;
    else if (outcome.status === 'retry') counts.retry++;
    else if (outcome.status === 'failed') counts.failed++;
  }
  if (ids.length > 0) deps.logger.child({ area: 'inbound' }).info(counts, 'pending inbound messages processed');
  return counts;
}

/**
 * Runs processPending every intervalMs until stopped: the inbound retry's one
 * mechanism, in every worker process (a loop, not a BullMQ schedule, so it
 * works while Redis is down). Rows are locked with SKIP LOCKED, so the loops
 * of several workers overlap harmlessly.
 */
export function startInboundRetryLoop(
  deps: InboundDeps,
  opts: { intervalMs?: number; clock?: Clock } = {},
): { stop(): Promise<void> } {
  const clock = opts.clock ?? systemClock;
  return repeatEvery(
    opts.intervalMs ?? 10_000,
    () => processPending(deps, clock()),
    (err) => deps.logger.child({ area: 'inbound' }).error({ err: errorName(err) }, 'inbound retry loop failed'),
  );
}
