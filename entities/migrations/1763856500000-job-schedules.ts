import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Schedules of the scheduled jobs as policy rules (cron, Asia/Shanghai), read
 * by the worker at boot (jobs/schedules.ts); `npm run rules -- set` edits them.
 */
export class JobSchedules1763856500000 implements MigrationInterface {
  name = 'JobSchedules1763856500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `INSERT INTO policy_rules (key, value, label)
       SELECT key, to_jsonb(value), label FROM jsonb_to_recordset($1::jsonb) AS r(key text, value text, label text)
       ON CONFLICT (key) DO NOTHING`,
      [JSON.stringify(SCHEDULE_RULES.map(([key, value, label]) => ({ key, value, label })))],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM policy_rules WHERE key = ANY($1)', [SCHEDULE_RULES.map(([key]) => key)]);
  }
}

const SCHEDULE_RULES: [string, string, string][] = [
  ['schedule.digest', '0 20 * * *', '每日日报发送时间（cron）'],
  ['schedule.digest_week', '0 8 * * 1', '周检查汇总发送时间（cron）'],
  ['schedule.digest_month', '0 8 1 * *', '月小结发送时间（cron）'],
  ['schedule.digest_quarter', '0 8 1 1,4,7,10 *', '季考评发送时间（cron）'],
  ['schedule.quota_reminders', '0 9 * * 1', '进度提醒发送时间（cron）'],
  ['schedule.festival_reminders', '0 8 * * *', '节日走访提醒检查时间（cron）'],
  ['schedule.notice_followup', '*/15 * * * *', '通知未回复跟进检查（cron）'],
  ['schedule.overdue_problems', '0 9 * * *', '逾期问题提醒时间（cron）'],
  ['schedule.auto_checkout', '59 23 * * *', '自动签退时间（cron）'],
  ['schedule.outbox_sweeper', '* * * * *', '待发消息补发检查（cron）'],
  ['schedule.inbound_retry', '* * * * *', '未处理消息重试检查（cron）'],
];
