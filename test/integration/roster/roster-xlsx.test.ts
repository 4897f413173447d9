import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { createTestDb, type TestDb } from '../../support/db';
import { formatRowError, importRoster } from '../../../src/services/roster';
import { DEMO_ROSTER, rosterSnapshot } from '../../support/roster-helpers';

const NOW = new Date('2026-03-15T02:00:00Z');
const NUMERIC = new Set(['纬度', '经度', '人口']);

let t: TestDb;
let work: string;
beforeAll(async () => {
  t = await createTestDb();
  work = await mkdtemp(join(tmpdir(), 'roster-xlsx-'));
});
afterAll(async () => {
  await t.drop();
  await rm(work, { recursive: true, force: true });
});

/**
 * The demo roster as a workbook, sheets deliberately out of order (农户 first);
 * numbers as numbers, and `dates` put into 单位's 联系开始日期 as Excel date cells.
 */
async function demoWorkbook(name: string, change?: (sheets: Record<string, unknown[][]>) => void): Promise<string> {
  const files: [string, string][] = [['农户', 'households.csv'], ['干部', 'cadres.csv'], ['群', 'groups.csv'], ['单位', 'units.csv'], ['村', 'villages.csv']];
  const sheets: Record<string, unknown[][]> = {};
  for (const [sheet, file] of files) {
    const rows: string[][] = parse(await readFile(join(DEMO_ROSTER, file), 'utf8'), { bom: true });
    sheets[sheet] = rows.map((r, i) => r.map((v, c) => (i > 0 && NUMERIC.has(rows[0][c]) && v !== '' ? Number(v) : v)));
  }
  change?.(sheets);
  const wb = new ExcelJS.Workbook();
  for (const [sheet] of files) {
    const ws = wb.addWorksheet(sheet);
    for (const row of sheets[sheet]) ws.addRow(row);
  }
  const path = join(work, `${name}.xlsx`);
  await wb.xlsx.writeFile(path);
  return path;
}

describe('roster import from .xlsx', () => {
  test('a workbook imports the same roster as the CSV folder', async () => {
    const csv = await importRoster(t.db, DEMO_ROSTER, { now: NOW });
    expect(csv.ok).toBe(true);
    const before = await rosterSnapshot(t.db);
    const path = await demoWorkbook('demo', (sheets) => {
      sheets['单位'][1][2] = new Date(Date.UTC(2026, 0, 1)); // same as the undated default
    });
    const report = await importRoster(t.db, path, { now: NOW });
    expect(report.errors).toEqual([]);
    expect(report.sheets.map((s) => [s.source, s.rows])).toEqual([
      ['村', 17], ['单位', 17], ['干部', 20], ['农户', 99], ['群', 3],
    ]);
    expect(report.changed).toBe(false);
    expect(await rosterSnapshot(t.db)).toEqual(before);
  });

  test('bad cells are reported by sheet and spreadsheet row, Excel dates are read', async () => {
    const path = await demoWorkbook('bad', (sheets) => {
      sheets['单位'][3][2] = new Date(Date.UTC(2026, 1, 2));
      sheets['单位'][4][2] = '2026/2/30';
      sheets['农户'][9][5] = 2.5;
      sheets['干部'][20][4] = '领导'; // a 领导 needs a 管辖范围 (a 管理员 without one has the whole province)
      sheets['干部'][20][5] = '';
      sheets['村'].splice(3, 0, []); // a blank row 4: later rows keep their spreadsheet numbers
      sheets['村'][5][7] = 200;
    });
    const before = await rosterSnapshot(t.db);
    const report = await importRoster(t.db, path, { now: NOW });
    expect(report.errors.map(formatRowError)).toEqual([
      '村:6: 经度“200”应为 73–136 之间的数（GCJ-02）',
      '单位:5: 联系开始日期“2026/2/30”不是有效日期（YYYY-MM-DD 或 YYYY/M/D）',
      '干部:21: 领导需要填写管辖范围',
      '农户:10: 人口“2.5”应为 1–99 的整数',
    ]);
    expect(await rosterSnapshot(t.db)).toEqual(before);
  });
});
