import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { createTestDb, type TestDb } from '../../support/db';
import { IDS, addHouseholdVisit, addVisit, seedJobsRoster } from '../../support/scenarios/jobs';
import { Region } from '../../../entities';
import { activitySeries, type ActivityBucket, type ActivityPoint } from '../../../src/services/console/activity';
import { startOfShanghaiDay } from '../../../src/lib/time';
import { scopeStats } from '../../../src/services/standing/scope-stats';
import { cadreStanding } from '../../../src/services/standing/console-standing';
import { rankings } from '../../../src/services/console/rankings';
import { paceAt, refreshStalePaceRows } from '../../../src/services/standing/pace-rows';
import { OvernightStays1763857800000 } from '../../../entities/migrations/1763857800000-overnight-stays';

/**
 * The counts the triggers keep per act (migration 1763857500000): check-ins
 * per 联村 link and per cadre, household visits per 联户 link, each for the
 * link valid when the act happened. The expected figures are counted here
 * from the raw rows by the rules of docs/design.md §2, independently of the SQL.
 */

let t: TestDb;
let db: DataSource;

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await seedJobsRoster(db);
});
afterAll(async () => t?.drop());

interface Figures {
  /** link:year → [visits, days] */
  unitLinks: Record<string, [number, number]>;
  /** cadre:year → [days on site, resident days] */
  cadres: Record<string, [number, number]>;
  /** link:year → [visits, days, talks] */
  householdLinks: Record<string, [number, number, number]>;
  /** links whose own row's latest-year tally is not their year tally, or is older than a year with acts */
  householdLinkRowsAstray: number;
  /** the day rows: 'link:day', 'cadre:day:on:res', 'link:day:visits:talks' */
  unitLinkDays: string[];
  cadreDays: string[];
  householdLinkDays: string[];
  /** region rollups (migration 1763857700000): 'd:region:day:checkins:visits:cadres', 'w|m:region:start:cadres' */
  activity: string[];
  /** 'village:covered since:households', 'h:household:covered since', 'v:village:linked since' */
  coverage: string[];
}

const nonZero = <T extends number[]>(rows: { key: string; v: T }[]) =>
  Object.fromEntries(rows.filter((r) => r.v.some((x) => x !== 0)).map((r) => [r.key, r.v]));

/** What the tables hold now (a link's rows per cadre summed; all-zero rows are no count). */
async function kept(): Promise<Figures> {
  const ul: { link_id: number; year: number; visits: number; days: number }[] = await db.query(
    'SELECT link_id, year, sum(visits)::int AS visits, sum(days)::int AS days FROM unit_link_tallies GROUP BY 1, 2');
  const ct: { cadre_id: number; year: number; days_on_site: number; days_resident: number }[] = await db.query('SELECT * FROM cadre_tallies');
  const ht: { link_id: number; year: number; visits: number; days: number; talks: number }[] = await db.query('SELECT * FROM household_link_tallies');
  const list = async (sql: string) => ((await db.query(sql)) as { k: string }[]).map((r) => r.k).sort();
  const [{ astray }] = await db.query(
    `SELECT (SELECT count(*) FROM cadre_household_links l
               LEFT JOIN household_link_tallies t ON t.link_id = l.id AND t.year = l.tally_year
              WHERE l.tally_year IS NOT NULL
                AND (coalesce(t.visits, 0), coalesce(t.days, 0), coalesce(t.talks, 0)) IS DISTINCT FROM (l.tally_visits, l.tally_days, l.tally_talks))
          + (SELECT count(*) FROM household_link_tallies t JOIN cadre_household_links l ON l.id = t.link_id
              WHERE (t.visits > 0 OR t.days > 0 OR t.talks > 0) AND (l.tally_year IS NULL OR l.tally_year < t.year))
          + (SELECT count(*) FROM cadre_household_links l WHERE l.tally_year IS NULL AND (l.tally_visits, l.tally_days, l.tally_talks) <> (0, 0, 0))
          AS astray`);
  return {
    unitLinks: nonZero(ul.map((r) => ({ key: `${r.link_id}:${r.year}`, v: [r.visits, r.days] as [number, number] }))),
    cadres: nonZero(ct.map((r) => ({ key: `${r.cadre_id}:${r.year}`, v: [r.days_on_site, r.days_resident] as [number, number] }))),
    householdLinks: nonZero(ht.map((r) => ({ key: `${r.link_id}:${r.year}`, v: [r.visits, r.days, r.talks] as [number, number, number] }))),
    householdLinkRowsAstray: Number(astray),
    unitLinkDays: await list(`SELECT link_id || ':' || day AS k FROM unit_link_days`),
    cadreDays: await list(`SELECT cadre_id || ':' || day || ':' || (on_site > 0) || ':' || (resident > 0) AS k FROM cadre_days`),
    householdLinkDays: await list(`SELECT link_id || ':' || day || ':' || visits || ':' || talks AS k FROM household_link_days`),
    activity: await list(`SELECT concat_ws(':', bucket, region_id, start, CASE WHEN bucket = 'd' THEN sum(checkins) || ':' || sum(household_visits) END,
                                           sum(cadres)) AS k
                            FROM region_activity GROUP BY bucket, region_id, start
                          HAVING sum(checkins) <> 0 OR sum(household_visits) <> 0 OR sum(cadres) <> 0`),
    coverage: await list(`SELECT village_id || ':' || covered_since || ':' || households AS k FROM village_households WHERE households <> 0
                          UNION ALL SELECT 'h:' || id || ':' || covered_since FROM households
                          UNION ALL SELECT 'v:' || id || ':' || unit_linked_since FROM villages`),
  };
}

const DAY = 86_400_000;
const ymd = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const datesBetween = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += DAY) out.push(new Date(d).toISOString().slice(0, 10));
  return out;
};

