import type { DataSource } from 'typeorm';
import { createTestDb, type TestDb } from '../../support/db';
import { IDS } from '../../support/scenarios/jobs';
import { DIGEST_NOW, seedDigestDataset } from '../../support/scenarios/digest';
import { buildDigest, buildDigests, renderDigestMarkdown } from '../../../src/services/digest/build';

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
    { name: '张伟', behindHouseholds: 2, owed: 1 },
    { name: '李娜', behindHouseholds: 1, owed: 2 },
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
    '**联户进度落后**',
    '1. 鸳鸯镇 达进度 0/3（0%）',
    '2. 洛门镇 达进度 0/1（0%）',
  ]);
  expect(Buffer.byteLength(md)).toBeLessThanOrEqual(2048);
});
