import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { createTestDb, type TestDb } from '../../support/db';
import { formatRowError, importRoster } from '../../../src/services/roster';
import { DEMO_ROSTER, rosterSnapshot, withCsv } from '../../support/roster-helpers';

/**
 * The households sheet's optional columns 致贫原因 and 帮扶状态 (未脱贫/已脱贫/监测户),
 * as docs/design.md §4 states them: read from a folder and a workbook, following
 * the file (a later file without them clears them), bad cells reported as file:row.
 */

const NOW = new Date('2026-03-15T02:00:00Z');

let t: TestDb;
let work: string;
beforeAll(async () => {
  t = await createTestDb();
  work = await mkdtemp(join(tmpdir(), 'roster-households-'));
});
afterAll(async () => {
  await t.drop();
  await rm(work, { recursive: true, force: true });
});

/** The demo roster with 致贫原因 and 帮扶状态; `given` sets them by householder (rows 2…). */
async function rosterWith(name: string, given: Record<string, [string, string]>): Promise<string> {
  const dir = join(work, name);
  await cp(DEMO_ROSTER, dir, { recursive: true });
  await withCsv(dir, 'households.csv', (rows) => {
    rows[0].push('致贫原因', '帮扶状态');
    for (const row of rows.slice(1)) row.push(...(given[row[3]] ?? ['', '']));
  });
  return dir;
}

const marked = async () => t.db.query(
  `SELECT householder, poverty_cause AS cause, aid_status AS status FROM households
    WHERE poverty_cause IS NOT NULL OR aid_status IS NOT NULL ORDER BY householder`);

test('reads 致贫原因 and 帮扶状态; importing again changes nothing; a later file changes or clears them', async () => {
  const dir = await rosterWith('first', { 张保国: ['因病', '未脱贫'], 李秀英: ['缺劳力', '监测户'], 张秀英: ['', '已脱贫'] });
  const report = await importRoster(t.db, dir, { now: NOW });
  expect(report.errors.map(formatRowError)).toEqual([]);
  expect(await marked()).toEqual([
    { householder: '张保国', cause: '因病', status: '未脱贫' },
    { householder: '张秀英', cause: null, status: '已脱贫' },
    { householder: '李秀英', cause: '缺劳力', status: '监测户' },
  ]);
  expect((await importRoster(t.db, dir, { now: NOW })).changed).toBe(false);

  const later = await rosterWith('later', { 张保国: ['因病', '已脱贫'] });
  const again = await importRoster(t.db, later, { now: NOW });
  expect(again.sheets.find((s) => s.kind === 'households')).toMatchObject({ updated: 3 });
  expect(await marked()).toEqual([{ householder: '张保国', cause: '因病', status: '已脱贫' }]);
  // the demo roster has neither column: it clears them too
  await importRoster(t.db, DEMO_ROSTER, { now: NOW });
  expect(await marked()).toEqual([]);
});

test('a bad 帮扶状态 or a too long 致贫原因 is reported with its row, and nothing is written', async () => {
  const dir = await rosterWith('bad', { 李秀英: ['因学', '已返贫'], 张秀英: ['因'.repeat(101), '监测户'] });
  const before = await rosterSnapshot(t.db);
  const report = await importRoster(t.db, dir, { now: NOW });
  expect(report.errors.map(formatRowError)).toEqual([
    'households.csv:3: 帮扶状态“已返贫”无效，应为 未脱贫/已脱贫/监测户',
    'households.csv:5: 致贫原因不能超过 100 个字',
  ]);
  expect(await rosterSnapshot(t.db)).toEqual(before);
});

test('reads them from the 农户 sheet of a workbook', async () => {
  const wb = new ExcelJS.Workbook();
  const files: [string, string][] = [['村', 'villages.csv'], ['单位', 'units.csv'], ['干部', 'cadres.csv'], ['农户', 'households.csv']];
  for (const [sheet, file] of files) {
    const rows: string[][] = parse(await readFile(join(DEMO_ROSTER, file), 'utf8'), { bom: true });
    if (sheet === '农户') {
      rows[0].push('致贫原因', '帮扶状态');
      rows[1].push('因灾', '监测户');
    }
    const ws = wb.addWorksheet(sheet);
    for (const row of rows) ws.addRow(row);
  }
  const path = join(work, 'roster.xlsx');
  await wb.xlsx.writeFile(path);
  const report = await importRoster(t.db, path, { now: NOW });
  expect(report.errors.map(formatRowError)).toEqual([]);
  expect(await marked()).toEqual([{ householder: '张保国', cause: '因灾', status: '监测户' }]);
});
