import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox sweep and the inbound retry run as loops inside the worker
 * process only (they exist to recover from a Redis outage, so they must not
 * depend on a BullMQ schedule). Their schedule rules go.
 */
export class SweepsAsLoops1763857400000 implements MigrationInterface {
  name = 'SweepsAsLoops1763857400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM policy_rules WHERE key = ANY($1)', [RULES.map(([key]) => key)]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `INSERT INTO policy_rules (key, value, label)
       SELECT key, to_jsonb(value), label FROM jsonb_to_recordset($1::jsonb) AS r(key text, value text, label text)
       ON CONFLICT (key) DO NOTHING`,
      [JSON.stringify(RULES.map(([key, value, label]) => ({ key, value, label })))],
    );
  }
}

const RULES: [string, string, string][] = [
  ['schedule.outbox_sweeper', '* * * * *', '待发消息补发检查（cron）'],
  ['schedule.inbound_retry', '* * * * *', '未处理消息重试检查（cron）'],
];
