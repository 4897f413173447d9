import type { OutboundPayload, OutboxPayload } from './write';
import type { Db } from '../../lib/db';

/**
 * The outbox row's life during delivery (jobs/outbox-deliver.ts): claimed
 * for one sender, then sent, failed for good, or queued again for later.
 * The claim is what lets a row be enqueued any number of times and sent once.
 */

export interface ClaimedRow {
  id: number;
  channel: 'app' | 'appchat' | 'robot' | 'card';
  recipient: string;
  payload: OutboxPayload;
  /** Attempts so far, this one included. */
  attempts: number;
}

/**
 * pending/queued → 'sending' with a lease until `leaseUntil`, counting the
 * attempt; a 'sending' row whose lease ran out by `now` (its worker died) is
 * taken over. Null when the row is done or another worker holds it.
 */
export async function claimOutboxRow(db: Db, id: number, now: Date, leaseUntil: Date): Promise<ClaimedRow | null> {
  // TypeORM answers an UPDATE … RETURNING with [rows, affectedCount].
  const [[claimed]]: [ClaimedRow[], number] = await db.query(
    `UPDATE outbox_messages
        SET status = 'sending', attempts = attempts + 1, next_attempt_at = $2
      WHERE id = $1 AND (status IN ('pending', 'queued') OR (status = 'sending' AND next_attempt_at <= $3))
      RETURNING id, channel, recipient, payload, attempts`,
    [id, leaseUntil, now],
  );
  return claimed ?? null;
}

/**
 * Sent; userids WeCom reported invalid (a partial send) are noted in last_error,
 * and an interactive card's response code is kept for one later update (notices/cards.ts).
 */
export async function markOutboxSent(db: Db, id: number, at: Date, invalidUsers: string[], responseCode?: string): Promise<void> {
  await db.query(
    `UPDATE outbox_messages SET status = 'sent', sent_at = $2, last_error = $3, response_code = $4 WHERE id = $1`,
    [id, at, invalidUsers.length > 0 ? `invaliduser: ${invalidUsers.join('|')}` : null, responseCode ?? null],
  );
}

/**
 * WeCom refused the row's card type for this app: the row sends its fallback
 * instead, now, under the same key (so the recipients get one message).
 */
export async function replaceWithFallback(db: Db, id: number, fallback: OutboundPayload, reason: string, at: Date): Promise<void> {
  await db.query(
    `UPDATE outbox_messages SET payload = $2, status = 'queued', last_error = $3, next_attempt_at = $4, attempts = attempts - 1
      WHERE id = $1`,
    [id, JSON.stringify(fallback), reason, at],
  );
}

/** Failed for good: listed for the 双联办 (failed.ts) with the reason. */
export async function markOutboxFailed(db: Db, id: number, reason: string): Promise<void> {
  await db.query(`UPDATE outbox_messages SET status = 'failed', last_error = $2 WHERE id = $1`, [id, reason]);
}

/**
 * Back to 'queued' until `at`. A rate-limited attempt is given back: waiting
 * for WeCom's window is not a failure and must not use up maxAttempts.
 */
export async function markOutboxRetry(db: Db, id: number, reason: string, at: Date, rateLimited: boolean): Promise<void> {
  await db.query(
    `UPDATE outbox_messages SET status = 'queued', last_error = $2, next_attempt_at = $3,
            attempts = attempts - $4 WHERE id = $1`,
    [id, reason, at, rateLimited ? 1 : 0],
  );
}

/** The group's robot webhook key; null when the group is gone. Robot rows name the group, never the key. */
export async function robotKeyOf(db: Db, groupId: number): Promise<string | null> {
  const [group]: { robot_key: string }[] = await db.query('SELECT robot_key FROM groups WHERE id = $1', [groupId]);
  return group ? group.robot_key : null;
}
