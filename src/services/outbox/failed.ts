import type { Db } from '../../lib/db';

/**
 * Outbox rows WeCom refused for good (bad userids, a revoked robot key, wrong
 * credentials, or retries exhausted): listed for the 双联办 with the reason,
 * and sent again once the cause is fixed. Never shows message text or robot keys.
 */

export interface FailedOutboxRow {
  id: number;
  key: string;
  channel: string;
  /** How many recipients (userids) the row had; robot rows name a group id, not its key. */
  recipients: number;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

export async function listFailedOutbox(db: Db, opts: { limit?: number } = {}): Promise<{ total: number; rows: FailedOutboxRow[] }> {
  const [{ total }] = await db.query(`SELECT count(*)::int AS total FROM outbox_messages WHERE status = 'failed'`);
  const rows: FailedOutboxRow[] = await db.query(
    `SELECT id, idempotency_key AS key, channel, cardinality(string_to_array(recipient, '|'))::int AS recipients,
            attempts, last_error AS "lastError", created_at AS "createdAt"
       FROM outbox_messages WHERE status = 'failed' ORDER BY id DESC LIMIT $1`,
    [opts.limit ?? 50],
  );
  return { total, rows };
}

/** Puts failed rows back to 'pending' with a fresh attempt count; the sweeper sends them. Returns the ids reset. */
export async function retryFailedOutbox(db: Db, ids: number[] | 'all'): Promise<number[]> {
  const rows: { id: number }[] = await db.query(
    `WITH u AS (
       UPDATE outbox_messages SET status = 'pending', attempts = 0, next_attempt_at = now()
        WHERE status = 'failed' AND ($1::int[] IS NULL OR id = ANY($1))
        RETURNING id)
     SELECT id FROM u ORDER BY id`,
    [ids === 'all' ? null : ids],
  );
  return rows.map((r) => r.id);
}

/** The table the CLI prints: one line per row, English headers. */
export function formatFailedOutbox(result: { total: number; rows: FailedOutboxRow[] }): string {
  if (result.total === 0) return 'no failed outbox rows\n';
  const lines = result.rows.map((r) =>
    [r.id, r.createdAt.toISOString(), r.channel, r.key, `${r.recipients} recipient(s)`, `${r.attempts} attempt(s)`, r.lastError ?? ''].join('\t'));
  const more = result.total > result.rows.length ? `… and ${result.total - result.rows.length} more\n` : '';
  return `${result.total} failed outbox row(s):\nid\tcreated\tchannel\tkey\trecipients\tattempts\tlast error\n${lines.join('\n')}\n${more}`;
}
