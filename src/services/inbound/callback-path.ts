import type { ParsedMessage } from '../../wecom/envelope';
import { AppError } from '../../lib/errors';
import { withinOr } from '../../lib/promise-timeout';
import { errorName, processOne, storeInbound, type InboundDeps, type ProcessOutcome } from './messages';

/**
 * The callback's side of inbound messages: store, then process inside the
 * callback within a time budget (a passive reply), or, in a burst, store the
 * row `deferred` for the inbound worker and answer at once.
 */

/** How long the callback waits for the chat before answering an empty 200 (WeCom gives up at 5 s). */
export const INLINE_BUDGET_MS = 2000;
/**
 * Messages one process works on inside their callbacks at once. More than that
 * (a morning burst) are stored, answered with an empty 200 at once and left to
 * the inbound worker, whose replies go out through the outbox: the callback's
 * latency stays that of one INSERT however long the queue.
 */
export const INLINE_CONCURRENCY = 2;
/** Once a message had to be deferred, the following ones are too for this long (a burst is rarely one message). */
export const BURST_HOLD_MS = 1000;
/** Storing must be quick: when PostgreSQL is down WeCom should get a non-200 and retry. */
export const STORE_TIMEOUT_MS = 2500;
/** Once a passive reply is decided, how long its commit may take before we answer 503 instead. */
const COMMIT_GRACE_MS = 2000;

export interface InlineResult {
  inboundId: number;
  duplicate: boolean;
  /** Text to answer passively in the HTTP response, or null for an empty 200. */
  passiveReply: string | null;
}

/**
 * The callback's fast path: store, then process within `budgetMs`. Throws a
 * 503 AppError when the message could not be stored (WeCom will retry).
 */
export async function handleInbound(
  deps: InboundDeps,
  msg: ParsedMessage,
  rawXml: string,
  opts: { now: Date; budgetMs?: number; storeTimeoutMs?: number },
): Promise<InlineResult> {
  // Decided before the INSERT, which records it: the hand-off to the worker costs nothing more.
  const defer = deps.defer === true && shouldDefer(deps, opts.now, deps.inlineLimit ?? INLINE_CONCURRENCY);
  const stored = await withinOr(storeInbound(deps.db, msg, rawXml, opts.now, defer), opts.storeTimeoutMs ?? STORE_TIMEOUT_MS, 'timeout' as const).catch(
    (err) => {
      deps.logger.error({ area: 'inbound', err: errorName(err) }, 'could not store an inbound message');
      return 'timeout' as const;
    },
  );
  if (stored === 'timeout') {
    throw new AppError('unavailable', 'inbound message not stored', '服务暂不可用，请稍后再试。', 503);
  }

  // A WeCom retry stays inline (its row keeps its first flag): its first answer may have been lost, and the row's reply is ready to repeat.
  if (defer && !stored.duplicate) return { inboundId: stored.id, duplicate: false, passiveReply: null };

  // 'pending' until either the transaction claims the passive route or the budget runs out.
  let state: 'pending' | 'passive' | 'outbox' = 'pending';
  const decide = (): 'passive' | 'outbox' => {
    if (state === 'pending') state = 'passive';
    return state;
  };
  const work = countInFlight(deps, processOne(deps, { id: stored.id, now: opts.now, skipLocked: false }, { decide }));
  const result = { inboundId: stored.id, duplicate: stored.duplicate };

  const first = await withinOr(work, opts.budgetMs ?? INLINE_BUDGET_MS, 'timeout' as const);
  let outcome: ProcessOutcome;
  if (first !== 'timeout') {
    outcome = first;
  } else if (state === 'pending') {
    state = 'outbox';
    work.catch(() => undefined); // processOne never rejects; this keeps it that way for the runtime
    return { ...result, passiveReply: null };
  } else {
    // The reply was claimed for this response and is being committed: wait a little more.
    const late = await withinOr(work, COMMIT_GRACE_MS, 'timeout' as const);
    if (late === 'timeout') throw new AppError('slow_commit', 'inbound commit too slow', '服务繁忙，请稍后再试。', 503);
    outcome = late;
  }
  const passiveReply = outcome.status === 'done' && outcome.via === 'passive' ? outcome.reply : null;
  return { ...result, passiveReply };
}

/** Per deps object (one per process in production): inline processings under way, and the burst hold. */
const load = new WeakMap<InboundDeps, { inFlight: number; deferUntil: number }>();
const loadOf = (deps: InboundDeps) => load.get(deps) ?? (load.set(deps, { inFlight: 0, deferUntil: 0 }), load.get(deps)!);

function shouldDefer(deps: InboundDeps, now: Date, limit: number): boolean {
  const l = loadOf(deps);
  if (l.inFlight < limit && now.getTime() >= l.deferUntil) return false;
  l.deferUntil = now.getTime() + BURST_HOLD_MS;
  return true;
}

function countInFlight<T>(deps: InboundDeps, work: Promise<T>): Promise<T> {
  loadOf(deps).inFlight++;
  return work.finally(() => loadOf(deps).inFlight--);
}
