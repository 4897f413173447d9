import type { DataSource, EntityManager } from 'typeorm';
import { poolOf } from '../../../entities/data-source';
import type { Bot } from './bot-port';
import type { Logger } from '../../lib/logger';
import { parseMessageXml, type ParsedMessage } from '../../wecom/envelope';
import { addToOutbox, outboxWrittenIn, textMessage } from '../outbox/write';

/**
 * Inbound WeCom messages: stored first (unique dedup key, so WeCom's retries
 * and concurrent processes record a message once), then processed in one
 * transaction that locks the row, calls the bot, and marks the row done with
 * its reply. A reply goes back passively in the HTTP answer when it is ready
 * within the callback's time budget (inbound-callback.ts); otherwise it is written to the outbox as
 * `reply:<inboundId>`. Rows the callback marks `deferred` are taken by the
 * inbound worker (jobs/inbound-worker.ts); rows left unprocessed are picked up
 * by processPending (inbound-retry.ts).
 */

export interface InboundDeps {
  db: DataSource;
  bot: Bot;
  logger: Logger;
  /**
   * Hands committed outbox rows to delivery at once (OutboxDispatcher.dispatch):
   * the reply and every other row the message wrote. Without it the outbox
   * sweeper picks them up on its next run.
   */
  dispatch?: (outboxIds: number[]) => Promise<void>;
  /**
   * Queues the fetch of pictures a message recorded (PhotoQueue.enqueue), after
   * its transaction commits; without it the photo sweeper queues them.
   */
  queuePhotos?: (photoIds: number[]) => Promise<void>;
  /**
   * An inbound worker runs (jobs/inbound-worker.ts, in this process or
   * another): when this process is already processing `inlineLimit` messages,
   * a new one is stored `deferred` and left to it. Without it every message is
   * processed inline.
   */
  defer?: boolean;
  /** Inline processings at once before messages are deferred (CHAT_INLINE_LIMIT; default INLINE_CONCURRENCY in inbound-callback.ts). */
  inlineLimit?: number;
}

/** What the sender reads when their message failed MAX_ATTEMPTS times (sent by outbox). */
const GAVE_UP_REPLY = '抱歉，您的消息未能处理成功，请稍后重新发送。';

/** A message failing this many times is marked failed, and its sender told so. */
export const MAX_ATTEMPTS = 5;
/** Waiting for another process holding the row (a concurrent WeCom retry). */
const INLINE_LOCK_TIMEOUT = '4s';
const LOCK_NOT_AVAILABLE = '55P03';

type Route = 'passive' | 'outbox' | 'none';

export type ProcessOutcome =
  | { status: 'done'; reply: string | null; via: Route; duplicate: boolean }
  | { status: 'retry' | 'failed' | 'skipped' }
  /** NEXT_DEFERRED only: no deferred row is waiting, or none could be taken (the database failed first). */
  | { status: 'empty' | 'unavailable' };

/**
 * The row processOne works on: one by id, processed at `now` (waiting for
 * another holder unless skipLocked); or NEXT_DEFERRED, the oldest deferred row
 * nobody holds, processed at the time it was received. A deferred row that
 * failed once is left to the retry loop and its back-off.
 */
export type InboundTarget = { id: number; now: Date; skipLocked: boolean } | typeof NEXT_DEFERRED;
export const NEXT_DEFERRED = 'next-deferred' as const;

const ROW_COLUMNS = 'id, status, reply, raw_xml, received_at';
/** The rows the worker takes: deferred, waiting, never failed (the partial index of migration 1763857300000). */
const DEFERRED_WAITING = `status = 'received' AND deferred AND attempts = 0`;

/** Whether a deferred row is waiting: one cheap read for an idle worker, instead of a transaction per poll. */
export async function deferredWaiting(db: DataSource): Promise<boolean> {
  const rows: unknown[] = await db.query(`SELECT 1 FROM inbound_messages WHERE ${DEFERRED_WAITING} LIMIT 1`);
  return rows.length > 0;
}

/**
 * MsgId for messages; FromUserName:CreateTime:Event for events (docs/wecom.md §3),
 * followed by the event key and a card's task id when there are any: two menu taps,
 * or taps on two cards, within one second are two acts, a retry of either is not.
 */
