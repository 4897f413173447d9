import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb, type TestDb } from '../../support/db';
import { formatRowError, importRoster } from '../../../src/services/roster';
import { DEMO_ROSTER, rosterSnapshot, withCsv } from '../../support/roster-helpers';

/**
 * The resident work team on the roster (docs/design.md §4 cadres sheet): the
 * role 第一书记 and the optional columns 驻村村, 驻村开始日期, 驻村结束日期.
 */

const NOW = new Date('2026-03-15T02:00:00Z');

let t: TestDb;
let work: string;
beforeAll(async () => {
  t = await createTestDb();
  work = await mkdtemp(join(tmpdir(), 'roster-team-'));
});
afterAll(async () => {
  await t.drop();
  await rm(work, { recursive: true, force: true });
});

/** The demo roster with the 驻村 columns; `stays` sets them for some userids, and `more` adds rows. */
async function rosterWith(name: string, stays: Record<string, string[]>, more: string[][] = []): Promise<string> {
  const dir = join(work, name);
  await cp(DEMO_ROSTER, dir, { recursive: true });
  await withCsv(dir, 'cadres.csv', (rows) => {
    rows[0].push('驻村村', '驻村开始日期', '驻村结束日期');
    for (const row of rows.slice(1)) row.push(...(stays[row[0]] ?? ['', '', '']));
    rows.push(...more);
  });
  return dir;
}

const stays = async () => t.db.query(
  `SELECT c.userid, c.role, r.full_name AS village, c.resident_from::text AS "from", c.resident_to::text AS "to"
     FROM cadres c LEFT JOIN regions r ON r.id = c.resident_village_id
    WHERE c.resident_village_id IS NOT NULL OR c.resident_from IS NOT NULL OR c.role = '第一书记' ORDER BY c.userid`);

test('reads 第一书记 and a team member\'s 驻村村 and dates; a later file changes or clears them', async () => {
  const dir = await rosterWith('team', {
    yangfan: ['武山县/鸳鸯镇/王门村', '2026/4/1', ''],
    chenjing: ['武山县/鸳鸯镇/丁门村', '2026-03-01', '2026-09-30'],
  }, [['sunhong', '孙红', '13909380021', '天水市财政局', '第一书记', '', '武山县/鸳鸯镇/丁门村', '2026-02-01', '']]);
  const report = await importRoster(t.db, dir, { now: NOW });
  expect(report.errors.map(formatRowError)).toEqual([]);
  expect(await stays()).toEqual([
    { userid: 'chenjing', role: '队员', village: '甘肃省/天水市/武山县/鸳鸯镇/丁门村', from: '2026-03-01', to: '2026-09-30' },
    { userid: 'sunhong', role: '第一书记', village: '甘肃省/天水市/武山县/鸳鸯镇/丁门村', from: '2026-02-01', to: null },
    { userid: 'yangfan', role: '队长', village: '甘肃省/天水市/武山县/鸳鸯镇/王门村', from: '2026-04-01', to: null },
  ]);
  expect((await importRoster(t.db, dir, { now: NOW })).changed).toBe(false);

  const later = await rosterWith('team-later', { yangfan: ['武山县/鸳鸯镇/王门村', '2026/4/1', '2026/12/31'] },
    [['sunhong', '孙红', '13909380021', '天水市财政局', '第一书记', '', '', '', '']]);
  const again = await importRoster(t.db, later, { now: NOW });
  expect(again.errors).toEqual([]);
  expect(again.sheets.find((s) => s.kind === 'cadres')).toMatchObject({ updated: 3 });
  expect(await stays()).toEqual([
    { userid: 'sunhong', role: '第一书记', village: null, from: null, to: null },
    { userid: 'yangfan', role: '队长', village: '甘肃省/天水市/武山县/鸳鸯镇/王门村', from: '2026-04-01', to: '2026-12-31' },
  ]);
});

test('a bad 驻村 cell is reported with its row, and nothing is written', async () => {
  const dir = await rosterWith('team-bad', {
    zhangwei: ['武山县/鸳鸯镇/丁门村', '', ''], // row 2: a 干部 is no team member
    chenjing: ['鸳鸯镇/丁门村', '2026-09-30', '2026-03-01'], // row 4
    yangfan: ['武山县/鸳鸯镇/无此村', '2026-02-30', ''], // row 5
  });
  const before = await rosterSnapshot(t.db);
  const report = await importRoster(t.db, dir, { now: NOW });
  expect(report.errors.map(formatRowError)).toEqual([
    'cadres.csv:2: 干部不是驻村工作队员，不填驻村村和驻村日期（队员、队长、第一书记才填）',
    'cadres.csv:4: 驻村村应写成“县区/乡镇/村”',
    'cadres.csv:4: 驻村结束日期不能早于驻村开始日期',
    'cadres.csv:5: 驻村开始日期“2026-02-30”不是有效日期（YYYY-MM-DD 或 YYYY/M/D）',
    'cadres.csv:5: 驻村村 武山县/鸳鸯镇/无此村 不在花名册中',
  ]);
  expect(await rosterSnapshot(t.db)).toEqual(before);
});
