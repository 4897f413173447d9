import ExcelJS from 'exceljs';
import { shanghaiDate } from '../../../src/lib/time';
import { seedConsole } from '../../support/scenarios/console';
import { useConsoleApp } from '../../support/console-app';
import { buildHouseholdLink, buildUnitVillageLink } from '../../support/factories';

/**
 * What the console's date range means on each page (docs/console.md "Date range"):
 * coverage as of its last day with those first covered within it, standing
 * year-to-date as of its last day (from the per-day rows for a past day),
 * the problems reported within it, and every period of the activity series.
 */

const NOW = new Date('2026-11-25T04:00:00Z'); // 12:00 in Shanghai, a Wednesday
const DAY = 24 * 3600e3;
const daysAgo = (n: number) => shanghaiDate(new Date(NOW.getTime() - n * DAY));

const suite = useConsoleApp((t) => seedConsole(t.db, NOW), { now: NOW });

const { get } = suite;

test('a range that ends before it starts, or a day that does not exist, is refused with a Chinese message on every page', async () => {
  for (const path of ['/coverage', '/standing', '/problems', '/activity', '/export/standing.xlsx']) {
    const reversed = await get(`/console/api${path}?from=2026-11-20&to=2026-11-10`);
    expect(reversed.status).toBe(400);
    expect(reversed.body.message).toBe('开始日期不能晚于结束日期。');
    const bad = await get(`/console/api${path}?from=2026-02-30`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('有效日期');
  }
});

test('coverage stands as of the range\'s last day and counts what was first covered within it', async () => {
  // 李大娘 (丁门村) gets a cadre 10 days ago; 王门村 a unit 3 days ago.
  await buildHouseholdLink(suite.t.db, { cadreId: suite.seed.ids.zhangsan, householdId: suite.seed.ids.hLi, validFrom: daysAgo(10) });
  await buildUnitVillageLink(suite.t.db, { unitId: suite.seed.ids.education, villageId: suite.seed.ids.wangmen, validFrom: daysAgo(3) });
  const cov = async (from: string, to: string) => (await get(`/console/api/coverage?from=${from}&to=${to}`)).body;
  const before = await cov(daysAgo(30), daysAgo(11));
  expect(before).toMatchObject({ asOf: daysAgo(11), linkedHouseholds: 2, newHouseholds: 0, linkedVillages: 2, newVillages: 0 });
  expect(before.householdGaps.map((g: { householder: string }) => g.householder)).toEqual(['李大娘']);
  const week = await cov(daysAgo(10), daysAgo(4));
  expect(week).toMatchObject({ linkedHouseholds: 3, newHouseholds: 1, linkedVillages: 2, newVillages: 0 });
  expect(week.householdGaps).toEqual([]);
  const now = await cov(daysAgo(5), daysAgo(0));
  expect(now).toMatchObject({ asOf: daysAgo(0), linkedHouseholds: 3, newHouseholds: 0, linkedVillages: 3, newVillages: 1 });
  expect(now.byChild.find((c: { name: string }) => c.name === '鸳鸯镇')).toMatchObject({ newVillages: 1, linkedVillages: 2 });
  // A range ending after today stands as of today.
  expect((await cov(daysAgo(5), '2026-12-31')).asOf).toBe(daysAgo(0));
});

describe('standing as of the range\'s last day', () => {
  const unit = async (query: string, name = '武山县财政局') =>
    (await get(`/console/api/standing?by=unit&sort=name${query}`)).body.rows.find((r: { unitName: string }) => r.unitName === name);
  const cadre = async (query: string, name: string) => {
    const body = (await get(`/console/api/standing?by=cadre&sort=name${query}`)).body;
    return { ...body.rows.find((r: { name: string }) => r.name === name), targets: body.targets, asOf: body.asOf };
  };

  test('a visit after the day asked does not count; the pace owed is that of the day asked', async () => {
    // 张三 checked in at 丁门村 20, 12, 5 and 2 days ago, and visited 张大爷 12 and 2 days ago; 李四 was on site 3 days ago.
    expect(await unit('')).toMatchObject({ visits: 4, days: 4 });
    expect(await unit(`&to=${daysAgo(3)}`)).toMatchObject({ visits: 3, days: 3 });
    expect(await unit(`&from=${daysAgo(9)}&to=${daysAgo(6)}`)).toMatchObject({ visits: 2, days: 2 });
    const zhang = await cadre(`&to=${daysAgo(3)}`, '张三');
    expect(zhang).toMatchObject({ householdVisits: 1, asOf: daysAgo(3) });
    expect((await cadre('', '张三')).householdVisits).toBe(2);
    expect((await cadre(`&to=${daysAgo(4)}`, '李四')).daysOnSite).toBe(0);
    expect((await cadre(`&to=${daysAgo(3)}`, '李四')).daysOnSite).toBe(1);
    // The yearly target pro-rated to the end of 1 March, not to today.
    const march = await cadre('&to=2026-03-01', '张三');
    expect(march).toMatchObject({ householdVisits: 0, asOf: '2026-03-01' });
    expect(march.targets.visits.owed).toBeLessThan((await cadre('', '张三')).targets.visits.owed);
  });

  test('as of yesterday, counted from the per-day rows, the figures are those of the year tallies today (no act today)', async () => {
    // A visit over midnight counts once and for two days either way.
    await suite.t.db.query(
      `INSERT INTO visits (cadre_id, village_id, started_at, ended_at, duration_minutes, source) VALUES ($1, $2, $3, $4, 240, 'chat')`,
      [suite.seed.ids.lisi, suite.seed.ids.xiping, '2026-10-10T14:00:00Z', '2026-10-10T18:00:00Z'],
    );
    for (const by of ['unit', 'cadre']) {
      const today = (await get(`/console/api/standing?by=${by}&sort=name`)).body;
      const yesterday = (await get(`/console/api/standing?by=${by}&sort=name&to=${daysAgo(1)}`)).body;
      const figures = (rows: Record<string, unknown>[]) => rows.map(({ behind: _b, teamDaysRequired: _r, ...r }) => r);
      expect(figures(yesterday.rows)).toEqual(figures(today.rows));
      expect(yesterday.rows.length).toBeGreaterThan(1);
    }
    expect(await unit(`&to=${daysAgo(1)}`, '武山县教育局')).toMatchObject({ visits: 2, days: 3 });
  });

  test('the 任务进度 export holds the page\'s figures as of the range\'s last day, and says so in its name', async () => {
    const res = await get(`/console/api/export/standing.xlsx?from=${daysAgo(30)}&to=${daysAgo(3)}`).buffer(true)
      .parse((r, cb) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => cb(null, Buffer.concat(chunks))); });
    expect(res.status).toBe(200);
    expect(decodeURIComponent(res.headers['content-disposition'])).toContain(`截至${daysAgo(3)}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    const rows: unknown[][] = [];
    wb.getWorksheet('单位联村')!.eachRow((r) => { rows.push(r.values as unknown[]); });
    expect(String(rows[0][1])).toContain(`—${Number(daysAgo(3).slice(5, 7))}月${Number(daysAgo(3).slice(8))}日`);
    const header = rows.find((r) => r.includes('进村次数'))!;
    const finance = rows.find((r) => r.includes('武山县财政局'))!;
    expect([finance[header.indexOf('进村次数')], finance[header.indexOf('进村天数')]]).toEqual([3, 3]);
  });
});

test('the ledger lists, and sums up, the problems reported within the range', async () => {
  // The seed's problems were all reported 40 days ago.
  const around = (await get(`/console/api/problems?from=${daysAgo(45)}&to=${daysAgo(35)}`)).body;
  expect(around.summary).toMatchObject({ total: 3, closed: 1 });
  expect(around.total).toBe(3);
  const later = (await get(`/console/api/problems?from=${daysAgo(30)}&to=${daysAgo(0)}`)).body;
  expect(later.summary).toMatchObject({ total: 0, closed: 0, overdue: 0, open: 0 });
  expect(later.rows).toEqual([]);
});

test('activity has every period of the range, quiet ones as zeros, each with its label', async () => {
  const weeks = (await get(`/console/api/activity?bucket=week&from=2026-10-14&to=2026-11-25`)).body.points;
  // Monday 12 October to Monday 23 November: seven weeks, the first three without an act.
  expect(weeks.map((p: { date: string }) => p.date)).toEqual(
    ['2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
  expect(weeks.map((p: { label: string }) => p.label)).toEqual(
    ['10月第2周', '10月第3周', '10月第4周', '11月第1周', '11月第2周', '11月第3周', '11月第4周']);
  expect(weeks[0]).toMatchObject({ checkins: 0, householdVisits: 0, cadres: 0 });
  expect(weeks.reduce((s: number, p: { checkins: number }) => s + p.checkins, 0)).toBe(5);
  const months = (await get(`/console/api/activity?bucket=month&from=2025-12-15&to=2026-02-01`)).body.points;
  expect(months.map((p: { label: string }) => p.label)).toEqual(['2025年12月', '2026年1月', '2026年2月']);
  const days = (await get(`/console/api/activity?bucket=day&from=${daysAgo(6)}&to=${daysAgo(0)}`)).body.points;
  expect(days).toHaveLength(7);
  expect(days[0].label).toBe('11月19日');
});
