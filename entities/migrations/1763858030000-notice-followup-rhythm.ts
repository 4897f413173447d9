import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A notice is followed up at a rhythm (jobs/notice-followup.ts): first
 * 'notice.followup_hours' after sending, then each morning at
 * 'notice.followup_daily_hour' until the notice's 'notice.followup_days'-th day;
 * each round also gives the sender the receipt. notices.followups_sent counts
 * the rounds done (a constant default: no table rewrite); the job finds the
 * notices still in their rhythm by notices_created_idx.
 * 'notice.report_hours' remains the attendance window of a notice without an end.
 */
export class NoticeFollowupRhythm1763858030000 implements MigrationInterface {
  name = 'NoticeFollowupRhythm1763858030000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE notices ADD COLUMN followups_sent smallint NOT NULL DEFAULT 0');
    await q.query('CREATE INDEX notices_created_idx ON notices (created_at)');
    await q.query(
      `INSERT INTO policy_rules (key, value, label)
       SELECT key, to_jsonb(value), label FROM jsonb_to_recordset($1::jsonb) AS r(key text, value int, label text)
       ON CONFLICT (key) DO NOTHING`,
      [JSON.stringify(RULES.map(([key, value, label]) => ({ key, value, label })))],
    );
    await q.query(`UPDATE policy_rules SET label = $2 WHERE key = $1`, ['notice.report_hours', REPORT_HOURS_LABEL]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE policy_rules SET label = $2 WHERE key = $1`, ['notice.report_hours', '通知发出多少小时后向发送人报告未回复名单']);
    await q.query('DELETE FROM policy_rules WHERE key = ANY($1)', [RULES.map(([key]) => key)]);
    await q.query('DROP INDEX notices_created_idx');
    await q.query('ALTER TABLE notices DROP COLUMN followups_sent');
  }
}

const RULES: [string, number, string][] = [
  ['notice.followup_daily_hour', 8, '通知未回复时每天几点再次提醒（0–23）'],
  ['notice.followup_days', 3, '通知未回复时每天提醒，直到通知发出后第几天'],
];
const REPORT_HOURS_LABEL = '通知未设截止时间时，统计到村签到的时长（小时）';
