import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The annual digest (年考核) beside the weekly, monthly and quarterly ones: its
 * schedule as a policy rule (cron, Asia/Shanghai), 2 January 08:00 by default,
 * for the year that ended (jobs/schedules.ts).
 */
export class DigestYear1763858010000 implements MigrationInterface {
  name = 'DigestYear1763858010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `INSERT INTO policy_rules (key, value, label) VALUES ($1, to_jsonb($2::text), $3) ON CONFLICT (key) DO NOTHING`,
      [RULE_KEY, '0 8 2 1 *', '年考核汇总发送时间（cron）'],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM policy_rules WHERE key = $1', [RULE_KEY]);
  }
}

const RULE_KEY = 'schedule.digest_year';
