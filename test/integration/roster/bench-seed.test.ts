import { createTestDb, type TestDb } from '../../support/db';
import { runSeed, Shape, type SeedSizes } from '../../../bench/seed/index';

/** The bench generator at small scale: exact counts, referential sanity, the policy's coverage. */
const sizes: SeedSizes = {
  cadres: 2_000, villages: 200, households: 20_000, visits: 40_000,
  householdVisits: 20_000, problems: 1_000, diaries: 2_000, notices: 3,
};
const NOW = new Date('2026-11-23T04:00:00Z');

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await runSeed({ databaseUrl: t.url, sizes, seed: 7, now: NOW, recreate: false, progress: false });
}, 120_000);
afterAll(async () => t?.drop());

const one = async (sql: string): Promise<number> => Number(Object.values((await t.db.query(sql))[0])[0]);

test('row counts match the requested sizes and the shape', async () => {
  const shape = new Shape(sizes);
  expect(await one('SELECT count(*) FROM cadres')).toBe(sizes.cadres);
  expect(await one('SELECT count(*) FROM villages')).toBe(sizes.villages);
  expect(await one('SELECT count(*) FROM households')).toBe(sizes.households);
  expect(await one('SELECT count(*) FROM visits')).toBe(sizes.visits);
  expect(await one('SELECT count(*) FROM household_visits')).toBe(sizes.householdVisits);
  expect(await one('SELECT count(*) FROM problems')).toBe(sizes.problems);
  expect(await one('SELECT count(*) FROM regions WHERE level = 3')).toBe(shape.townships);
  expect(await one("SELECT count(*) FROM cadres WHERE role = '领导'")).toBe(1 + shape.cities + shape.counties + shape.townships);
  expect(await one('SELECT count(*) FROM notice_recipients')).toBeGreaterThan(0);
});

test('every foreign key points at an existing row (the load ran without FK triggers)', async () => {
  const orphans: [string, string, string][] = [
    ['regions', 'parent_id', 'regions'], ['villages', 'id', 'regions'], ['unit_village_links', 'unit_id', 'units'],
    ['unit_village_links', 'village_id', 'villages'], ['cadres', 'unit_id', 'units'], ['cadres', 'scope_region_id', 'regions'],
    ['households', 'village_id', 'villages'], ['cadre_household_links', 'cadre_id', 'cadres'],
    ['cadre_household_links', 'household_id', 'households'], ['visits', 'cadre_id', 'cadres'], ['visits', 'village_id', 'villages'],
    ['household_visits', 'household_id', 'households'], ['household_visits', 'visit_id', 'visits'], ['household_visits', 'cadre_id', 'cadres'],
    ['diary_entries', 'cadre_id', 'cadres'], ['problems', 'reporter_id', 'cadres'], ['problems', 'owner_unit_id', 'units'],
    ['problems', 'closed_by_id', 'cadres'], ['problem_events', 'problem_id', 'problems'], ['notices', 'sender_id', 'cadres'],
    ['notice_recipients', 'notice_id', 'notices'], ['notice_recipients', 'cadre_id', 'cadres'], ['groups', 'scope_region_id', 'regions'],
  ];
  for (const [table, column, target] of orphans) {
    const n = await one(`SELECT count(*) FROM ${table} x WHERE x.${column} IS NOT NULL
                          AND NOT EXISTS (SELECT 1 FROM ${target} y WHERE y.id = x.${column})`);
    expect({ table, column, n }).toEqual({ table, column, n: 0 });
  }
});

