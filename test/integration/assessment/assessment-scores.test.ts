import type { DataSource } from 'typeorm';
import { createTestDb, type TestDb } from '../../support/db';
import {
  buildCadre, buildHousehold, buildHouseholdLink, buildHouseholdVisit, buildNotice, buildNoticeRecipient, buildProblem,
  buildRegionPath, buildUnit, buildUnitVillageLink, buildVillage, buildVisit,
} from '../../support/factories';
import { parsePeriod } from '../../../src/services/assessment/scheme';
import { computeAssessment, type Scored } from '../../../src/services/assessment/scores';
import { setLeaderRating } from '../../../src/services/assessment/ratings';
import { setRule } from '../../../src/services/rules/rules-admin';

/**
 * 季考评 for 2025-Q1 (90 of 365 days) on a small scenario, every figure worked
 * out by hand from the defaults (docs/design.md §2 "Assessment").
 */

let t: TestDb;
let db: DataSource;
const ids = { a: 0, b: 0, c: 0, leader: 0, u1: 0, countyPath: '', lomenPath: '', yuanyangPath: '' };
const NOW = new Date('2025-04-02T10:00:00+08:00');

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  const yuanyang = await buildRegionPath(db, { names: ['甘肃省', '天水市', '武山县', '鸳鸯镇'] });
  const lomen = await buildRegionPath(db, { names: ['甘肃省', '天水市', '武山县', '洛门镇'] });
  ids.countyPath = yuanyang[2].path;
  ids.yuanyangPath = yuanyang[3].path;
  ids.lomenPath = lomen[3].path;
  const v1 = await buildVillage(db, { townId: yuanyang[3].id, name: '丁门村' });
  const v2 = await buildVillage(db, { townId: lomen[3].id, name: '西坪村' });
  const u1 = await buildUnit(db, { name: '县财政局' });
  const u2 = await buildUnit(db, { name: '县农业局' });
  ids.u1 = u1.id;
  await buildUnitVillageLink(db, { unitId: u1.id, villageId: v1.id, validFrom: '2025-01-01' });
  const a = await buildCadre(db, { name: '张伟', unitId: u1.id });
  const b = await buildCadre(db, { name: '李娜', unitId: u1.id });
  const c = await buildCadre(db, { name: '王强', unitId: u2.id, role: '队员' });
  const leader = await buildCadre(db, { name: '赵县长', role: '领导', scopeRegionId: yuanyang[2].id });
  Object.assign(ids, { a: a.id, b: b.id, c: c.id, leader: leader.id });
  await db.query(`UPDATE cadres SET resident_village_id = $2, resident_from = '2025-02-01' WHERE id = $1`, [c.id, v2.id]);

  const h1 = await buildHousehold(db, { villageId: v1.id, householder: '张三' });
  const h2 = await buildHousehold(db, { villageId: v1.id, householder: '李四' });
  await buildHouseholdLink(db, { cadreId: a.id, householdId: h1.id, validFrom: '2025-01-01' });
  await buildHouseholdLink(db, { cadreId: b.id, householdId: h2.id, validFrom: '2025-01-01' });

  // 张伟: one check-in at 丁门村 (the unit's visit and day), one visit to 张三 with a talk.
  await buildVisit(db, { cadreId: a.id, villageId: v1.id, startedAt: '2025-02-10T09:00:00+08:00', endedAt: '2025-02-10T12:00:00+08:00' });
  await buildHouseholdVisit(db, { cadreId: a.id, householdId: h1.id, visitedAt: '2025-02-10T10:00:00+08:00', talk: true });
  // Two problems due in the quarter, one closed by its deadline.
  await buildProblem(db, { villageId: v1.id, reporterId: a.id, reportedAt: '2025-02-01T09:00:00+08:00', deadline: '2025-03-01',
    closedAt: '2025-02-20T09:00:00+08:00' });
  await buildProblem(db, { villageId: v1.id, reporterId: a.id, reportedAt: '2025-02-05T09:00:00+08:00', deadline: '2025-03-10' });
  // A problem due in April does not count in Q1.
  await buildProblem(db, { villageId: v1.id, reporterId: a.id, reportedAt: '2025-03-20T09:00:00+08:00', deadline: '2025-04-19' });
  // Two notices, one acknowledged.
  for (const acked of [true, false]) {
    const n = await buildNotice(db, { senderId: leader.id, scopeRegionId: yuanyang[2].id, createdAt: '2025-02-15T09:00:00+08:00' });
    await buildNoticeRecipient(db, { noticeId: n.id, cadreId: a.id, ackedAt: acked ? '2025-02-15T10:00:00+08:00' : null });
  }
  // Diary on three days (two entries on one), and one 六送 act.
  for (const at of ['2025-01-10T20:00:00+08:00', '2025-01-10T21:00:00+08:00', '2025-02-10T20:00:00+08:00', '2025-03-10T20:00:00+08:00']) {
    await db.query('INSERT INTO diary_entries (cadre_id, village_id, content, created_at) VALUES ($1, $2, $3, $4)', [a.id, v1.id, '日记', at]);
  }
  await db.query(`INSERT INTO help_acts (cadre_id, unit_id, household_id, village_id, kind, note, acted_at)
    VALUES ($1, $2, $3, $4, '送技术', '种植技术', '2025-03-01T10:00:00+08:00')`, [a.id, u1.id, h1.id, v1.id]);

  // 王强 (队员 at 西坪村 from 1 February): one night at the village.
  await buildVisit(db, { cadreId: c.id, villageId: v2.id, startedAt: '2025-02-10T08:00:00+08:00', endedAt: '2025-02-11T10:00:00+08:00' });

  await setLeaderRating(db, { id: leader.id, scopePath: ids.countyPath }, { target: { cadreId: a.id }, period: '2025-Q1', score: 90 }, NOW);
  await setLeaderRating(db, { id: leader.id, scopePath: ids.countyPath }, { target: { cadreId: b.id }, period: '2025-Q1', score: 70 }, NOW);
  await setLeaderRating(db, { id: leader.id, scopePath: ids.countyPath }, { target: { unitId: u1.id }, period: '2025-Q1', score: 85 }, NOW);
  await db.query(`INSERT INTO assessment_ratings (period, kind, cadre_id, score, rated_at) VALUES ('2025-Q1', 'mass', $1, 80, now())`, [a.id]);
});
afterAll(() => t.drop());

