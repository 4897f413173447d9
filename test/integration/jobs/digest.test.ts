import type { DataSource } from 'typeorm';
import { createTestDb, testPrefix, type TestDb } from '../../support/db';
import { IDS, addProblem } from '../../support/scenarios/jobs';
import { DIGEST_NOW, seedDigestDataset } from '../../support/scenarios/digest';
import { buildDigest, buildDigests, renderDigestMarkdown } from '../../../src/services/digest/build';
import { createLogger } from '../../../src/lib/logger';
import { parseJobArgs, runJobCommand } from '../../../src/cli/job';
import { createOutboxQueue } from '../../../src/services/outbox/queue';
import { REDIS_URL } from '../../support/urls';
import { runDigest } from '../../../jobs/digest';
import { SCHEDULES } from '../../../jobs/schedules';

let t: TestDb;
let db: DataSource;

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await seedDigestDataset(db);
});
afterAll(() => t.drop());

it('builds a county digest with exact figures and townships ranked', async () => {
  const d = await buildDigest(db.manager, IDS.county, DIGEST_NOW, 'day');
  expect(d.scope.name).toBe('武山县');
  expect(d.checkins).toEqual({ current: 3, previous: 1, lastWeek: 2 });
  expect(d.householdVisits).toEqual({ current: 2, previous: 0, lastWeek: 1 });
  expect([d.villagesVisited, d.villages]).toEqual([3, 3]);
  expect([d.householdsVisitedYear, d.householdsLinked]).toEqual([3, 4]);
  expect(d.problems).toEqual({ new: 1, closed: 1, overdue: 1, reportedYear: 3, closedYear: 1 });
  expect(d.unacknowledged).toBe(1);
  expect(d.behindRegions).toEqual([{ name: '鸳鸯镇', onPace: 0, links: 3 }, { name: '洛门镇', onPace: 0, links: 1 }]);
  expect(d.behindCadres).toEqual([]);
  expect(d.festival).toBeNull();
});

it('builds a township digest with the cadres furthest behind', async () => {
  const d = await buildDigest(db.manager, IDS.yuanyang, DIGEST_NOW, 'day');
  expect(d.checkins).toEqual({ current: 2, previous: 1, lastWeek: 1 });
  expect([d.villagesVisited, d.villages, d.householdsVisitedYear, d.householdsLinked]).toEqual([2, 2, 2, 3]);
  expect(d.problems).toEqual({ new: 1, closed: 0, overdue: 1, reportedYear: 2, closedYear: 0 });
  expect(d.behindCadres).toEqual([
    { name: '张伟', behindHouseholds: 2, owed: 0 },
    { name: '李娜', behindHouseholds: 1, owed: 1 },
  ]);
});

it('computes every scope in one pass, the same as one at a time', async () => {
  const all = await buildDigests(db.manager, [IDS.city, IDS.county, IDS.yuanyang, IDS.luomen], DIGEST_NOW, 'day');
  expect(all.size).toBe(4);
  expect(all.get(IDS.county)).toEqual(await buildDigest(db.manager, IDS.county, DIGEST_NOW, 'day'));
  expect(all.get(IDS.luomen)).toEqual(await buildDigest(db.manager, IDS.luomen, DIGEST_NOW, 'day'));
  expect(all.get(IDS.city)!.behindRegions).toEqual([{ name: '武山县', onPace: 0, links: 4 }]);
});

it('reports the last complete week on Monday', async () => {
  const d = await buildDigest(db.manager, IDS.county, DIGEST_NOW, 'week');
  expect(d.windows.current).toEqual({ from: '2026-11-16', to: '2026-11-23' });
  expect(d.checkins).toEqual({ current: 3, previous: 0, lastWeek: null });
  expect(d.villagesVisited).toBe(2);
});

it('counts festival-window visits after a festival', async () => {
  // 中秋节 2026-09-25, reminders from 09-22; two days later the digest shows the window.
  await db.query(`INSERT INTO household_visits (cadre_id, household_id, village_id, visited_at)
                  VALUES ($1, $2, $3, '2026-09-24T10:00:00+08:00')`, [IDS.zhangwei, IDS.lisi, IDS.dingmen]);
  const d = await buildDigest(db.manager, IDS.yuanyang, new Date('2026-09-27T20:00:00+08:00'), 'day');
  expect(d.festival).toEqual({ name: '中秋节', date: '2026-09-25', visited: 1, linked: 3 });
  expect(renderDigestMarkdown(d)).toContain('中秋节（9月25日）前后走访联系户 **1**/3 户');
  await db.query(`DELETE FROM household_visits WHERE visited_at = '2026-09-24T10:00:00+08:00'`);
});

it('renders WeCom markdown within 2048 bytes', async () => {
  const md = renderDigestMarkdown(await buildDigest(db.manager, IDS.county, DIGEST_NOW, 'day'));
  if (process.env.PRINT_DIGEST) process.stdout.write(`${md}\n`);
  expect(md.split('\n')).toEqual([
    '## 武山县 双联日报 11月23日',
    '> 签到 **3** 次（昨日 1，上周同日 2）',
    '> 入户走访 **2** 次（昨日 0，上周同日 1）',
    '> 本周到村 **3**/3 个村',
    '> 今年已走访农户 **3**/4 户（75%）',
    '> 问题：新增 1，销号 1，逾期未销号 <font color="warning">1</font>；今年销号率 33%（1/3）',
    '> 近7天通知未回复“收到”：<font color="warning">1</font> 人次',
    '> 五必到（通知后到村签到）：突发 2/2 人',
    '> 督查：本月未明察暗访 <font color="warning">3</font>/3 个村，本季度未集中督查 <font color="warning">3</font>/3 个村',
    '**联户进度落后**',
    '1. 鸳鸯镇 达进度 0/3（0%）',
    '2. 洛门镇 达进度 0/1（0%）',
    '**本月未明察暗访的村**',
    '鸳鸯镇丁门村、鸳鸯镇王门村、洛门镇西坪村',
    '**驻村队员进度落后（1人）**',
    '1. 李娜（丁门村）到村2/196天，驻村0/143天',
  ]);
  expect(Buffer.byteLength(md)).toBeLessThanOrEqual(2048);
});

