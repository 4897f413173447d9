import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb, type TestDb } from '../../support/db';
import { importRoster } from '../../../src/services/roster';
import { DEMO_ROSTER, rosterSnapshot, withCsv } from '../../support/roster-helpers';

const NOW = new Date('2026-03-15T02:00:00Z');
/** 2026-06-01 07:30 in Asia/Shanghai, still 31 May in UTC: the import day is Shanghai's. */
const LATER = new Date('2026-05-31T23:30:00Z');

let t: TestDb;
let work: string;
beforeAll(async () => {
  t = await createTestDb();
  work = await mkdtemp(join(tmpdir(), 'roster-history-'));
});
afterAll(async () => {
  await t.drop();
  await rm(work, { recursive: true, force: true });
});

async function householdLinks(householder: string) {
  return t.db.query(
    `SELECT c.userid, l.valid_from::text AS valid_from, l.valid_to::text AS valid_to
       FROM cadre_household_links l JOIN cadres c ON c.id = l.cadre_id JOIN households h ON h.id = l.household_id
      WHERE h.householder = $1 ORDER BY l.id`,
    [householder],
  );
}

/** `village`: its name, or its tail of the path where the name is not unique (鸳鸯镇/王门村). */
async function unitLinks(village: string) {
  return t.db.query(
    `SELECT u.name, l.valid_from::text AS valid_from, l.valid_to::text AS valid_to
       FROM unit_village_links l JOIN units u ON u.id = l.unit_id JOIN regions r ON r.id = l.village_id
      WHERE r.full_name LIKE '%/' || $1 ORDER BY l.id`,
    [village],
  );
}

describe('roster import history', () => {
  test('a dry run reports what would change and writes nothing', async () => {
    const before = await rosterSnapshot(t.db);
    const report = await importRoster(t.db, DEMO_ROSTER, { now: NOW, dryRun: true });
    expect(report).toMatchObject({ ok: true, dryRun: true, changed: true, regionsCreated: 18 });
    expect(report.sheets.find((s) => s.kind === 'households')).toMatchObject({ created: 99, linksOpened: 99 });
    expect(await rosterSnapshot(t.db)).toEqual(before);
  });

  test('reassigning a household and moving a village to another unit keep the history', async () => {
    await importRoster(t.db, DEMO_ROSTER, { now: NOW });
    const dir = join(work, 'moved');
    await cp(DEMO_ROSTER, dir, { recursive: true });
    let moved = '';
    await withCsv(dir, 'households.csv', (rows) => {
      const row = rows.find((r) => r[2] === '丁门村' && r[6] === 'zhangwei')!;
      moved = row[3];
      row[6] = 'chenjing';
      const other = rows.find((r) => r[2] === '西坪村')!;
      other[5] = String(Number(other[5]) + 1);
    });
    await withCsv(dir, 'units.csv', (rows) => {
      const i = rows.findIndex((r) => r[0] === '天水市财政局' && r[1].endsWith('王门村'));
      rows.splice(i, 1);
      rows.push(['武山县农业农村局', '武山县/鸳鸯镇/王门村', '2026/4/1']);
    });
    await withCsv(dir, 'cadres.csv', (rows) => {
      rows.find((r) => r[0] === 'liuyang')![2] = '13800000000';
    });

    const report = await importRoster(t.db, dir, { now: LATER });
    expect(report.errors).toEqual([]);
    const by = Object.fromEntries(report.sheets.map((s) => [s.kind, s]));
    expect(by.households).toMatchObject({ created: 0, updated: 1, unchanged: 98, linksOpened: 1, linksClosed: 1 });
    expect(by.units).toMatchObject({ created: 0, linksOpened: 1, linksClosed: 1 });
    expect(by.cadres).toMatchObject({ created: 0, updated: 1, unchanged: 19 });
    expect(by.villages).toMatchObject({ unchanged: 17 });

    expect(await householdLinks(moved)).toEqual([
      { userid: 'zhangwei', valid_from: '2026-01-01', valid_to: '2026-06-01' },
      { userid: 'chenjing', valid_from: '2026-01-01', valid_to: null },
    ]);
    expect(await unitLinks('鸳鸯镇/王门村')).toEqual([
      { name: '天水市财政局', valid_from: '2026-01-01', valid_to: '2026-06-01' },
      { name: '武山县农业农村局', valid_from: '2026-04-01', valid_to: null },
    ]);
    // the unit's other village stays linked
    expect(await unitLinks('丁门村')).toEqual([{ name: '天水市财政局', valid_from: '2026-01-01', valid_to: null }]);

    // the same file again, a year later: nothing moves, undated links keep their first year
    const before = await rosterSnapshot(t.db);
    const again = await importRoster(t.db, dir, { now: new Date('2027-02-01T02:00:00Z') });
    expect(again.changed).toBe(false);
    expect(await rosterSnapshot(t.db)).toEqual(before);
  });

  test('rows absent from a county-only file are left alone; new undated links count from this year', async () => {
    const dir = join(work, 'county');
    await cp(DEMO_ROSTER, dir, { recursive: true });
    await withCsv(dir, 'villages.csv', (rows) => rows.splice(2));
    await withCsv(dir, 'units.csv', (rows) => rows.splice(1));
    await withCsv(dir, 'cadres.csv', (rows) => rows.splice(1));
    await withCsv(dir, 'households.csv', (rows) => {
      rows.splice(1);
      rows.push(['武山县', '洛门镇', '西坪村', '新户主', '一般户', '3', 'huangmin', '']);
    });
    const before = await t.db.query('SELECT count(*)::int AS n FROM households');
    const report = await importRoster(t.db, dir, { now: new Date('2027-02-01T02:00:00Z') });
    expect(report.errors).toEqual([]);
    expect(report.sheets.find((s) => s.kind === 'households')).toMatchObject({ rows: 1, created: 1, linksOpened: 1 });
    expect((await t.db.query('SELECT count(*)::int AS n FROM households'))[0].n).toBe(before[0].n + 1);
    expect(await householdLinks('新户主')).toEqual([{ userid: 'huangmin', valid_from: '2027-01-01', valid_to: null }]);
  });

  test('a village path that names villages in two cities is refused where it is used', async () => {
    const dir = join(work, 'ambiguous');
    await cp(DEMO_ROSTER, dir, { recursive: true });
    await withCsv(dir, 'villages.csv', (rows) => {
      rows.push(['定西市', '武山县', '鸳鸯镇', '丁门村', '村', '否', '', '']);
    });
    const report = await importRoster(t.db, dir, { now: LATER });
    expect(report.ok).toBe(false);
    const reasons = new Set(report.errors.map((e) => `${e.source}: ${e.reason}`));
    expect([...reasons]).toEqual([
      'units.csv: 村 武山县/鸳鸯镇/丁门村 不唯一（多个市有同名县区），请分开导入',
      'households.csv: 村 武山县/鸳鸯镇/丁门村 不唯一（多个市有同名县区），请分开导入',
    ]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM regions WHERE name = '定西市'`))[0].n).toBe(0);
  });
});