const points = (s: Scored) => Object.fromEntries(s.components.map((c) => [c.key, [c.points, c.max]]));

describe('a quarter scored by hand', () => {
  it('scores a cadre component by component, out of the points that apply', async () => {
    const r = await computeAssessment(db, parsePeriod('2025-Q1'));
    const a = r.cadres.find((c) => c.id === ids.a)!;
    // Owed in 90/365 of a year: visits 2 → 0.49 (1 done: full), days 7 → 1.73 (1 done), talks 2 → 0.49 (full);
    // problems 1 of 2 in time; notices 1 of 2; diary 3 of 24.66 days; 六送 1 of 1.48 acts. No must-visit was due.
    expect(points(a)).toEqual({
      household_visits: [15, 15], household_days: [5.79, 10], household_talks: [10, 10], problems_in_time: [5, 10],
      notices_acknowledged: [5, 10], diary_days: [0.61, 5], help_acts: [6.76, 10],
    });
    expect(a.work).toBe(68.8); // 48.16 of 70
    expect([a.leader, a.mass]).toEqual([90, 80]);
    expect(a.total).toBe(75.28); // 68.8 × 60% + 90 × 20% + 80 × 20%
    expect(a.villageFullName).toContain('鸳鸯镇');
  });

  it('weighs only the parts present in the total, and leaves leaders out', async () => {
    const r = await computeAssessment(db, parsePeriod('2025-Q1'));
    const b = r.cadres.find((c) => c.id === ids.b)!;
    expect(b.work).toBe(0);
    expect(b.total).toBe(17.5); // (0 × 60 + 70 × 20) / 80
    expect(r.cadres.some((c) => c.id === ids.leader)).toBe(false);
  });

  it('holds a team member to their stay: days on site and nights from 1 February', async () => {
    const r = await computeAssessment(db, parsePeriod('2025-Q1'));
    const c = r.cadres.find((x) => x.id === ids.c)!;
    // 59 days of stay: on site 220 → 35.56 (2 done), resident 160 → 25.86 (1 night); no household link.
    expect(points(c)).toEqual({
      team_days_on_site: [0.56, 10], team_days_resident: [0.39, 10], diary_days: [0, 5], help_acts: [0, 10],
    });
    expect(c.work).toBe(2.71); // 0.95 of 35
    expect(c.townshipName).toBe('洛门镇');
  });

  it('scores a unit on its village link and its cadres, with the mean of their 群众评议', async () => {
    const r = await computeAssessment(db, parsePeriod('2025-Q1'));
    const u = r.units.find((x) => x.id === ids.u1)!;
    // visits 1 of 0.99 (full 25), days 1 of 7.40 (3.38), cadres' mean work (68.8 + 0) / 2 = 34.4 (17.2 of 50)
    expect(points(u)).toEqual({ village_visits: [25, 25], village_days: [3.38, 25], unit_cadres: [17.2, 50] });
    expect(u.work).toBe(45.58);
    expect([u.leader, u.mass]).toEqual([85, 80]);
    expect(u.total).toBe(60.35); // 45.58 × 60% + 85 × 20% + 80 × 20%
  });

  it('ranks within the township and the county', async () => {
    const r = await computeAssessment(db, parsePeriod('2025-Q1'));
    const rank = (id: number) => { const c = r.cadres.find((x) => x.id === id)!; return [c.townshipRank, c.countyRank]; };
    expect(rank(ids.a)).toEqual([1, 1]);
    expect(rank(ids.b)).toEqual([2, 2]);
    expect(rank(ids.c)).toEqual([1, 3]);
    expect(r.cadres.map((c) => c.id)).toEqual([ids.a, ids.b, ids.c]);
  });

  it('reads a scope, and the scheme as edited', async () => {
    const lomen = await computeAssessment(db, parsePeriod('2025-Q1'), ids.lomenPath);
    expect(lomen.cadres.map((c) => c.id)).toEqual([ids.c]);
    await setRule(db, 'score.share_leader', '0', NOW);
    try {
      const r = await computeAssessment(db, parsePeriod('2025-Q1'));
      expect(r.cadres.find((c) => c.id === ids.b)!.total).toBe(0);
    } finally {
      await setRule(db, 'score.share_leader', '20', NOW);
    }
  });

  it('counts a year from its quarters: the ratings are their mean', async () => {
    const r = await computeAssessment(db, parsePeriod('2025'));
    const a = r.cadres.find((c) => c.id === ids.a)!;
    expect([a.leader, a.mass]).toEqual([90, 80]);
    // The year owes visits 2 (1 done): half of 15.
    expect(points(a).household_visits).toEqual([7.5, 15]);
  });
});

