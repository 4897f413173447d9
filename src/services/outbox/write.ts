import type { CardUpdate, OutboundPayload, RobotFileUpload } from '../../wecom/messages';
import type { EntityManager } from 'typeorm';
import type { OutboxChannel } from '../../../entities';

/**
 * Writing to the outbox: the one way any part of the product sends something
 * to WeCom. Rows are inserted in the caller's transaction; delivery (BullMQ
 * worker, sweeper, rate limits) lives in jobs/ and starts after commit. The
 * rows a transaction wrote, wherever in it, are noted on it (outboxWrittenIn),
 * so whoever commits it hands every one of them to delivery at once.
 */

export type { CardUpdate, OutboundPayload, RobotFileUpload };

/** What an outbox row carries: a message body, (channel card) a card update, or (channel robot) a file to upload and send. */
export type OutboxPayload = OutboundPayload | CardUpdate | RobotFileUpload;

export interface OutboundMessage {
  /**
   * Stable idempotency key: the same key is never sent twice
   * (e.g. `reply:<inboundId>`, `digest:2026-11-23:<leaderId>`).
   */
  key: string;
  channel: OutboxChannel;
  /** app, card: WeCom userids; appchat: one chatid; robot: one groups.id (never the robot key). */
  to: string[] | string;
  payload: OutboxPayload;
}

/** WeCom's touser limit for one message/send call. */
export const MAX_TOUSER = 1000;

/** Rows per INSERT statement. */
const INSERT_CHUNK = 5000;

/**
 * Inserts the messages; a key already present is skipped (ON CONFLICT DO NOTHING).
 * App messages to more than 1,000 people are split into rows of ≤1,000
 * recipients with keys `<key>#<n>`. Returns the ids of the rows inserted now.
 */
export async function addToOutbox(manager: EntityManager, messages: OutboundMessage[]): Promise<number[]> {
  const rows: { key: string; channel: OutboxChannel; recipient: string; payload: OutboxPayload }[] = [];
  for (const m of messages) {
    const to = Array.isArray(m.to) ? [...new Set(m.to)] : [m.to];
    if (to.length === 0) continue;
    if (m.channel === 'app' && to.length > MAX_TOUSER) {
      for (let i = 0; i * MAX_TOUSER < to.length; i++) {
        const part = to.slice(i * MAX_TOUSER, (i + 1) * MAX_TOUSER);
        rows.push({ key: `${m.key}#${i + 1}`, channel: m.channel, recipient: part.join('|'), payload: m.payload });
      }
    } else {
      rows.push({ key: m.key, channel: m.channel, recipient: to.join('|'), payload: m.payload });
    }
  }
  const ids: number[] = [];
  // Chunked: one jsonb parameter may not exceed 256 MB, and a province-wide
  // reminder is ~500,000 rows.
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const inserted: { id: number }[] = await manager.query(
      `INSERT INTO outbox_messages (idempotency_key, channel, recipient, payload)
       SELECT key, channel, recipient, payload FROM jsonb_to_recordset($1::jsonb)
         AS r(key text, channel text, recipient text, payload jsonb)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id`,
      [JSON.stringify(rows.slice(i, i + INSERT_CHUNK))],
    );
    for (const r of inserted) ids.push(r.id);
  }
  noteWritten(manager, ids);
  return ids;
}

/**
 * Inserts the rows of `select`, a query yielding (idempotency_key, channel,
 * recipient, payload) with one recipient each, in its order; a key already
 * present is skipped. For a job that renders its messages in SQL from rows it
 * never needs in Node (the weekly quota reminders: half a million messages
 * from five million links). Returns the ids of the rows inserted now.
 */
export async function addToOutboxFrom(manager: EntityManager, select: string, params: unknown[]): Promise<number[]> {
  // The ids as one array: one row back instead of half a million.
  const [{ ids }]: { ids: number[] }[] = await manager.query(
    `WITH ins AS (
       INSERT INTO outbox_messages (idempotency_key, channel, recipient, payload)
       ${select}
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id)
     SELECT coalesce(array_agg(id ORDER BY id), '{}') AS ids FROM ins`,
    params,
  );
  noteWritten(manager, ids);
  return ids;
}

/** Where a transaction keeps the ids of the outbox rows written in it (QueryRunner.data is TypeORM's place for such notes). */
const WRITTEN = 'outboxIds';

function noteWritten(manager: EntityManager, ids: number[]): void {
  const data = manager.queryRunner?.isTransactionActive ? manager.queryRunner.data : undefined;
  if (!data || ids.length === 0) return;
  const written = (data[WRITTEN] as number[] | undefined) ?? (data[WRITTEN] = []);
  for (const id of ids) written.push(id);
}

/**
 * Ids of every outbox row written so far in the manager's transaction, savepoints
 * included, for the hand-off to delivery after it commits. A row of a savepoint
 * rolled back since is listed too; delivery finds no such row and skips it.
 */
export function outboxWrittenIn(manager: EntityManager): number[] {
  return [...(manager.queryRunner?.data?.[WRITTEN] as number[] | undefined ?? [])];
}

/** Text for one person or a list, the common case. */
export function textMessage(key: string, to: string[] | string, content: string): OutboundMessage {
  return { key, channel: 'app', to, payload: { msgtype: 'text', text: { content } } };
}

export function markdownMessage(key: string, to: string[] | string, content: string): OutboundMessage {
  return { key, channel: 'app', to, payload: { msgtype: 'markdown', markdown: { content } } };
}