/** The rules, from the raw rows: the act's recorded unit and the link valid on its day. */
async function counted(): Promise<Figures> {
  const visits: { cadre_id: number; village_id: number; unit_id: number | null; s: Date; e: Date | null; auto: boolean }[] = await db.query(
    `SELECT cadre_id, village_id, unit_id, started_at AS s, ended_at AS e, auto_closed AS auto FROM visits WHERE revoked_at IS NULL`);
  const hvs: { cadre_id: number; household_id: number; village_id: number; at: Date; talk: boolean }[] = await db.query(
    'SELECT cadre_id, household_id, village_id, visited_at AS at, talk FROM household_visits WHERE revoked_at IS NULL');
  type Link = { id: number; a: number; b: number; from: string; to: string | null };
  const unitLinks: Link[] = await db.query(
    `SELECT id, unit_id AS a, village_id AS b, to_char(valid_from, 'YYYY-MM-DD') AS from, to_char(valid_to, 'YYYY-MM-DD') AS to FROM unit_village_links`);
  const hhLinks: Link[] = await db.query(
    `SELECT id, cadre_id AS a, household_id AS b, to_char(valid_from, 'YYYY-MM-DD') AS from, to_char(valid_to, 'YYYY-MM-DD') AS to FROM cadre_household_links`);
  const linkOn = (links: Link[], a: number | null, b: number, day: string) => links
    .filter((l) => l.a === a && l.b === b && l.from <= day && (l.to === null || l.to > day))
    .sort((x, y) => (y.from.localeCompare(x.from)) || y.id - x.id)[0]?.id;

  const f: Figures = {
    unitLinks: {}, cadres: {}, householdLinks: {}, householdLinkRowsAstray: 0, unitLinkDays: [], cadreDays: [], householdLinkDays: [],
    activity: await regionActivity(visits.map((v) => ({ cadre: v.cadre_id, village: v.village_id, at: v.s, checkin: true }))
      .concat(hvs.map((h) => ({ cadre: h.cadre_id, village: h.village_id, at: h.at, checkin: false })))),
    coverage: await coverage(unitLinks, hhLinks),
  };
  const linkDays = new Map<number, Set<string>>();
  const onSite = new Map<number, Set<string>>();
  const resident = new Map<number, Set<string>>();
  const add = <K>(m: Map<K, Set<string>>, k: K, d: string) => (m.get(k) ?? m.set(k, new Set()).get(k)!).add(d);
  for (const v of visits) {
    const start = ymd(v.s.getTime());
    const days = datesBetween(start, ymd((v.e ?? v.s).getTime()));
    const link = linkOn(unitLinks, v.unit_id, v.village_id, start);
    if (link !== undefined) {
      const key = `${link}:${start.slice(0, 4)}`;
      f.unitLinks[key] = [(f.unitLinks[key]?.[0] ?? 0) + 1, 0];
      for (const d of days) add(linkDays, link, d);
    }
    for (const d of days) add(onSite, v.cadre_id, d);
    // a night at the village: every date before the end date of a check-in its cadre closed
    if (!v.auto && v.e) for (const d of days.slice(0, -1)) add(resident, v.cadre_id, d);
  }
  for (const [link, ds] of linkDays) {
    for (const d of ds) {
      const key = `${link}:${d.slice(0, 4)}`;
      f.unitLinks[key] = [f.unitLinks[key]?.[0] ?? 0, (f.unitLinks[key]?.[1] ?? 0) + 1];
      f.unitLinkDays.push(`${link}:${d}`);
    }
  }
  for (const [cadre, ds] of onSite) {
    for (const d of ds) {
      const res = resident.get(cadre)?.has(d) ?? false;
      const key = `${cadre}:${d.slice(0, 4)}`;
      f.cadres[key] = [(f.cadres[key]?.[0] ?? 0) + 1, (f.cadres[key]?.[1] ?? 0) + (res ? 1 : 0)];
      f.cadreDays.push(`${cadre}:${d}:true:${res}`);
    }
  }
  const perDay = new Map<string, [number, number]>();
  for (const hv of hvs) {
    const day = ymd(hv.at.getTime());
    const link = linkOn(hhLinks, hv.cadre_id, hv.household_id, day);
    if (link === undefined) continue;
    const k = `${link}:${day}`;
    const [n, talks] = perDay.get(k) ?? [0, 0];
    perDay.set(k, [n + 1, talks + (hv.talk ? 1 : 0)]);
  }
  for (const [k, [n, talks]] of perDay) {
    const [link, day] = k.split(':');
    const key = `${link}:${day.slice(0, 4)}`;
    const was = f.householdLinks[key] ?? [0, 0, 0];
    f.householdLinks[key] = [was[0] + n, was[1] + 1, was[2] + talks];
    f.householdLinkDays.push(`${k}:${n}:${talks}`);
  }
  for (const list of [f.unitLinkDays, f.cadreDays, f.householdLinkDays]) list.sort();
  return f;
}

/** Region rollups from the acts: per day, ISO week and month, the province down to the township. */
async function regionActivity(acts: { cadre: number; village: number; at: Date; checkin: boolean }[]): Promise<string[]> {
  const paths = new Map<number, number[]>(((await db.query('SELECT id, path FROM regions')) as { id: number; path: string }[])
    .map((r) => [r.id, r.path.split('/').filter(Boolean).map(Number).slice(0, 4)]));
  const days = new Map<string, { checkins: number; visits: number; cadres: Set<number> }>();
  const periods = new Map<string, Set<number>>();
  for (const a of acts) {
    const day = ymd(a.at.getTime());
    const dow = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
    const week = ymd(Date.parse(`${day}T00:00:00Z`) - dow * DAY - 8 * 3_600_000);
    for (const region of paths.get(a.village)!) {
      const d = days.get(`${region}:${day}`) ?? days.set(`${region}:${day}`, { checkins: 0, visits: 0, cadres: new Set() }).get(`${region}:${day}`)!;
      if (a.checkin) d.checkins += 1; else d.visits += 1;
      d.cadres.add(a.cadre);
      for (const k of [`w:${region}:${week}`, `m:${region}:${day.slice(0, 8)}01`]) (periods.get(k) ?? periods.set(k, new Set()).get(k)!).add(a.cadre);
    }
  }
  return [...[...days].map(([k, d]) => `d:${k}:${d.checkins}:${d.visits}:${d.cadres.size}`),
    ...[...periods].map(([k, c]) => `${k}:${c.size}`)].sort();
}