describe('领导评议', () => {
  it('refuses a target outside the leader\'s scope, a bad score and a year', async () => {
    const township = { id: ids.leader, scopePath: ids.yuanyangPath };
    await expect(setLeaderRating(db, township, { target: { cadreId: ids.c }, period: '2025-Q1', score: 80 }, NOW))
      .rejects.toMatchObject({ code: 'out_of_scope' });
    await expect(setLeaderRating(db, township, { target: { cadreId: ids.a }, period: '2025-Q1', score: 101 }, NOW))
      .rejects.toMatchObject({ code: 'bad_score' });
    await expect(setLeaderRating(db, township, { target: { cadreId: ids.a }, period: '2025', score: 80 }, NOW))
      .rejects.toMatchObject({ code: 'bad_period' });
  });

  it('replaces an earlier rating of the same quarter', async () => {
    const county = { id: ids.leader, scopePath: ids.countyPath };
    await setLeaderRating(db, county, { target: { cadreId: ids.c }, period: '2025-Q2', score: 60 }, NOW);
    await setLeaderRating(db, county, { target: { cadreId: ids.c }, period: '2025-Q2', score: 65 }, NOW);
    const rows = await db.query(`SELECT score FROM assessment_ratings WHERE cadre_id = $1 AND period = '2025-Q2'`, [ids.c]);
    expect(rows.map((x: { score: string }) => Number(x.score))).toEqual([65]);
  });
});
