import type { Db } from '../../lib/db';

/**
 * Retention of message content (docs/design.md §2): a handled inbound message's
 * decrypted XML and reply, and a sent outbox row's payload, are cleared once older
 * than the rule's days. The rows stay: their dedup key (MsgId, idempotency key),
 * sender, type, times and status are the record that a message came and went,
 * so a WeCom retry or a job's second run is still recognised.
 *
 * Never in the way of the hot path: small batches, each its own short statement
 * over old rows only, taking rows with SKIP LOCKED (a row a worker holds is left
 * for the next run, never waited for); rows still to be processed ('received')
 * or delivered (anything but 'sent') are never touched.
 */

/** WeCom retries a callback for seconds and a retry is answered from the stored reply: content younger than this stays whatever the rule says. */
export const MIN_RETENTION_DAYS = 1;
const DAY_MS = 86_400_000;

export interface RetentionOptions {
  days: number;
  /** Rows per statement. */
  batchSize?: number;
  /** Pause between batches, so a long catch-up leaves room for the chat. */
  pauseMs?: number;
}

export interface RetentionSummary {
  before: string;
  inboundCleared: number;
  outboxCleared: number;
  batches: number;
}

const CLEAR_INBOUND = `
  WITH batch AS (
    SELECT id FROM inbound_messages
    WHERE raw_xml <> '' AND received_at < $1 AND status <> 'received'
    ORDER BY received_at LIMIT $2
    FOR UPDATE SKIP LOCKED)
  UPDATE inbound_messages m SET raw_xml = '', reply = NULL FROM batch WHERE m.id = batch.id`;

const CLEAR_OUTBOX = `
  WITH batch AS (
    SELECT id FROM outbox_messages
    WHERE status = 'sent' AND payload <> '{}'::jsonb AND sent_at < $1
    ORDER BY sent_at LIMIT $2
    FOR UPDATE SKIP LOCKED)
  UPDATE outbox_messages o SET payload = '{}'::jsonb FROM batch WHERE o.id = batch.id`;

/** The instant before which content is cleared: `days` (at least MIN_RETENTION_DAYS) before now. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - Math.max(MIN_RETENTION_DAYS, days) * DAY_MS);
}

export async function clearExpiredContent(db: Db, now: Date, opts: RetentionOptions): Promise<RetentionSummary> {
  const before = retentionCutoff(now, opts.days);
  const size = opts.batchSize ?? 500;
  let batches = 0;
  const drain = async (sql: string): Promise<number> => {
    let total = 0;
    for (;;) {
      // node-postgres answers an UPDATE as [rows, affected count].
      const [, affected]: [unknown, number] = await db.query(sql, [before, size]);
      batches++;
      total += affected;
      if (affected < size) return total;
      if (opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs));
    }
  };
  const inboundCleared = await drain(CLEAR_INBOUND);
  const outboxCleared = await drain(CLEAR_OUTBOX);
  return { before: before.toISOString(), inboundCleared, outboxCleared, batches };
}
