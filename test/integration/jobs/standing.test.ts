import type { DataSource } from 'typeorm';
import { createTestDb, type TestDb } from '../../support/db';
import { IDS, addHouseholdVisit, addVisit, seedJobsRoster } from '../../support/scenarios/jobs';
import {
  formatStanding, householdLinkStanding, standingForCadre, standingTargets, teamStanding, unitLinkStanding,
} from '../../../src/services/standing/cadre-standing';
import { cadreStanding } from '../../../src/services/standing/console-standing';

let t: TestDb;
let db: DataSource;
const NOW = new Date('2026-07-02T12:00:00+08:00'); // exactly half of 2026

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await seedJobsRoster(db);
  // Unit 1 at 丁门村: 张伟 one day, 李娜 an overnight stay (2 days, 1 night) and an auto-closed day.
  await addVisit(db, IDS.zhangwei, IDS.dingmen, '2026-03-02T09:00:00+08:00', '2026-03-02T12:00:00+08:00');
  await addVisit(db, IDS.lina, IDS.dingmen, '2026-03-02T14:00:00+08:00', '2026-03-03T10:00:00+08:00');
  await addVisit(db, IDS.lina, IDS.dingmen, '2026-04-10T08:00:00+08:00', '2026-04-10T16:00:00+08:00', { autoClosed: true });
  await addVisit(db, IDS.lina, IDS.wangmen, '2026-05-05T08:00:00+08:00', '2026-05-05T17:00:00+08:00');
  // A revoked visit and one from last year never count.
  await addVisit(db, IDS.zhangwei, IDS.dingmen, '2025-12-30T09:00:00+08:00', '2025-12-30T12:00:00+08:00');
  const revoked = await addVisit(db, IDS.zhangwei, IDS.dingmen, '2026-06-01T09:00:00+08:00', '2026-06-01T10:00:00+08:00');
  await db.query('UPDATE visits SET revoked_at = now() WHERE id = $1', [revoked]);
  await addHouseholdVisit(db, IDS.zhangwei, IDS.zhangsan, '2026-03-02T10:00:00+08:00', true);
  await addHouseholdVisit(db, IDS.zhangwei, IDS.zhangsan, '2026-05-02T10:00:00+08:00');
  await addHouseholdVisit(db, IDS.zhangwei, IDS.zhangsan, '2026-05-02T15:00:00+08:00', true);
});
afterAll(() => t.drop());

it('computes unit→village standing with pro-rated requirements', async () => {
  const targets = await standingTargets(db);
  const rows = await unitLinkStanding(db, NOW, targets);
  expect(rows).toEqual([
    expect.objectContaining({ unitId: IDS.unitAgri, villageId: IDS.dingmen, visits: 3, days: 3, requiredVisits: 2, requiredDays: 15 }),
    // 西坪村's link began on 1 July: 1.5 days of 365 so far, not yet a whole visit or day owed.
    expect.objectContaining({ unitId: IDS.unitEdu, villageId: IDS.xiping, visits: 0, days: 0, requiredVisits: 0, requiredDays: 0 }),
  ]);
  const behind = await unitLinkStanding(db, NOW, targets, { villagePathLike: '/1/2/3/4/%' }, true);
  expect(behind.map((r) => r.villageName)).toEqual(['丁门村']);
});

it('computes cadre→household standing: visits, days and talks', async () => {
  const rows = await householdLinkStanding(db, NOW, await standingTargets(db), { cadreId: IDS.zhangwei });
  expect(rows.map((r) => [r.householder, r.visits, r.days, r.talks, r.requiredVisits, r.requiredDays, r.requiredTalks]))
    .toEqual([['张三', 3, 2, 2, 1, 3, 1], ['李四', 0, 0, 0, 1, 3, 1]]);
});

it('counts team on-site and resident days (nights at the village, auto-closed excluded)', async () => {
  const [lina] = await teamStanding(db, NOW, await standingTargets(db), { cadreId: IDS.lina });
  // On site: 3/2, 3/3, 4/10, 5/5. Resident: the night of 3/2 only (5/5 was a 9-hour day).
  expect(lina).toEqual({ cadreId: IDS.lina, daysOnSite: 4, daysResident: 1, requiredOnSite: 110, requiredResident: 80 });
});

