import type { DataSource } from 'typeorm';
import { createTestDb, type TestDb } from '../../support/db';
import { listFestivals, listRules, parseRuleValue, setFestival, setRule } from '../../../src/services/rules/rules-admin';
import { parseJobArgs } from '../../../src/cli/job';

let t: TestDb;
let db: DataSource;
const NOW = new Date('2026-11-23T12:00:00+08:00');

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
});
afterAll(() => t.drop());

it('lists rules with Chinese labels, schedules included', async () => {
  const rules = await listRules(db);
  expect(rules).toContainEqual({ key: 'village.visits_per_year', value: 4, label: '联系单位每年进村次数不少于' });
  expect(rules).toContainEqual({ key: 'schedule.digest', value: '0 20 * * *', label: '每日日报发送时间（cron）' });
});

it('sets rules keeping their type and refuses bad values', async () => {
  expect((await setRule(db, 'village.days_per_year', '25', NOW)).value).toBe(25);
  expect((await setRule(db, 'five_hundreds.enabled', '是', NOW)).value).toBe(true);
  expect((await setRule(db, 'schedule.digest', '30 19 * * *', NOW)).value).toBe('30 19 * * *');
  await expect(setRule(db, 'village.days_per_year', '-1', NOW)).rejects.toMatchObject({ code: 'bad_rule_value' });
  await expect(setRule(db, 'schedule.digest', 'every evening', NOW)).rejects.toMatchObject({ code: 'bad_rule_value' });
  await expect(setRule(db, 'no.such.rule', '1', NOW)).rejects.toMatchObject({ code: 'unknown_rule' });
  const [{ value }] = await db.query(`SELECT value FROM policy_rules WHERE key = 'village.days_per_year'`);
  expect(value).toBe(25);
  expect(() => parseRuleValue('x', false, 'maybe')).toThrow();
});

it('lists festivals with computed dates and edits them', async () => {
  await setFestival(db, '中秋节', 'remind_days_before', '5');
  await setFestival(db, '重阳节', 'enabled', '否');
  await expect(setFestival(db, '七夕', 'enabled', 'true')).rejects.toMatchObject({ code: 'unknown_festival' });
  await expect(setFestival(db, '春节', 'remind_days_before', '1.5')).rejects.toMatchObject({ code: 'bad_rule_value' });
  const list = await listFestivals(db, [2026, 2027]);
  expect(list.find((f) => f.name === '中秋节')).toMatchObject({ remindDaysBefore: 5, dates: ['2026-09-25', '2027-09-15'] });
  expect(list.find((f) => f.name === '春节')).toMatchObject({ dates: ['2026-02-17', '2027-02-06'] });
  expect(list.find((f) => f.name === '重阳节')).toMatchObject({ enabled: false });
});

it('parses `npm run job` arguments', () => {
  const clock = () => NOW;
  expect(parseJobArgs(['digest', '--now', '2026-11-23T20:00:00+08:00'], clock))
    .toEqual({ name: 'digest', now: new Date('2026-11-23T12:00:00Z') });
  expect(parseJobArgs(['auto-checkout'], clock)).toEqual({ name: 'auto-checkout', now: NOW });
  expect(parseJobArgs(['digest', '--now', '2026-11-23T20:00:00'], clock)).toHaveProperty('error');
  expect(parseJobArgs(['cleanup'], clock)).toEqual({ error: 'unknown job: cleanup' });
});
