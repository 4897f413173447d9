import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Logger } from '../src/lib/logger';
import { missingJobSchedulers } from '../src/services/jobs/job-schedulers';
import { isCron } from '../src/services/rules/rules-admin';
import { storedRuleValues } from '../src/services/rules/rules';
import type { JobName, JobPayloads } from './queues';

/**
 * Every schedule, in one place. Upserted at boot as BullMQ job schedulers
 * with stable ids (re-running the boot changes nothing) in Asia/Shanghai;
 * each cron can be changed with `npm run rules -- set schedule.<…> '<cron>'`
 * and takes effect at the worker's next start. Schedulers live only in Redis,
 * so the worker checks for them every SCHEDULE_CHECK_MS and upserts the missing
 * ones again (restoreMissingSchedules): a Redis that restarted empty has them
 * back within that time.
 */

export const SCHEDULE_TZ = 'Asia/Shanghai';
/** How often the worker looks for schedulers Redis lost. */
export const SCHEDULE_CHECK_MS = 30_000;

export interface Schedule<K extends JobName = JobName> {
  /** Stable job-scheduler id. */
  id: string;
  job: K;
  data: JobPayloads[K];
  /** policy_rules key holding the cron. */
  ruleKey: string;
  cron: string;
  /** 周检查、月小结 … as admins read it. */
  label: string;
}

export const SCHEDULES: Schedule[] = [
  { id: 'digest-daily', job: 'digest', data: { period: 'day' }, ruleKey: 'schedule.digest', cron: '0 20 * * *', label: '每日日报' },
  { id: 'digest-weekly', job: 'digest', data: { period: 'week' }, ruleKey: 'schedule.digest_week', cron: '0 8 * * 1', label: '周检查' },
  { id: 'digest-monthly', job: 'digest', data: { period: 'month' }, ruleKey: 'schedule.digest_month', cron: '0 8 1 * *', label: '月小结' },
  { id: 'digest-quarterly', job: 'digest', data: { period: 'quarter' }, ruleKey: 'schedule.digest_quarter', cron: '0 8 1 1,4,7,10 *', label: '季考评' },
  { id: 'digest-yearly', job: 'digest', data: { period: 'year' }, ruleKey: 'schedule.digest_year', cron: '0 8 2 1 *', label: '年考核' },
  { id: 'quota-reminders', job: 'quota-reminders', data: {}, ruleKey: 'schedule.quota_reminders', cron: '0 9 * * 1', label: '进度提醒' },
  { id: 'festival-reminders', job: 'festival-reminders', data: {}, ruleKey: 'schedule.festival_reminders', cron: '0 8 * * *', label: '节日走访提醒' },
  { id: 'notice-followup', job: 'notice-followup', data: {}, ruleKey: 'schedule.notice_followup', cron: '*/15 * * * *', label: '通知跟进' },
  { id: 'overdue-problems', job: 'overdue-problems', data: {}, ruleKey: 'schedule.overdue_problems', cron: '0 9 * * *', label: '逾期问题提醒' },
  { id: 'must-visit-reminders', job: 'must-visit-reminders', data: {}, ruleKey: 'schedule.must_visit_reminders', cron: '0 9 * * *', label: '五必访逾期提醒' },
  { id: 'auto-checkout', job: 'auto-checkout', data: {}, ruleKey: 'schedule.auto_checkout', cron: '0 * * * *', label: '自动签退' },
  { id: 'retention', job: 'retention', data: {}, ruleKey: 'schedule.retention', cron: '30 3 * * *', label: '过期消息内容清理' },
];

/** The schedules with crons from policy_rules (a missing or malformed rule keeps the default). */
export async function resolveSchedules(db: DataSource, logger?: Logger): Promise<Schedule[]> {
  const byKey = await storedRuleValues(db, SCHEDULES.map((s) => s.ruleKey));
  return SCHEDULES.map((s) => {
    const v = byKey.get(s.ruleKey);
    if (v === undefined) return s;
    if (typeof v === 'string' && isCron(v)) return { ...s, cron: v.trim() };
    logger?.warn({ rule: s.ruleKey }, 'schedule rule is not a cron; using the default');
    return s;
  });
}

/** Upserts every schedule; removes schedulers of ours that are no longer listed. */
export async function upsertSchedules(queue: Queue, schedules: Schedule[]): Promise<void> {
  for (const s of schedules) {
    await upsertSchedule(queue, s);
  }
  const known = new Set(schedules.map((s) => s.id));
  for (const existing of await queue.getJobSchedulers()) {
    if (existing.key && !known.has(existing.key)) await queue.removeJobScheduler(existing.key);
  }
}

/** The stable scheduler ids /healthz expects to find. */
export const SCHEDULE_IDS: readonly string[] = SCHEDULES.map((s) => s.id);

/** Upserts again the schedules Redis no longer holds (it restarted empty, or was flushed); returns their ids. */
export async function restoreMissingSchedules(queue: Queue, schedules: Schedule[]): Promise<string[]> {
  const missing = new Set(await missingJobSchedulers(queue, schedules.map((s) => s.id)));
  for (const s of schedules) {
    if (missing.has(s.id)) await upsertSchedule(queue, s);
  }
  return [...missing];
}

function upsertSchedule(queue: Queue, s: Schedule): Promise<unknown> {
  return queue.upsertJobScheduler(s.id, { pattern: s.cron, tz: SCHEDULE_TZ }, { name: s.job, data: s.data });
}