test('the region tree, coverage and records are consistent with the product rules', async () => {
  // paths nest: every child's path is its parent's path plus its own id
  expect(await one(`SELECT count(*) FROM regions c JOIN regions p ON p.id = c.parent_id
                     WHERE c.path <> p.path || c.id || '/' OR c.level <> p.level + 1`)).toBe(0);
  // 两个全覆盖: every village has a current unit link, every household a current cadre link
  expect(await one(`SELECT count(*) FROM villages v WHERE NOT EXISTS
                     (SELECT 1 FROM unit_village_links l WHERE l.village_id = v.id AND l.valid_to IS NULL)`)).toBe(0);
  expect(await one(`SELECT count(*) FROM households h WHERE NOT EXISTS
                     (SELECT 1 FROM cadre_household_links l WHERE l.household_id = h.id AND l.valid_to IS NULL)`)).toBe(0);
  // a household visit is by the household's linked cadre, in its village, and inside its check-in
  expect(await one(`SELECT count(*) FROM household_visits hv
                      JOIN households h ON h.id = hv.household_id
                      JOIN cadre_household_links l ON l.household_id = h.id
                      LEFT JOIN visits v ON v.id = hv.visit_id
                     WHERE l.cadre_id <> hv.cadre_id OR h.village_id <> hv.village_id
                        OR (v.id IS NOT NULL AND (v.cadre_id <> hv.cadre_id OR hv.visited_at NOT BETWEEN v.started_at AND v.ended_at))`)).toBe(0);
  // visits lie in this year (Asia/Shanghai) before now; open ones are today's and one per cadre (index holds)
  expect(await one(`SELECT count(*) FROM visits WHERE started_at < '2026-01-01T00:00:00+08' OR started_at > '${NOW.toISOString()}'`)).toBe(0);
  expect(await one('SELECT count(*) FROM visits WHERE ended_at IS NULL')).toBe(40);
  expect(await one('SELECT count(*) FROM visits WHERE ended_at IS NOT NULL AND duration_minutes <> extract(epoch FROM ended_at - started_at) / 60')).toBe(0);
  // the ledger has closed, open and overdue problems
  expect(await one("SELECT count(*) FROM problems WHERE status = 'closed'")).toBeGreaterThan(500);
  expect(await one("SELECT count(*) FROM problems WHERE status = 'open' AND deadline < '2026-11-23'")).toBeGreaterThan(0);
  // every count the triggers would have kept (the load bypassed them): what a second rebuild gives
  expect(await one('SELECT count(*) FROM cadre_household_links l JOIN households h ON h.id = l.household_id WHERE l.village_id <> h.village_id')).toBe(0);
  expect(await one('SELECT sum(visits) FROM household_link_tallies'))
    .toBe(await one('SELECT count(*) FROM household_visits WHERE revoked_at IS NULL AND household_link_id IS NOT NULL'));
  expect(await one('SELECT count(*) FROM household_visits WHERE household_link_id IS NULL')).toBe(0);
  expect(await one('SELECT count(*) FROM visits WHERE unit_id IS NULL')).toBe(0);
  expect(await one('SELECT count(*) FROM unit_link_tallies WHERE visits > 0')).toBeGreaterThan(0);
  expect(await one('SELECT count(*) FROM cadre_tallies WHERE days_resident > 0')).toBeGreaterThan(0);
  const snapshot = async (): Promise<string> => (await t.db.query(`SELECT md5(string_agg(x, ',' ORDER BY x)) AS h FROM (
      SELECT 'u' || link_id || ':' || year || ':' || sum(visits) || ':' || sum(days) AS x FROM unit_link_tallies GROUP BY link_id, year
      UNION ALL SELECT 'c' || cadre_id || ':' || year || ':' || days_on_site || ':' || days_resident FROM cadre_tallies
      UNION ALL SELECT 'h' || link_id || ':' || year || ':' || visits || ':' || days || ':' || talks FROM household_link_tallies
      UNION ALL SELECT 'd' || cadre_id || ':' || day || ':' || on_site || ':' || resident FROM cadre_days) s`))[0].h;
  const seeded = await snapshot();
  expect(seeded).toMatch(/^[0-9a-f]{32}$/);
  await t.db.query('SELECT counts_rebuild()');
  expect(await snapshot()).toBe(seeded);
  // sequences continue after the copied ids
  const [{ id }] = await t.db.query(`INSERT INTO units (name) VALUES ('bench-test-unit') RETURNING id`);
  expect(id).toBe(await one('SELECT count(*) FROM units'));
});

test('the same seed gives the same data', async () => {
  const digest = () => one(`SELECT sum(hashtext(householder || category))::bigint FROM households`);
  const before = await digest();
  await runSeed({ databaseUrl: t.url, sizes, seed: 7, now: NOW, recreate: false, progress: false });
  expect(await digest()).toBe(before);
}, 120_000);
