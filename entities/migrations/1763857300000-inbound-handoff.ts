import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbound worker takes deferred messages from this table itself
 * (FOR UPDATE SKIP LOCKED, jobs/inbound-worker.ts) instead of from a BullMQ job
 * per message: the callback's hand-off becomes one column of the INSERT it
 * makes anyway, with no Redis round trip or Lua script per message. `deferred`
 * marks the rows the callback left to the worker (a constant default: no table
 * rewrite). The partial index holds just the rows waiting for it, in the order
 * it takes them: an index scan, which also marks the entries of rows done since
 * as dead. Through (status, received_at) the same pick was a bitmap scan over
 * every entry not yet vacuumed, which grows with the backlog.
 */
export class InboundHandoff1763857300000 implements MigrationInterface {
  name = 'InboundHandoff1763857300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE inbound_messages ADD COLUMN deferred boolean NOT NULL DEFAULT false');
    await q.query(`CREATE INDEX inbound_messages_deferred_idx ON inbound_messages (received_at)
                     WHERE status = 'received' AND deferred AND attempts = 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX inbound_messages_deferred_idx');
    await q.query('ALTER TABLE inbound_messages DROP COLUMN deferred');
  }
}