/** 两个全覆盖 from the links not ended: each household's and village's first covered day, households by village and day. */
async function coverage(unitLinks: { b: number; from: string; to: string | null }[], hhLinks: { b: number; from: string; to: string | null }[]): Promise<string[]> {
  const since = (links: { b: number; from: string; to: string | null }[], id: number) =>
    links.filter((l) => l.b === id && l.to === null).map((l) => l.from).sort()[0] ?? 'infinity';
  const households: { id: number; village_id: number }[] = await db.query('SELECT id, village_id FROM households');
  const villages: { id: number }[] = await db.query('SELECT id FROM villages');
  const byVillage = new Map<string, number>();
  const out: string[] = [];
  for (const h of households) {
    const s = since(hhLinks, h.id);
    out.push(`h:${h.id}:${s}`);
    byVillage.set(`${h.village_id}:${s}`, (byVillage.get(`${h.village_id}:${s}`) ?? 0) + 1);
  }
  for (const v of villages) out.push(`v:${v.id}:${since(unitLinks, v.id)}`);
  for (const [k, n] of byVillage) out.push(`${k}:${n}`);
  return out.sort();
}

async function reset(): Promise<void> {
  await db.query('DELETE FROM household_visits');
  await db.query('DELETE FROM visits');
  await db.query(`DELETE FROM unit_village_links WHERE id > 2`);
  await db.query(`DELETE FROM cadre_household_links WHERE id > 4`);
  await db.query('UPDATE cadres SET unit_id = CASE id WHEN 3 THEN 2 ELSE 1 END WHERE id IN (1, 2, 3)');
  await db.query(`UPDATE unit_village_links SET valid_to = NULL,
                    valid_from = CASE unit_id WHEN 1 THEN date '2026-01-01' ELSE date '2026-07-01' END`);
  await db.query(`UPDATE cadre_household_links SET valid_to = NULL,
                    valid_from = CASE cadre_id WHEN 3 THEN date '2026-07-01' ELSE date '2026-01-01' END`);
}

const unitLink = async (unit: number, village: number): Promise<number> =>
  (await db.query('SELECT id FROM unit_village_links WHERE unit_id = $1 AND village_id = $2 ORDER BY id LIMIT 1', [unit, village]))[0].id;
const linkFigures = async (unit: number, village: number, year = 2026) =>
  (await kept()).unitLinks[`${await unitLink(unit, village)}:${year}`] ?? [0, 0];
const cadreFigures = async (cadre: number, year = 2026) => (await kept()).cadres[`${cadre}:${year}`] ?? [0, 0];

