import type { Region } from '../../../entities';
import { createTestDb, type TestDb } from '../../support/db';
import { seedWork, type WorkSeed } from '../../support/scenarios/work';
import { getRegion } from '../../../src/services/people/regions';
import { setRule } from '../../../src/services/rules/rules-admin';
import { rankings } from '../../../src/services/console/rankings';
import { previousPeriod, workSummary } from '../../../src/services/console/week-work';

/**
 * 本周工作's figures (week-work.ts, rankings.ts) against a county's hand-built
 * week (test/support/scenarios/work.ts): every figure is the one counted by
 * hand there, 甘谷县's rows count for nothing, and the quotas come from the rules table.
 */

const WEEK = { from: '2026-11-30', to: '2026-12-06' };
const NOW = new Date('2026-12-07T10:00:00+08:00');
let t: TestDb;
let seed: WorkSeed;
let wushan: Region;

beforeAll(async () => {
  t = await createTestDb();
  seed = await seedWork(t.db, WEEK.from);
  wushan = (await getRegion(t.db, seed.ids.wushan))!;
});
afterAll(async () => {
  await t.drop();
});

test('the previous period is the one of the same length just before, or the same days of last week', () => {
  expect(previousPeriod(WEEK)).toEqual({ from: '2026-11-23', to: '2026-11-29' });
  expect(previousPeriod({ from: '2026-03-01', to: '2026-03-31' })).toEqual({ from: '2026-01-29', to: '2026-02-28' });
  // this week so far (Monday and Tuesday) against the same days of last week
  expect(previousPeriod({ from: '2026-12-07', to: '2026-12-08' })).toEqual({ from: '2026-11-30', to: '2026-12-01' });
  expect(previousPeriod({ from: '2026-12-08', to: '2026-12-09' })).toEqual({ from: '2026-12-06', to: '2026-12-07' });
});

test('a county\'s week against the week before: check-ins, villages reached, households visited, problems, notices', async () => {
  const s = await workSummary(t.db, wushan, WEEK);
  expect(s.previous).toEqual({ from: '2026-11-23', to: '2026-11-29' });
  expect(s.current).toEqual({
    checkins: 2, villagesReached: 1, villages: 3, householdsVisited: 1, problemsOpened: 1, problemsClosed: 1, noticesUnacknowledged: 1,
  });
  expect(s.before).toEqual({
    checkins: 1, villagesReached: 1, villages: 3, householdsVisited: 1, problemsOpened: 1, problemsClosed: 0, noticesUnacknowledged: 1,
  });
  // a township reads its own rollup rows; a village counts its visits
  const yuanyang = (await getRegion(t.db, seed.ids.yuanyang))!;
  expect((await workSummary(t.db, yuanyang, WEEK)).current).toMatchObject({ checkins: 2, villagesReached: 1, villages: 2 });
  const xiping = (await getRegion(t.db, seed.ids.xiping))!;
  expect((await workSummary(t.db, xiping, WEEK)).before).toMatchObject({ checkins: 1, villagesReached: 1, villages: 1, householdsVisited: 1 });
});

test('townships and units ranked worst first on 到村率, 入户率, 谈心率, 销号率 and 必访率, with the cadres behind and the overdue problems', async () => {
  const r = await rankings(t.db, wushan, WEEK, NOW);
  expect(r.asOf).toBe('2026-12-06');
  expect(r.targets).toEqual({ villageVisits: 4, villageDays: 30, householdVisits: 2, householdTalks: 2 });
  const counts = (row: (typeof r.regions)[number]) => [row.name, row.villageOnPace, row.villageLinks, row.householdsReached, row.householdsTalked,
    row.households, row.problemsClosed, row.problems, row.mustInTime, row.mustDue];
  expect(r.regions.map(counts)).toEqual([['鸳鸯镇', 0, 1, 1, 1, 2, 0, 2, 1, 2], ['洛门镇', 1, 1, 1, 0, 1, 1, 1, 0, 0]]);
  expect(r.regions[0]).toMatchObject({ villageRate: 0, householdRate: 0.5, talkRate: 0.5, closureRate: 0, mustRate: 0.5 });
  expect(r.regions[1]).toMatchObject({ villageRate: 1, householdRate: 1, talkRate: 0, closureRate: 1, mustRate: null });
  expect(r.units.map(counts)).toEqual([['武山县财政局', 0, 1, 1, 1, 2, 0, 2, 1, 2], ['武山县教育局', 1, 1, 1, 0, 1, 1, 1, 0, 0]]);
  expect(r.behind).toEqual([
    { cadreId: seed.ids.zhangsan, name: '张三', unitName: '武山县财政局', households: 2, behind: 2, owed: 1 },
    { cadreId: seed.ids.lisi, name: '李四', unitName: '武山县教育局', households: 1, behind: 1, owed: 0 },
  ]);
  expect(r.overdue).toEqual({ total: 1, rows: [expect.objectContaining({
    code: 'W2026-0103', villageFullName: '甘肃省/天水市/武山县/鸳鸯镇/王门村', ownerName: '张三', ownerUnitName: '武山县财政局',
    deadline: '2026-10-31', daysOverdue: 36,
  })] });
});

test('the 联村 quota is read from the rules: at 2 visits and 2 days a year 财政局 is on pace', async () => {
  await setRule(t.db, 'village.visits_per_year', '2', NOW);
  await setRule(t.db, 'village.days_per_year', '2', NOW);
  try {
    const r = await rankings(t.db, wushan, WEEK, NOW);
    expect(r.regions.map((x) => [x.name, x.villageRate, x.householdRate])).toEqual([['鸳鸯镇', 1, 0.5], ['洛门镇', 1, 1]]);
    expect(r.targets).toMatchObject({ villageVisits: 2, villageDays: 2 });
  } finally {
    await setRule(t.db, 'village.visits_per_year', '4', NOW);
    await setRule(t.db, 'village.days_per_year', '30', NOW);
  }
});
