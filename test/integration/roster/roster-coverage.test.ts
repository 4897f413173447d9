import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb, type TestDb } from '../../support/db';
import { formatRowError, importRoster } from '../../../src/services/roster';
import { scopeStats } from '../../../src/services/standing/scope-stats';
import { coverage } from '../../../src/services/console/coverage';
import { getRegion } from '../../../src/services/people/regions';
import { DEMO_ROSTER, withCsv } from '../../support/roster-helpers';

/**
 * What the roster may leave empty (docs/design.md §4): a household without a
 * 联户干部账号 is imported unlinked and counts as not covered (两个全覆盖); a 管理员
 * without a 管辖范围 has the whole province.
 */

const NOW = new Date('2026-03-15T10:00:00+08:00');

let t: TestDb;
let work: string;
beforeAll(async () => {
  t = await createTestDb();
  work = await mkdtemp(join(tmpdir(), 'roster-coverage-'));
  const dir = join(work, 'roster');
  await cp(DEMO_ROSTER, dir, { recursive: true });
  await withCsv(dir, 'households.csv', (rows) => {
    rows.push(['武山县', '鸳鸯镇', '丁门村', '丁未联', '一般户', '3', '', '']);
  });
  await withCsv(dir, 'cadres.csv', (rows) => {
    rows.push(['admin2', '双联办值班', '', '', '管理员', '']);
  });
  const report = await importRoster(t.db, dir, { now: NOW });
  expect(report.errors.map(formatRowError)).toEqual([]);
});
afterAll(async () => {
  await t.drop();
  await rm(work, { recursive: true, force: true });
});

const q = (sql: string, params: unknown[] = []) => t.db.query(sql, params);

test('an empty 联户干部账号 imports the household without a link', async () => {
  const rows = await q(
    `SELECT h.householder, count(l.household_id)::int AS links FROM households h
       LEFT JOIN cadre_household_links l ON l.household_id = h.id WHERE h.householder = '丁未联' GROUP BY h.householder`);
  expect(rows).toEqual([{ householder: '丁未联', links: 0 }]);
});

test('coverage counts the unlinked household as not covered, in 统计 and in the console', async () => {
  const [dingmen] = await q(`SELECT r.id, r.path FROM regions r WHERE r.name = '丁门村'`);
  const stats = await scopeStats(t.db.manager, dingmen.path, NOW);
  expect(stats.householdsLinked).toBe(stats.households - 1);
  const cov = await coverage(t.db, (await getRegion(t.db, dingmen.id))!, NOW);
  expect(cov.linkedHouseholds).toBe(cov.households - 1);
  expect(cov.householdGaps.map((g) => g.householder)).toEqual(['丁未联']);
});

test('a later import with the account filled in links it; emptied again, the link is closed', async () => {
  const dir = join(work, 'roster');
  await withCsv(dir, 'households.csv', (rows) => { rows[rows.length - 1][6] = 'zhangwei'; });
  expect((await importRoster(t.db, dir, { now: NOW })).errors).toEqual([]);
  const links = () => q(
    `SELECT c.userid, l.valid_to::text AS valid_to FROM cadre_household_links l JOIN households h ON h.id = l.household_id
       JOIN cadres c ON c.id = l.cadre_id WHERE h.householder = '丁未联'`);
  expect(await links()).toEqual([{ userid: 'zhangwei', valid_to: null }]);
  await withCsv(dir, 'households.csv', (rows) => { rows[rows.length - 1][6] = ''; });
  expect((await importRoster(t.db, dir, { now: new Date('2026-04-01T10:00:00+08:00') })).errors).toEqual([]);
  expect(await links()).toEqual([{ userid: 'zhangwei', valid_to: '2026-04-01' }]);
});

test('a 管理员 without 管辖范围 has the whole province; a 领导 still needs one', async () => {
  const [admin] = await q(`SELECT r.full_name FROM cadres c JOIN regions r ON r.id = c.scope_region_id WHERE c.userid = 'admin2'`);
  expect(admin).toEqual({ full_name: '甘肃省' });
  const dir = join(work, 'leader');
  await cp(DEMO_ROSTER, dir, { recursive: true });
  await withCsv(dir, 'cadres.csv', (rows) => { rows.push(['leader2', '新领导', '', '', '领导', '']); });
  const report = await importRoster(t.db, dir, { now: NOW });
  expect(report.errors.map(formatRowError)).toEqual(['cadres.csv:22: 领导需要填写管辖范围']);
});
