import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention (jobs/retention.ts, docs/design.md §2): the decrypted XML and reply of
 * a handled inbound message and the payload of a sent outbox row are cleared once
 * older than 'retention.raw_days' (180); the rows stay, as the dedup record. Two
 * partial indexes hold only the rows still carrying content, so each run finds
 * its few days of rows without passing over the years already cleared. No table
 * is rewritten; the indexes are built once over the rows there are.
 */
export class Retention1763858200000 implements MigrationInterface {
  name = 'Retention1763858200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX inbound_messages_raw_kept_idx ON inbound_messages (received_at) WHERE raw_xml <> ''`);
    await q.query(`CREATE INDEX outbox_messages_payload_kept_idx ON outbox_messages (sent_at) WHERE status = 'sent' AND payload <> '{}'::jsonb`);
    await q.query(
      `INSERT INTO policy_rules (key, value, label) VALUES
         ('retention.raw_days', to_jsonb(180), '原始消息与发送内容保留天数（至少1天）'),
         ('schedule.retention', to_jsonb('30 3 * * *'::text), '过期消息内容清理时间（cron）')
       ON CONFLICT (key) DO NOTHING`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM policy_rules WHERE key IN ('retention.raw_days', 'schedule.retention')`);
    await q.query('DROP INDEX outbox_messages_payload_kept_idx');
    await q.query('DROP INDEX inbound_messages_raw_kept_idx');
  }
}
