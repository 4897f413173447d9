import type { Logger } from '../src/lib/logger';
import { deferredWaiting, NEXT_DEFERRED, processOne, type InboundDeps } from '../src/services/inbound/messages';

/**
 * Inbound messages the callback stored but did not process itself (it was
 * already busy with CHAT_INLINE_LIMIT messages; the row says `deferred`): the
 * worker takes them from PostgreSQL, oldest first, each in the transaction
 * that processes it (FOR UPDATE SKIP LOCKED, so any number of worker processes
 * share the backlog and none takes a row twice), at the time it was received,
 * and replies through the outbox (the pattern of docs/wecom.md §3). The
 * hand-off is the `deferred` column of the callback's INSERT: nothing to lose
 * between the two, and no Redis round trip per message on the callback's path.
 * A row that fails is left to the inbound retry loop and its back-off.
 */

/** How often an idle runner looks for deferred rows (the latency of the first message of a burst). */
export const IDLE_POLL_MS = 100;
/** Runners per process: deferred messages processed at once. */
export const DEFAULT_CONCURRENCY = 4;

export interface InboundWorker {
  /** Stops taking rows and waits for the messages in hand. */
  close(): Promise<void>;
}

export function startInboundWorker(
  deps: InboundDeps & { concurrency?: number; idlePollMs?: number; logger: Logger },
): InboundWorker {
  const idleMs = deps.idlePollMs ?? IDLE_POLL_MS;
  let stopped = false;
  const sleepers = new Set<() => void>();
  const sleep = () => new Promise<void>((resolve) => {
    const wake = () => { clearTimeout(timer); sleepers.delete(wake); resolve(); };
    const timer = setTimeout(wake, idleMs);
    sleepers.add(wake);
  });
  const waiting = () => deferredWaiting(deps.db).catch(() => false);

  const runner = async () => {
    while (!stopped) {
      const outcome = await processOne(deps, NEXT_DEFERRED, { decide: () => 'outbox' });
      if (outcome.status !== 'empty' && outcome.status !== 'unavailable') continue;
      do await sleep(); while (!stopped && !(await waiting()));
    }
  };
  const runners = Array.from({ length: deps.concurrency ?? DEFAULT_CONCURRENCY }, runner);

  return {
    async close() {
      stopped = true;
      for (const wake of [...sleepers]) wake();
      await Promise.all(runners);
    },
  };
}