describe('at year end', () => {
  // Sent on 1 January 2027 (and Monday 4 January for the week 2026-12-28 … 2027-01-03): the figures are 2026's.
  beforeAll(async () => {
    await addProblem(db, { code: 'W2027-0001', villageId: IDS.dingmen, reporterId: IDS.zhangwei, ownerId: IDS.zhangwei,
      deadline: '2027-01-31', reportedAt: '2027-01-01T07:00:00+08:00' });
    await db.query(`UPDATE problems SET status = 'closed', closed_at = '2027-01-01T07:30:00+08:00' WHERE code = 'W2026-0002'`);
  });
  afterAll(async () => {
    await db.query(`DELETE FROM problems WHERE code = 'W2027-0001'`);
    await db.query(`UPDATE problems SET status = 'open', closed_at = NULL WHERE code = 'W2026-0002'`);
  });

  it.each([
    ['month', '2027-01-01T08:00:00+08:00'],
    ['quarter', '2027-01-01T08:00:00+08:00'],
    ['week', '2027-01-04T08:00:00+08:00'],
  ] as const)('the %s digest reports the year it covers to date', async (period, now) => {
    const d = await buildDigest(db.manager, IDS.county, new Date(now), period);
    expect([d.householdsVisitedYear, d.householdsLinked]).toEqual([3, 4]);
    expect([d.problems.reportedYear, d.problems.closedYear]).toEqual([3, 1]);
    const md = renderDigestMarkdown(d);
    expect(md).toContain('> 2026年已走访农户 **3**/4 户（75%）');
    expect(md).toContain('2026年销号率 33%（1/3）');
  });
});

describe('the annual digest (年考核)', () => {
  const JAN2 = new Date('2027-01-02T08:00:00+08:00');

  it('covers the year that ended, against the year before', async () => {
    const d = await buildDigest(db.manager, IDS.county, JAN2, 'year');
    expect(d.windows.current).toEqual({ from: '2026-01-01', to: '2027-01-01' });
    expect(d.checkins).toEqual({ current: 6, previous: 0, lastWeek: null });
    expect(d.householdVisits).toEqual({ current: 4, previous: 0, lastWeek: null });
    expect([d.villagesVisited, d.villages, d.householdsVisitedYear, d.householdsLinked]).toEqual([3, 3, 3, 4]);
    expect(d.problems).toMatchObject({ new: 3, closed: 2, reportedYear: 3, closedYear: 1 });
    // By 31 December every link owes its whole quota: none is on pace.
    expect(d.behindRegions).toEqual([{ name: '鸳鸯镇', onPace: 0, links: 3 }, { name: '洛门镇', onPace: 0, links: 1 }]);
    expect(renderDigestMarkdown(d).split('\n').slice(0, 5)).toEqual([
      '## 武山县 双联年考核 2026年',
      '> 签到 **6** 次（上年 0）',
      '> 入户走访 **4** 次（上年 0）',
      '> 全年到村 **3**/3 个村',
      '> 2026年已走访农户 **3**/4 户（75%）',
    ]);
  });

  it('is a job of its own, once per year: npm run job -- digest-year', async () => {
    const deps = { db, logger: createLogger('silent') };
    expect(parseJobArgs(['digest-year', '--now', '2027-01-02T08:00:00+08:00'])).toEqual({ name: 'digest-year', now: JAN2 });
    expect(await runDigest(deps, JAN2, 'year')).toMatchObject({ period: 'year', leaders: 4, queued: 4 });
    expect(await runDigest(deps, new Date('2027-01-03T08:00:00+08:00'), 'year')).toEqual({ skipped: true });
    const rows = await db.query(`SELECT idempotency_key FROM outbox_messages WHERE idempotency_key LIKE 'digest:2026:%'`);
    expect(rows).toHaveLength(4);
    expect(await db.query(`SELECT job, period_key FROM job_runs WHERE job = 'digest-year'`)).toEqual([{ job: 'digest-year', period_key: '2026' }]);
    expect(SCHEDULES.find((s) => s.id === 'digest-yearly')).toMatchObject({
      job: 'digest', data: { period: 'year' }, ruleKey: 'schedule.digest_year', cron: '0 8 2 1 *', label: '年考核',
    });
    const [rule] = await db.query(`SELECT value FROM policy_rules WHERE key = 'schedule.digest_year'`);
    expect(rule).toEqual({ value: '0 8 2 1 *' });
  });
});

describe('npm run job', () => {
  it('hands the messages to delivery when the job commits, without waiting for the sweeper', async () => {
    const prefix = testPrefix();
    const logger = createLogger('silent');
    const summary = await runJobCommand({ name: 'digest', now: DIGEST_NOW }, { db, logger, redisUrl: REDIS_URL, prefix });
    expect(summary).toMatchObject({ period: 'day', queued: 4 });
    const rows = await db.query(`SELECT status FROM outbox_messages WHERE idempotency_key LIKE 'digest:2026-11-23:%'`);
    expect(rows).toEqual(Array(4).fill({ status: 'queued' }));
    const { queue, close } = createOutboxQueue({ redisUrl: REDIS_URL, prefix });
    try {
      expect(await queue.getJobCountByTypes('waiting')).toBe(4);
      await queue.obliterate({ force: true });
    } finally {
      await close();
    }
  });
});
