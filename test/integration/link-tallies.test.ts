import { createTestDb, type TestDb } from '../helpers/db';
import { seedRoster, type Seeded } from '../helpers/seed';

/**
 * Each 联户 link's village and year tally (migration 1763857000000), kept by
 * triggers for every writer: household visits recorded, revoked and deleted,
 * links opened after the visits or moved to a later start, households moved.
 * The expected figures are counted here from household_visits directly.
 */

let t: TestDb;
let s: Seeded;

beforeAll(async () => {
  t = await createTestDb();
  s = await seedRoster(t.db);
});
afterAll(async () => t?.drop());

interface Tally { village_id: number; tally_year: number | null; tally_visits: number; tally_days: number; tally_talks: number }

async function tallies(cadre: number, household: number): Promise<Tally[]> {
  return t.db.query(
    `SELECT village_id, tally_year, tally_visits, tally_days, tally_talks FROM cadre_household_links
      WHERE cadre_id = $1 AND household_id = $2 ORDER BY id`, [cadre, household]);
}

async function visit(cadre: number, household: number, village: number, at: string, talk = false): Promise<number> {
  const [{ id }] = await t.db.query(
    `INSERT INTO household_visits (cadre_id, household_id, village_id, visited_at, talk) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [cadre, household, village, at, talk]);
  return id;
}

test('visits, distinct Shanghai days and talks are counted as they are recorded, revoked and deleted', async () => {
  const { cadres: c, households: h, regions: r } = s;
  expect(await tallies(c.zhang, h.zhangsan)).toEqual([
    { village_id: r.dingmen, tally_year: null, tally_visits: 0, tally_days: 0, tally_talks: 0 }]);

  const first = await visit(c.zhang, h.zhangsan, r.dingmen, '2026-03-01T02:00:00Z', true);
  // 23:30 UTC on 1 March is 07:30 on 2 March in Shanghai: a second day
  await visit(c.zhang, h.zhangsan, r.dingmen, '2026-03-01T23:30:00Z');
  const third = await visit(c.zhang, h.zhangsan, r.dingmen, '2026-03-02T03:00:00Z', true);
  expect(await tallies(c.zhang, h.zhangsan)).toEqual([
    { village_id: r.dingmen, tally_year: 2026, tally_visits: 3, tally_days: 2, tally_talks: 2 }]);

  await t.db.query('UPDATE household_visits SET revoked_at = now() WHERE id = $1', [third]);
  expect((await tallies(c.zhang, h.zhangsan))[0]).toMatchObject({ tally_visits: 2, tally_days: 2, tally_talks: 1 });
  await t.db.query('DELETE FROM household_visits WHERE id = $1', [first]);
  expect((await tallies(c.zhang, h.zhangsan))[0]).toMatchObject({ tally_visits: 1, tally_days: 1, tally_talks: 0 });
  // someone else's visit to the household does not count for this link
  await visit(c.zhao, h.zhangsan, r.dingmen, '2026-03-05T03:00:00Z');
  expect((await tallies(c.zhang, h.zhangsan))[0]).toMatchObject({ tally_visits: 1 });
});

test('a new year starts from zero: the tally is for the year of the latest visit', async () => {
  const { cadres: c, households: h, regions: r } = s;
  // the link began on 1 January 2026: a December visit is before it and counts nothing
  await visit(c.zhang, h.lisi, r.dingmen, '2025-12-30T02:00:00Z');
  expect((await tallies(c.zhang, h.lisi))[0]).toMatchObject({ tally_year: 2025, tally_visits: 0 });
  await t.db.query(`UPDATE cadre_household_links SET valid_from = '2025-12-01' WHERE cadre_id = $1 AND household_id = $2`, [c.zhang, h.lisi]);
  expect((await tallies(c.zhang, h.lisi))[0]).toMatchObject({ tally_year: 2025, tally_visits: 1 });
  await visit(c.zhang, h.lisi, r.dingmen, '2026-01-05T02:00:00Z');
  expect((await tallies(c.zhang, h.lisi))[0]).toMatchObject({ tally_year: 2026, tally_visits: 1, tally_days: 1 });
});

test('a link opened or moved after the visits counts only visits from its start; a moved household moves its links', async () => {
  const { cadres: c, households: h, regions: r } = s;
  await visit(c.li, h.wangwu, r.dingmen, '2026-04-01T02:00:00Z');
  await visit(c.li, h.wangwu, r.dingmen, '2026-06-01T02:00:00Z');
  // 李明 takes over 王五 from 1 May: only the June visit counts for the new link
  await t.db.query(`INSERT INTO cadre_household_links (cadre_id, household_id, valid_from) VALUES ($1, $2, '2026-05-01')`, [c.li, h.wangwu]);
  expect(await tallies(c.li, h.wangwu)).toEqual([
    { village_id: r.dingmen, tally_year: 2026, tally_visits: 1, tally_days: 1, tally_talks: 0 }]);
  await t.db.query(`UPDATE cadre_household_links SET valid_from = '2026-03-01' WHERE cadre_id = $1 AND household_id = $2`, [c.li, h.wangwu]);
  expect((await tallies(c.li, h.wangwu))[0]).toMatchObject({ tally_visits: 2, tally_days: 2 });

  await t.db.query('UPDATE households SET village_id = $2 WHERE id = $1', [h.wangwu, r.wangmen]);
  expect((await tallies(c.li, h.wangwu))[0].village_id).toBe(r.wangmen);
  expect((await tallies(c.zhang, h.wangwu))[0].village_id).toBe(r.wangmen);
});

test('the rebuild used after bulk loads gives what the triggers kept', async () => {
  const before = await t.db.query('SELECT id, village_id, tally_year, tally_visits, tally_days, tally_talks FROM cadre_household_links ORDER BY id');
  await t.db.query('UPDATE cadre_household_links SET tally_visits = 99');
  await t.db.query('SELECT household_link_tallies_rebuild()');
  const after = await t.db.query('SELECT id, village_id, tally_year, tally_visits, tally_days, tally_talks FROM cadre_household_links ORDER BY id');
  expect(after).toEqual(before);
  expect(before.some((l: Tally) => l.tally_visits > 0)).toBe(true);
});