export function dedupKeyOf(msg: ParsedMessage): string {
  if (msg.msgId) return msg.msgId;
  const base = `${msg.fromUser}:${msg.createTime}:${(msg.event ?? msg.msgType).slice(0, 100)}`;
  const extra = [msg.eventKey ?? '', msg.taskId ?? ''].filter((x) => x !== '');
  return extra.length === 0 ? base : `${base}:${extra.join(':')}`;
}

/** Inserts the row unless its dedup key is already there; returns its id either way. */
export async function storeInbound(
  db: DataSource,
  msg: ParsedMessage,
  rawXml: string,
  now: Date,
  deferred = false,
): Promise<{ id: number; duplicate: boolean }> {
  const key = dedupKeyOf(msg);
  const pool = poolOf(db); // the callback's hot path: no QueryRunner per message
  const inserted = await pool.query<{ id: number }>(
    `INSERT INTO inbound_messages (dedup_key, from_user, msg_type, create_time, raw_xml, received_at, deferred)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (dedup_key) DO NOTHING
     RETURNING id`,
    [key, msg.fromUser, msg.msgType, msg.createTime, rawXml, now, deferred],
  );
  if (inserted.rows.length > 0) return { id: inserted.rows[0].id, duplicate: false };
  const found = await pool.query<{ id: number }>('SELECT id FROM inbound_messages WHERE dedup_key = $1', [key]);
  return { id: found.rows[0].id, duplicate: true };
}