describe('kept per act', () => {
  beforeEach(reset);

  test('a check-in across midnight counts both days; a 签退, a second cadre and a revocation count as they happen', async () => {
    const open = await addVisit(db, IDS.lina, IDS.dingmen, '2026-03-02T14:00:00+08:00', null);
    expect(await linkFigures(IDS.unitAgri, IDS.dingmen)).toEqual([1, 1]);
    expect(await cadreFigures(IDS.lina)).toEqual([1, 0]);
    await db.query(`UPDATE visits SET ended_at = '2026-03-03T10:00:00+08:00' WHERE id = $1`, [open]);
    expect(await linkFigures(IDS.unitAgri, IDS.dingmen)).toEqual([1, 2]);
    // one night at the village: its first day is a resident day
    expect(await cadreFigures(IDS.lina)).toEqual([2, 1]);
    const zw = await addVisit(db, IDS.zhangwei, IDS.dingmen, '2026-03-03T09:00:00+08:00', '2026-03-03T12:00:00+08:00');
    expect(await linkFigures(IDS.unitAgri, IDS.dingmen)).toEqual([2, 2]);
    await db.query('UPDATE visits SET revoked_at = now() WHERE id = $1', [zw]);
    expect(await linkFigures(IDS.unitAgri, IDS.dingmen)).toEqual([1, 2]);
    expect(await cadreFigures(IDS.zhangwei)).toEqual([0, 0]);
    await db.query('DELETE FROM visits WHERE id = $1', [open]);
    expect(await kept()).toEqual(await counted());
    expect(await linkFigures(IDS.unitAgri, IDS.dingmen)).toEqual([0, 0]);
  });

  test('a long day without a night is no resident day; a night is, unless the check-in was closed automatically', async () => {
    await addVisit(db, IDS.lina, IDS.dingmen, '2026-03-02T07:00:00+08:00', '2026-03-02T19:00:00+08:00');
    expect(await cadreFigures(IDS.lina)).toEqual([1, 0]);
    const night = await addVisit(db, IDS.lina, IDS.dingmen, '2026-03-03T18:00:00+08:00', '2026-03-04T08:00:00+08:00');
    expect(await cadreFigures(IDS.lina)).toEqual([3, 1]);
    await db.query('UPDATE visits SET auto_closed = true WHERE id = $1', [night]);
    expect(await cadreFigures(IDS.lina)).toEqual([3, 0]);
    expect(await kept()).toEqual(await counted());
  });

  test('migration 1763857800000 takes the long days without a night out of the resident days kept before', async () => {
    await addVisit(db, IDS.lina, IDS.dingmen, '2026-03-02T07:00:00+08:00', '2026-03-02T19:00:00+08:00');
    await addVisit(db, IDS.lina, IDS.dingmen, '2026-03-03T18:00:00+08:00', '2026-03-04T08:00:00+08:00');
    const runner = db.createQueryRunner();
    try {
      await new OvernightStays1763857800000().down(runner);
      expect(await cadreFigures(IDS.lina)).toEqual([3, 2]); // before: a stay of 8 hours was a resident day
      await new OvernightStays1763857800000().up(runner);
    } finally {
      await runner.release();
    }
    expect(await cadreFigures(IDS.lina)).toEqual([3, 1]);
    expect(await kept()).toEqual(await counted());
  });

  test("a cadre's change of unit leaves the old unit's counts as they were; later check-ins count for the new unit", async () => {
    await addVisit(db, IDS.zhangwei, IDS.dingmen, '2026-03-10T09:00:00+08:00', '2026-03-10T12:00:00+08:00');
    await addVisit(db, IDS.zhangwei, IDS.dingmen, '2026-03-11T09:00:00+08:00', '2026-03-12T09:00:00+08:00');
    expect(await linkFigures(IDS.unitAgri, IDS.dingmen)).toEqual([2, 3]);
    await db.query('UPDATE cadres SET unit_id = $2 WHERE id = $1', [IDS.zhangwei, IDS.unitEdu]);
    expect(await linkFigures(IDS.unitAgri, IDS.dingmen)).toEqual([2, 3]);
    expect(await linkFigures(IDS.unitEdu, IDS.xiping)).toEqual([0, 0]);
    await addVisit(db, IDS.zhangwei, IDS.xiping, '2026-08-01T09:00:00+08:00', '2026-08-01T12:00:00+08:00');
    expect(await linkFigures(IDS.unitEdu, IDS.xiping)).toEqual([1, 1]);
    expect(await linkFigures(IDS.unitAgri, IDS.dingmen)).toEqual([2, 3]);
    const [{ unit_id }] = await db.query('SELECT unit_id FROM visits ORDER BY id LIMIT 1');
    expect(unit_id).toBe(IDS.unitAgri);
  });

  test("统计's quota figures stay with the old unit when its cadre moves to another", async () => {
    const rules = { 'village.visits_per_year': 1, 'village.days_per_year': 1, 'household.visits_per_year': 1 };
    const saved: { key: string; value: unknown }[] = await db.query('SELECT key, value FROM policy_rules WHERE key = ANY($1)', [Object.keys(rules)]);
    try {
      for (const [key, value] of Object.entries(rules)) await db.query('UPDATE policy_rules SET value = $2 WHERE key = $1', [key, JSON.stringify(value)]);
      await addVisit(db, IDS.zhangwei, IDS.dingmen, '2026-03-10T09:00:00+08:00', '2026-03-10T12:00:00+08:00');
      await addHouseholdVisit(db, IDS.zhangwei, IDS.zhangsan, '2026-03-10T10:00:00+08:00');
      const [county] = await db.query('SELECT path FROM regions WHERE id = $1', [IDS.county]);
      const now = new Date('2026-06-01T12:00:00+08:00');
      const before = await scopeStats(db.manager, county.path, now);
      expect(before).toMatchObject({ villagesMet: 1, householdsVisitsMet: 1 });
      await db.query('UPDATE cadres SET unit_id = $2 WHERE id = $1', [IDS.zhangwei, IDS.unitEdu]);
      expect(await scopeStats(db.manager, county.path, now)).toEqual(before);
    } finally {
      for (const r of saved) await db.query('UPDATE policy_rules SET value = $2 WHERE key = $1', [r.key, JSON.stringify(r.value)]);
    }
  });

  test("a year's figures read in January keep the households visited again in the new year", async () => {
    const saved: { value: unknown }[] = await db.query(`SELECT value FROM policy_rules WHERE key = 'household.visits_per_year'`);
    try {
      await db.query(`UPDATE policy_rules SET value = '1' WHERE key = 'household.visits_per_year'`);
      await addHouseholdVisit(db, IDS.zhangwei, IDS.zhangsan, '2026-06-10T10:00:00+08:00');
      const [county] = await db.query('SELECT path FROM regions WHERE id = $1', [IDS.county]);
      const yearEnd = new Date('2026-12-31T20:00:00+08:00');
      expect(await scopeStats(db.manager, county.path, yearEnd)).toMatchObject({ householdsVisitsMet: 1 });
      // 1 January: the link's own row now carries 2027; 2026 is read from its tallies
      await addHouseholdVisit(db, IDS.zhangwei, IDS.zhangsan, '2027-01-01T10:00:00+08:00');
      expect(await scopeStats(db.manager, county.path, yearEnd)).toMatchObject({ householdsVisitsMet: 1 });
      expect(await scopeStats(db.manager, county.path, new Date('2027-01-02T12:00:00+08:00'))).toMatchObject({ householdsVisitsMet: 1 });
    } finally {
      for (const r of saved) await db.query(`UPDATE policy_rules SET value = $1 WHERE key = 'household.visits_per_year'`, [JSON.stringify(r.value)]);
    }
  });

  test('the rebuild recomputes the 六送 tallies per village, year and kind from the help acts', async () => {
    const act = (kind: string, at: string, amount: number | null, revoked = false) => db.query(
      `INSERT INTO help_acts (cadre_id, household_id, village_id, kind, amount_yuan, acted_at, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [IDS.zhangwei, IDS.zhangsan, IDS.dingmen, kind, amount, at, revoked ? at : null]);
    const tallies = async () => (await db.query(
      `SELECT year, kind, acts, amount_yuan::float AS amount FROM village_help_tallies WHERE acts <> 0 ORDER BY year, kind`));
    try {
      await act('送资金', '2026-03-01T10:00:00+08:00', 2000);
      await act('送资金', '2026-04-01T10:00:00+08:00', 500);
      await act('送技术', '2026-12-31T20:00:00+08:00', null);
      await act('送资金', '2026-05-01T10:00:00+08:00', 900, true);
      const want = [
        { year: 2026, kind: '送技术', acts: 1, amount: 0 },
        { year: 2026, kind: '送资金', acts: 2, amount: 2500 },
      ];
      expect(await tallies()).toEqual(want);
      await db.query('UPDATE village_help_tallies SET acts = 99');
      await db.query('SELECT counts_rebuild()');
      expect(await tallies()).toEqual(want);
    } finally {
      await db.query('DELETE FROM help_acts');
      await db.query('DELETE FROM village_help_tallies');
    }
  });

  test("a link's later change of start recounts that link only; a link opened later takes the acts in its time", async () => {
    await addVisit(db, IDS.wanggang, IDS.xiping, '2026-06-20T09:00:00+08:00', '2026-06-20T12:00:00+08:00');
    await addVisit(db, IDS.wanggang, IDS.xiping, '2026-07-20T09:00:00+08:00', '2026-07-20T12:00:00+08:00');
    await addVisit(db, IDS.zhangwei, IDS.dingmen, '2026-06-20T09:00:00+08:00', '2026-06-20T12:00:00+08:00');
    expect(await linkFigures(IDS.unitEdu, IDS.xiping)).toEqual([1, 1]);
    await db.query(`UPDATE unit_village_links SET valid_from = '2026-06-01' WHERE unit_id = $1`, [IDS.unitEdu]);
    expect(await linkFigures(IDS.unitEdu, IDS.xiping)).toEqual([2, 2]);
    expect(await linkFigures(IDS.unitAgri, IDS.dingmen)).toEqual([1, 1]);
    await db.query(`INSERT INTO unit_village_links (unit_id, village_id, valid_from) VALUES ($1, $2, '2026-07-01')`, [IDS.unitEdu, IDS.wangmen]);
    await addVisit(db, IDS.wanggang, IDS.wangmen, '2026-12-31T20:00:00+08:00', '2027-01-01T10:00:00+08:00');
    // the last night of 2026 is a 2026 day; 1 January a 2027 one; the check-in counts in the year it began
    expect(await linkFigures(IDS.unitEdu, IDS.wangmen)).toEqual([1, 1]);
    expect(await linkFigures(IDS.unitEdu, IDS.wangmen, 2027)).toEqual([0, 1]);
    expect(await cadreFigures(IDS.wanggang)).toEqual([3, 1]);
    expect(await kept()).toEqual(await counted());
  });

  test('two cadres of one unit checking in at once at its village are both counted, the shared day once', async () => {
    const a = db.createQueryRunner();
    const b = db.createQueryRunner();
    try {
      await a.startTransaction();
      await b.startTransaction();
      const insert = (cadre: number) =>
        `INSERT INTO visits (cadre_id, village_id, started_at) VALUES (${cadre}, ${IDS.dingmen}, '2026-05-06T08:00:00+08:00')`;
      await a.query(insert(IDS.zhangwei));
      // the second one waits only for the first's commit (both claim the day's row), then counts its check-in
      const second = b.query(insert(IDS.lina));
      await a.commitTransaction();
      await second;
      await b.commitTransaction();
    } finally {
      await a.release();
      await b.release();
    }
    expect(await linkFigures(IDS.unitAgri, IDS.dingmen)).toEqual([2, 1]);
    expect(await kept()).toEqual(await counted());
  });

  test('household visits: visits, distinct days and talks of the link valid that day; a reassignment moves nothing', async () => {
    await addHouseholdVisit(db, IDS.zhangwei, IDS.zhangsan, '2026-04-01T09:00:00+08:00', true);
    await addHouseholdVisit(db, IDS.zhangwei, IDS.zhangsan, '2026-04-01T15:00:00+08:00');
    await addHouseholdVisit(db, IDS.zhangwei, IDS.zhangsan, '2026-05-01T09:00:00+08:00');
    const [{ id: link }] = await db.query('SELECT id FROM cadre_household_links WHERE cadre_id = $1 AND household_id = $2', [IDS.zhangwei, IDS.zhangsan]);
    expect((await kept()).householdLinks[`${link}:2026`]).toEqual([3, 2, 1]);
    // 张三 goes to 李娜 from 1 June: 张伟's link ends, hers begins; nothing counted moves
    await db.query(`UPDATE cadre_household_links SET valid_to = '2026-06-01' WHERE id = $1`, [link]);
    await db.query(`INSERT INTO cadre_household_links (cadre_id, household_id, valid_from) VALUES ($1, $2, '2026-06-01')`, [IDS.lina, IDS.zhangsan]);
    expect((await kept()).householdLinks[`${link}:2026`]).toEqual([3, 2, 1]);
    await db.query(`UPDATE household_visits SET revoked_at = now() WHERE visited_at = '2026-04-01T15:00:00+08:00'`);
    expect((await kept()).householdLinks[`${link}:2026`]).toEqual([2, 2, 1]);
    expect(await kept()).toEqual(await counted());
  });
});

type Op =
  | { kind: 'checkin'; cadre: number; village: number; day: number; hour: number; hours: number | null }
  | { kind: 'checkout' | 'auto-checkout' | 'undo' | 'delete'; pick: number; hours: number }
  | { kind: 'household-visit'; cadre: number; household: number; day: number; hour: number; talk: boolean }
  | { kind: 'own-household-visit'; household: number; day: number; hour: number; talk: boolean }
  | { kind: 'undo-household-visit'; pick: number }
  | { kind: 'unit'; cadre: number; unit: number }
  | { kind: 'reassign'; household: number; cadre: number; day: number }
  | { kind: 'start'; unit: number; day: number }
  | { kind: 'household-start'; household: number; day: number };

const cadre = fc.constantFrom(IDS.zhangwei, IDS.lina, IDS.wanggang);
const household = fc.constantFrom(IDS.zhangsan, IDS.lisi, IDS.wangwu, IDS.zhaoliu);
// days of 2025-12-20 … 2027-01-10, so year ends and link starts are crossed
const day = fc.integer({ min: 0, max: 386 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('checkin' as const), cadre, village: fc.constantFrom(IDS.dingmen, IDS.xiping, IDS.wangmen),
    day, hour: fc.integer({ min: 0, max: 23 }), hours: fc.option(fc.integer({ min: 0, max: 60 })) }),
  fc.record({ kind: fc.constantFrom('checkout' as const, 'auto-checkout' as const, 'undo' as const, 'delete' as const),
    pick: fc.nat(), hours: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ kind: fc.constant('household-visit' as const), cadre, household, day, hour: fc.integer({ min: 0, max: 23 }), talk: fc.boolean() }),
  fc.record({ kind: fc.constant('undo-household-visit' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('unit' as const), cadre, unit: fc.constantFrom(IDS.unitAgri, IDS.unitEdu) }),
  fc.record({ kind: fc.constant('reassign' as const), household, cadre, day }),
  fc.record({ kind: fc.constant('start' as const), unit: fc.constantFrom(IDS.unitAgri, IDS.unitEdu), day }),
  fc.record({ kind: fc.constant('household-start' as const), household, day }),
);

const instant = (d: number, hour: number) => new Date(Date.UTC(2025, 11, 20, hour - 8) + d * DAY);

async function apply(o: Op): Promise<void> {
  const pick = async (table: string, n: number) => {
    const ids: { id: number; started_at?: Date }[] = await db.query(`SELECT * FROM ${table} ORDER BY id`);
    return ids.length ? ids[n % ids.length] : undefined;
  };
  switch (o.kind) {
    case 'checkin': {
      const start = instant(o.day, o.hour);
      const [{ open }] = await db.query(
        'SELECT count(*)::int AS open FROM visits WHERE cadre_id = $1 AND ended_at IS NULL AND revoked_at IS NULL', [o.cadre]);
      const end = o.hours === null && open === 0 ? null : new Date(start.getTime() + (o.hours ?? 1) * 3_600_000);
      await db.query('INSERT INTO visits (cadre_id, village_id, started_at, ended_at) VALUES ($1, $2, $3, $4)', [o.cadre, o.village, start, end]);
      return;
    }
    case 'checkout':
    case 'auto-checkout': {
      const v = await pick('visits', o.pick);
      if (v) await db.query('UPDATE visits SET ended_at = $2, auto_closed = $3 WHERE id = $1',
        [v.id, new Date(v.started_at!.getTime() + o.hours * 3_600_000), o.kind === 'auto-checkout']);
      return;
    }
    case 'undo': {
      const v = await pick('visits', o.pick);
      if (v) await db.query('UPDATE visits SET revoked_at = now() WHERE id = $1', [v.id]);
      return;
    }
    case 'delete': {
      const v = await pick('visits', o.pick);
      if (v) await db.query('DELETE FROM visits WHERE id = $1', [v.id]);
      return;
    }
    case 'household-visit': {
      const [h] = await db.query('SELECT village_id FROM households WHERE id = $1', [o.household]);
      await db.query('INSERT INTO household_visits (cadre_id, household_id, village_id, visited_at, talk) VALUES ($1, $2, $3, $4, $5)',
        [o.cadre, o.household, h.village_id, instant(o.day, o.hour), o.talk]);
      return;
    }
    case 'own-household-visit': {
      // by the cadre of the household's latest link, so that it counts unless that link is not yet or no longer valid
      const [l] = await db.query('SELECT cadre_id FROM cadre_household_links WHERE household_id = $1 ORDER BY id DESC LIMIT 1', [o.household]);
      if (l) await apply({ kind: 'household-visit', cadre: l.cadre_id, household: o.household, day: o.day, hour: o.hour, talk: o.talk });
      return;
    }
    case 'undo-household-visit': {
      const v = await pick('household_visits', o.pick);
      if (v) await db.query('UPDATE household_visits SET revoked_at = now() WHERE id = $1', [v.id]);
      return;
    }
    case 'unit':
      await db.query('UPDATE cadres SET unit_id = $2 WHERE id = $1', [o.cadre, o.unit]);
      return;
    case 'reassign': {
      // the household's open link ends on the day; the new cadre's begins (or the same one's again)
      const on = instant(o.day, 12);
      await db.query(`UPDATE cadre_household_links SET valid_to = greatest(valid_from, $2::timestamptz::date)
                       WHERE household_id = $1 AND valid_to IS NULL`, [o.household, on]);
      await db.query(`INSERT INTO cadre_household_links (cadre_id, household_id, valid_from) VALUES ($1, $2, $3::timestamptz::date)
                      ON CONFLICT DO NOTHING`, [o.cadre, o.household, on]);
      return;
    }
    case 'start':
      await db.query(`UPDATE unit_village_links SET valid_from = least(coalesce(valid_to, 'infinity'), $2::timestamptz::date)
                       WHERE unit_id = $1`, [o.unit, instant(o.day, 12)]);
      return;
    case 'household-start':
      // the household's latest link is found to have begun on another day (no earlier than the link before it ended)
      await db.query(`UPDATE cadre_household_links l SET valid_from = least(coalesce(l.valid_to, 'infinity'),
                              greatest($2::timestamptz::date, coalesce((SELECT max(p.valid_to) FROM cadre_household_links p
                                                                         WHERE p.household_id = l.household_id AND p.id <> l.id), '-infinity')))
                       WHERE l.id = (SELECT max(id) FROM cadre_household_links WHERE household_id = $1)`, [o.household, instant(o.day, 12)]);
  }
}

test('after every act of any sequence every kept figure is what the rules count from the raw rows, and the rebuild agrees', async () => {
  await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
    await reset();
    let want = await counted();
    for (const o of ops) {
      await apply(o);
      want = await counted();
      expect(await kept()).toEqual(want);
    }
    await db.query('UPDATE unit_link_tallies SET visits = 99');
    await db.query('DELETE FROM cadre_days');
    await db.query('UPDATE visits SET unit_link_id = NULL');
    await db.query('DELETE FROM region_activity WHERE stripe > 3');
    await db.query("UPDATE households SET covered_since = 'infinity'");
    await db.query('SELECT counts_rebuild()');
    expect(await kept()).toEqual(want);
  }), { numRuns: 40, seed: 20261207 });
}, 300_000);

/** The series of docs/console.md counted here from the live acts of the scope's villages in [from, to). */
async function seriesFromActs(scope: Region, from: Date, to: Date, bucket: ActivityBucket): Promise<ActivityPoint[]> {
  const acts: { cadre_id: number; at: Date; checkin: boolean }[] = await db.query(
    `SELECT a.cadre_id, a.at, a.checkin FROM (
       SELECT cadre_id, village_id, started_at AS at, true AS checkin FROM visits WHERE revoked_at IS NULL
       UNION ALL SELECT cadre_id, village_id, visited_at, false FROM household_visits WHERE revoked_at IS NULL) a
       JOIN regions r ON r.id = a.village_id WHERE r.path LIKE $1 AND a.at >= $2 AND a.at < $3`,
    [`${scope.path}%`, from, to]);
  const points = new Map<string, ActivityPoint & { who: Set<number> }>();
  for (const a of acts) {
    const day = ymd(a.at.getTime());
    const dow = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
    const key = bucket === 'day' ? day : bucket === 'month' ? `${day.slice(0, 8)}01`
      : new Date(Date.parse(`${day}T00:00:00Z`) - dow * DAY).toISOString().slice(0, 10);
    const p = points.get(key) ?? points.set(key, { date: key, checkins: 0, householdVisits: 0, cadres: 0, who: new Set() }).get(key)!;
    if (a.checkin) p.checkins += 1; else p.householdVisits += 1;
    p.who.add(a.cadre_id);
  }
  return [...points.values()].sort((a, b) => a.date.localeCompare(b.date))
    .map(({ who, ...p }) => ({ ...p, cadres: who.size }));
}

test("the console's activity from the region rollups is the series counted from the acts, for any range and bucket", async () => {
  const scopes = await db.getRepository(Region).findBy([{ id: IDS.province }, { id: IDS.county }, { id: IDS.yuanyang }]);
  await fc.assert(fc.asyncProperty(
    // acts within six weeks around the new year, so ranges cut weeks and months that hold acts
    fc.array(fc.oneof(
      fc.record({ kind: fc.constant('household-visit' as const), cadre, household, day: fc.integer({ min: 0, max: 41 }),
        hour: fc.integer({ min: 0, max: 23 }), talk: fc.constant(false) }),
      fc.record({ kind: fc.constant('checkin' as const), cadre, village: fc.constantFrom(IDS.dingmen, IDS.xiping, IDS.wangmen),
        day: fc.integer({ min: 0, max: 41 }), hour: fc.integer({ min: 0, max: 23 }), hours: fc.constant(1) }),
      op), { minLength: 5, maxLength: 30 }),
    fc.integer({ min: -3, max: 30 }), fc.integer({ min: 1, max: 45 }),
    fc.constantFrom<ActivityBucket>('day', 'week', 'month'),
    async (ops, start, length, bucket) => {
      await reset();
      for (const o of ops) await apply(o);
      const from = startOfShanghaiDay(ymd(instant(start, 12).getTime()));
      const to = startOfShanghaiDay(ymd(instant(start + length, 12).getTime()));
      for (const scope of scopes) {
        expect(await activitySeries(db, scope, { from, to }, bucket)).toEqual(await seriesFromActs(scope, from, to, bucket));
      }
    }), { numRuns: 60, seed: 20261207 });
}, 300_000);

const QUOTAS = ['household.visits_per_year', 'household.days_per_year', 'household.talks_per_year'] as const;

/**
 * Where each cadre stands against the 联户 quotas at `at`, counted here from
 * the raw rows (counted()) by the rules of docs/design.md §2: the links valid
 * on its Shanghai day, each owing floor(target × elapsed since its start / year).
 */
async function paceCounted(at: Date, year: number, targets: number[]): Promise<Record<number, number[]>> {
  const f = await counted();
  const links: { id: number; cadre_id: number; from: string; to: string | null }[] = await db.query(
    `SELECT id, cadre_id, to_char(valid_from, 'YYYY-MM-DD') AS from, to_char(valid_to, 'YYYY-MM-DD') AS to FROM cadre_household_links`);
  const day = ymd(at.getTime());
  const jan1 = Date.parse(`${year}-01-01T00:00:00+08:00`);
  const length = BigInt(Date.parse(`${year + 1}-01-01T00:00:00+08:00`) - jan1);
  const out: Record<number, number[]> = {};
  for (const l of links.filter((x) => x.from <= day && (x.to === null || x.to > day))) {
    const since = Math.max(jan1, Date.parse(`${l.from}T00:00:00+08:00`));
    const [rv, rd, rt] = targets.map((t) => Number((BigInt(t) * BigInt(Math.max(0, at.getTime() - since))) / length));
    const [v, d, t] = f.householdLinks[`${l.id}:${year}`] ?? [0, 0, 0];
    // households, visits, behind on any quota, behind on visits, behind on talks, visits owed
    const c = out[l.cadre_id] ?? (out[l.cadre_id] = [0, 0, 0, 0, 0, 0]);
    const row = [1, v, v < rv || d < rd || t < rt ? 1 : 0, v < rv ? 1 : 0, t < rt ? 1 : 0, Math.max(0, rv - v)];
    row.forEach((x, i) => { c[i] += x; });
  }
  return out;
}

/** The same figures read from the pace rows of each year, at an instant `share` through it, and the cadres with a row of that year. */
async function paceKept(share: number): Promise<{ year: number; at: Date; cadres: number[]; figures: Record<number, number[]> }[]> {
  const years: { year: number }[] = await db.query('SELECT DISTINCT year FROM household_pace ORDER BY 1');
  const out = [];
  for (const { year } of years) {
    const jan1 = Date.parse(`${year}-01-01T00:00:00+08:00`);
    const at = new Date(jan1 + Math.floor(share * (Date.parse(`${year + 1}-01-01T00:00:00+08:00`) - jan1)));
    const p = paceAt('h', '$1::timestamptz');
    const rows: { cadre_id: number; f: number[] }[] = await db.query(
      `SELECT h.cadre_id, ARRAY[${p.households}, ${p.visits}, ${p.behind}, ${p.visitsBehind}, ${p.talksBehind}, ${p.owedVisits}] AS f
         FROM household_pace h WHERE h.year = $2`, [at, year]);
    out.push({ year, at, cadres: rows.map((r) => r.cadre_id), figures: Object.fromEntries(rows.filter((r) => r.f[0] > 0).map((r) => [r.cadre_id, r.f])) });
  }
  return out;
}

test("the pace rows give every cadre's standing at any instant of their year, as counted from the raw rows; the rebuild agrees", async () => {
  const saved: { key: string; value: unknown }[] = await db.query('SELECT key, value FROM policy_rules WHERE key = ANY($1)', [QUOTAS]);
  const scopes = await db.getRepository(Region).findBy([{ id: IDS.province }, { id: IDS.county }, { id: IDS.yuanyang }]);
  const rowsNow = () => db.query('SELECT * FROM household_pace ORDER BY cadre_id');
  try {
    const ownVisit = fc.record({ kind: fc.constant('own-household-visit' as const), household, day,
      hour: fc.integer({ min: 0, max: 23 }), talk: fc.boolean() });
    await fc.assert(fc.asyncProperty(
      fc.array(fc.oneof(op, ownVisit, ownVisit), { minLength: 1, maxLength: 25 }),
      fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 3 })),
      fc.array(fc.double({ min: 0, max: 0.999999, noNaN: true }), { minLength: 1, maxLength: 4 }),
      async (ops, targets, shares) => {
        await reset();
        for (const [i, key] of QUOTAS.entries()) {
          await db.query('UPDATE policy_rules SET value = $2 WHERE key = $1', [key, JSON.stringify(targets[i])]);
        }
        await db.query('SELECT household_pace_rebuild()'); // a failed run may have left rows of year 0
        for (const o of ops) await apply(o);
        const incremental = await rowsNow();
        for (const share of shares) {
          for (const { year, at, cadres, figures } of await paceKept(share)) {
            const counted = Object.entries(await paceCounted(at, year, targets)).filter(([id]) => cadres.includes(Number(id)));
            expect(figures).toEqual(Object.fromEntries(counted));
            // the console's standing by cadre reads the rows; with every row for another year it counts the links
            const page = { sort: 'behind' as const, behindOnly: false, limit: 50, offset: 0 };
            const fast = await Promise.all(scopes.map((s) => cadreStanding(db, s, at, page)));
            // 工作概况's rankings stand at the end of a period (the midnight after its last day): that
            // day, and the day before each day a link starts or ends
            const bounds: { d: string }[] = await db.query(
              `SELECT DISTINCT to_char(d - 1, 'YYYY-MM-DD') AS d FROM cadre_household_links l, LATERAL (VALUES (l.valid_from), (l.valid_to)) v (d)
                WHERE d IS NOT NULL AND extract(year FROM d - 1) = $1`, [year]);
            const periods = [ymd(at.getTime()), ...bounds.map((b) => b.d)].map((d) => ({ from: d, to: d }));
            const later = new Date('2099-01-01T00:00:00Z');
            const rank = () => Promise.all(periods.flatMap((p) => scopes.map((s) => rankings(db, s, p, later))));
            const ranked = await rank();
            await db.query('UPDATE household_pace SET year = 0');
            expect(await Promise.all(scopes.map((s) => cadreStanding(db, s, at, page)))).toEqual(fast);
            expect(await rank()).toEqual(ranked);
            await db.query('SELECT household_pace_rebuild()');
          }
        }
        await db.query(`UPDATE household_pace SET behind = '{}', households = 99 WHERE cadre_id = $1`, [IDS.zhangwei]);
        await db.query(`DELETE FROM household_pace WHERE cadre_id = $1`, [IDS.lina]);
        // (counts_rebuild() would also move a link row's tally columns off a later year left with nothing, and the row's year with them)
        await db.query('SELECT household_pace_rebuild()');
        expect(await rowsNow()).toEqual(incremental);
      }), { numRuns: 30, seed: 20261208 });
  } finally {
    for (const r of saved) await db.query('UPDATE policy_rules SET value = $2 WHERE key = $1', [r.key, JSON.stringify(r.value)]);
  }
}, 300_000);

test('pace rows left in an earlier year move to the current one, as rebuilt', async () => {
  await reset();
  await db.query('SELECT household_pace_rebuild()');
  const rebuilt = await db.query('SELECT * FROM household_pace ORDER BY cadre_id');
  expect(rebuilt.length).toBeGreaterThan(0);
  const latest = Math.max(...rebuilt.map((r: { year: number }) => r.year));
  await db.query('UPDATE household_pace SET year = year - 1, behind = NULL');
  const now = new Date(`${latest}-07-01T12:00:00+08:00`);
  expect(await refreshStalePaceRows(db, now)).toBe(rebuilt.length);
  expect(await db.query('SELECT * FROM household_pace ORDER BY cadre_id')).toEqual(rebuilt);
  // rows whose cadres' links reach no later year stay as rebuilt
  expect(await refreshStalePaceRows(db, now)).toBe(rebuilt.filter((r: { year: number }) => r.year < latest).length);
});