it('gives one cadre the same figures and a Chinese summary', async () => {
  const s = await standingForCadre(db.manager, IDS.lina, NOW);
  expect(s.villages).toHaveLength(1);
  expect(s.households.map((h) => h.householder)).toEqual(['王五']);
  const text = formatStanding(s);
  expect(text).toContain('李娜的双联进度（截至7月2日');
  expect(text).toContain('丁门村 今年已进村3次/累计3天，按进度应≥2次/≥15天 ✗');
  expect(text).toContain('驻村 已到村4天、驻村1天，按进度应≥110天/≥80天');
  const none = await standingForCadre(db.manager, IDS.countyLeader, NOW);
  expect(formatStanding(none)).toBe('您目前没有联系村或联系户，暂无需要完成的指标。');
});

it("pro-rates a team member's quotas to their 驻村 start and end", async () => {
  const team = async () => (await teamStanding(db, NOW, await standingTargets(db), { cadreId: IDS.lina }))[0];
  try {
    // from 2 April: 91.5 days of 365 by 2 July noon → 220 × 91.5/365 = 55.2, 160 × 91.5/365 = 40.1
    await db.query(`UPDATE cadres SET resident_village_id = $2, resident_from = '2026-04-02' WHERE id = $1`, [IDS.lina, IDS.dingmen]);
    expect(await team()).toMatchObject({ requiredOnSite: 55, requiredResident: 40 });
    // a stay whose last day was 31 May: 60 days → 36.2 and 26.3, whenever asked
    await db.query(`UPDATE cadres SET resident_to = '2026-05-31' WHERE id = $1`, [IDS.lina]);
    expect(await team()).toMatchObject({ requiredOnSite: 36, requiredResident: 26 });
    // a stay that began last year owes from 1 January
    await db.query(`UPDATE cadres SET resident_from = '2025-09-01', resident_to = NULL WHERE id = $1`, [IDS.lina]);
    expect(await team()).toMatchObject({ requiredOnSite: 110, requiredResident: 80 });
  } finally {
    await db.query('UPDATE cadres SET resident_village_id = NULL, resident_from = NULL, resident_to = NULL WHERE id = $1', [IDS.lina]);
  }
});

it("the console's cadre page holds a team member to their own stay, not the whole year", async () => {
  const [county] = await db.query('SELECT * FROM regions WHERE id = $1', [IDS.county]);
  const row = async (cadreId: number) => (await cadreStanding(db, county, NOW, { sort: 'name', behindOnly: false, limit: 50, offset: 0 }))
    .rows.find((r) => r.cadreId === cadreId);
  try {
    expect(await row(IDS.lina)).toMatchObject({ daysOnSite: 4, teamDaysRequired: 110 });
    expect(await row(IDS.zhangwei)).toMatchObject({ teamDaysRequired: null });
    // from 25 June: 7.5 days of 365 by 2 July noon → 220 × 7.5/365 = 4.5, so 4 days owed and 4 on site
    await db.query(`UPDATE cadres SET resident_village_id = $2, resident_from = '2026-06-25' WHERE id = $1`, [IDS.lina, IDS.dingmen]);
    expect(await row(IDS.lina)).toMatchObject({ daysOnSite: 4, teamDaysRequired: 4 });
  } finally {
    await db.query('UPDATE cadres SET resident_village_id = NULL, resident_from = NULL, resident_to = NULL WHERE id = $1', [IDS.lina]);
  }
});

it("the console's cadre page reads a year's figures from its tally once the next year has begun, at a county as at the province", async () => {
  const [county] = await db.query('SELECT * FROM regions WHERE id = $1', [IDS.county]);
  const [province] = await db.query('SELECT * FROM regions WHERE id = $1', [IDS.province]);
  const zhangwei = async (scope: typeof county) =>
    (await cadreStanding(db, scope, NOW, { sort: 'name', behindOnly: false, limit: 50, offset: 0 })).rows
      .find((r) => r.cadreId === IDS.zhangwei)!;
  const before = await zhangwei(county);
  expect(before).toMatchObject({ householdVisits: 3 });
  // A visit in January 2027 moves the link's own year columns to 2027; 2026 read at a county
  // (each link on its own) and at the province (one join) still shows 2026.
  await addHouseholdVisit(db, IDS.zhangwei, IDS.zhangsan, '2027-01-05T10:00:00+08:00');
  expect(await zhangwei(county)).toEqual(before);
  expect(await zhangwei(province)).toEqual(before);
});