/** Locks the target row: by id, or the oldest deferred row nobody holds (rows stay 'received' only while they wait). */
async function lockTarget(manager: EntityManager, target: InboundTarget): Promise<InboundRow | undefined> {
  if (target === NEXT_DEFERRED) {
    const rows: InboundRow[] = await manager.query(
      `SELECT ${ROW_COLUMNS} FROM inbound_messages
        WHERE ${DEFERRED_WAITING}
        ORDER BY received_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    return rows[0];
  }
  if (!target.skipLocked) await manager.query(`SET LOCAL lock_timeout = '${INLINE_LOCK_TIMEOUT}'`);
  const rows: InboundRow[] = await manager.query(
    `SELECT ${ROW_COLUMNS} FROM inbound_messages WHERE id = $1 FOR UPDATE${target.skipLocked ? ' SKIP LOCKED' : ''}`,
    [target.id],
  );
  return rows[0];
}

interface InboundRow { id: number; status: string; reply: string | null; raw_xml: string; received_at: Date }

/**
 * Processes one stored row in one transaction. `decide` is asked, just before
 * the reply is recorded, whether the reply can still go back passively; when
 * it says 'outbox' the reply is written to the outbox in the same transaction.
 */
export async function processOne(
  deps: InboundDeps,
  target: InboundTarget,
  opts: { decide: () => 'passive' | 'outbox' },
): Promise<ProcessOutcome> {
  let id = target === NEXT_DEFERRED ? undefined : target.id;
  let outboxIds: number[] = [];
  let photoIds: number[] = [];
  try {
    const outcome = await deps.db.transaction(async (manager): Promise<ProcessOutcome> => {
      const row = await lockTarget(manager, target);
      if (!row) return { status: target === NEXT_DEFERRED ? 'empty' : 'skipped' };
      id = row.id;
      const now = target === NEXT_DEFERRED ? row.received_at : target.now;
      if (row.status === 'done') return { status: 'done', ...(await priorRoute(manager, id, row.reply)), duplicate: true };
      if (row.status !== 'received') return { status: 'skipped' };

      const msg = { ...parseMessageXml(row.raw_xml), inboundId: id };
      // The bot runs in a savepoint: when it throws, its writes are undone and the attempt is
      // counted while the row is still locked. Counted after a rollback instead, the row was
      // free for a moment and another worker runner (or a waiting WeCom retry) ran it again.
      let text: string | null;
      try {
        const reply = await manager.transaction((inner) => deps.bot.handle(msg, { manager: inner, now }));
        text = reply?.text ?? null;
        photoIds = reply?.photoIds ?? [];
      } catch (err) {
        const failure = await recordFailure(manager, row.id, err);
        outboxIds = failure.outboxIds;
        deps.logger.warn({ area: 'inbound', inboundId: row.id, err: errorName(err), final: failure.final }, 'inbound message failed');
        return { status: failure.final ? 'failed' : 'retry' };
      }

      // Which events may be answered passively is not documented: their replies take the outbox.
      const via: Route = text === null ? 'none' : msg.msgType === 'event' ? 'outbox' : opts.decide();
      if (via === 'outbox') await addToOutbox(manager, [textMessage(`reply:${id}`, msg.fromUser, text!)]);
      // The reply row and whatever the command sent (a 通知's rows): all handed to delivery after commit.
      outboxIds = outboxWrittenIn(manager);
      await manager.query(
        `UPDATE inbound_messages SET status = 'done', reply = $2, processed_at = $3, attempts = attempts + 1, error = NULL
         WHERE id = $1`,
        [id, text, now],
      );
      deps.logger.info({ area: 'inbound', inboundId: id, fromUser: msg.fromUser, msgType: msg.msgType, via }, 'inbound message processed');
      return { status: 'done', reply: text, via, duplicate: false };
    });
    if (outboxIds.length > 0 && deps.dispatch) await deps.dispatch(outboxIds).catch(() => undefined);
    if (outcome.status === 'done' && !outcome.duplicate) await queuePhotos(deps, photoIds);
    return outcome;
  } catch (err) {
    // The transaction itself failed (lost connection, commit error): count it if we can.
    // A lock timeout only means another process holds the row; that is not the message's fault.
    if ((err as { code?: string }).code === LOCK_NOT_AVAILABLE) return { status: 'skipped' };
    const log = deps.logger.child({ area: 'inbound', inboundId: id });
    if (id === undefined) {
      log.warn({ err: errorName(err) }, 'no deferred inbound message could be taken');
      return { status: 'unavailable' };
    }
    const { final, outboxIds: ids } = await recordFailure(deps.db.manager, id, err).catch(() => ({ final: false, outboxIds: [] }));
    if (ids.length > 0 && deps.dispatch) await deps.dispatch(ids).catch(() => undefined);
    log.warn({ err: errorName(err), final }, 'inbound message failed');
    return { status: final ? 'failed' : 'retry' };
  }
}

/** Never fails the message: a picture not queued now is queued by the photo sweeper. */
async function queuePhotos(deps: InboundDeps, photoIds: number[]): Promise<void> {
  if (photoIds.length === 0 || !deps.queuePhotos) return;
  await deps.queuePhotos(photoIds).catch((err: Error) =>
    deps.logger.warn({ area: 'inbound', photoIds, err: err.message }, 'photo fetch not queued; the sweeper will queue it'));
}

/** How an already-done row's reply went out: by outbox if a reply row exists, else passively. */
async function priorRoute(manager: EntityManager, id: number, reply: string | null): Promise<{ reply: string | null; via: Route }> {
  if (reply === null) return { reply, via: 'none' };
  const sent = await manager.query('SELECT 1 FROM outbox_messages WHERE idempotency_key = $1', [`reply:${id}`]);
  return { reply, via: sent.length > 0 ? 'outbox' : 'passive' };
}

/** Counts a failed attempt; the MAX_ATTEMPTS-th marks the row failed and tells the sender. */
async function recordFailure(
  manager: EntityManager,
  id: number,
  err: unknown,
): Promise<{ final: boolean; outboxIds: number[] }> {
  // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare UPDATE … RETURNING.
  const rows: { status: string; from_user: string }[] = await manager.query(
    `WITH u AS (
       UPDATE inbound_messages
       SET attempts = attempts + 1, error = $2,
           status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE status END
       WHERE id = $1 AND status = 'received'
       RETURNING status, from_user)
     SELECT status, from_user FROM u`,
    [id, errorText(err), MAX_ATTEMPTS],
  );
  if (rows[0]?.status !== 'failed') return { final: false, outboxIds: [] };
  const outboxIds = await addToOutbox(manager, [textMessage(`reply:${id}`, rows[0].from_user, GAVE_UP_REPLY)]);
  return { final: true, outboxIds };
}

/** English detail for the row's error column (errors carry English; message text never goes to logs). */
function errorText(err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  return `${e.name}${code ? ` ${String(code)}` : ''}: ${e.message}`.slice(0, 1000);
}

export function errorName(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return `${err instanceof Error ? err.name : typeof err}${code ? `/${String(code)}` : ''}`;
}
