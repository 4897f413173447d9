import type { Db } from '../../lib/db';

/** What the outbox sweeper (jobs/outbox-sweeper.ts) hands to the queue again. */

/**
 * Ids of rows due for delivery at `now` and never finished: pending (never
 * enqueued), queued (retry time come) or sending (lease run out); after
 * `afterId`, in id order, at most `limit`. Uses outbox_messages_status_idx
 * (status, next_attempt_at).
 */
export async function dueOutboxIds(db: Db, now: Date, afterId: number, limit: number): Promise<number[]> {
  const rows: { id: number }[] = await db.query(
    `SELECT id FROM outbox_messages
      WHERE status IN ('pending', 'queued', 'sending') AND next_attempt_at <= $1 AND id > $2
      ORDER BY id LIMIT $3`,
    [now, afterId, limit],
  );
  return rows.map((r) => r.id);
}
