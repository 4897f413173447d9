import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';
import { createTestDb, type TestDb } from '../../support/db';
import { buildCadre } from '../../support/factories';
import { importMassRatings } from '../../../src/services/assessment/ratings';
import { formatRowError } from '../../../src/services/roster';

/** 群众评议 from a sheet (账号, 季度, 分数): the roster importer's rules, file:row: reason and nothing half-imported. */

let t: TestDb;
let db: DataSource;
let dir: string;
const NOW = new Date('2025-04-02T10:00:00+08:00');

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  dir = await mkdtemp(join(tmpdir(), 'sl-ratings-'));
  await buildCadre(db, { userid: 'zhangwei', name: '张伟' });
  await buildCadre(db, { userid: 'lina', name: '李娜' });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await t.drop();
});

const mass = async (): Promise<[string, string, number][]> =>
  (await db.query(`SELECT c.userid, r.period, r.score FROM assessment_ratings r JOIN cadres c ON c.id = r.cadre_id
                    WHERE r.kind = 'mass' ORDER BY c.userid, r.period`))
    .map((r: { userid: string; period: string; score: string }) => [r.userid, r.period, Number(r.score)]);

async function csv(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `\uFEFF${text}`);
  return path;
}

describe('importMassRatings', () => {
  it('reports every bad row as file:row: reason and writes nothing', async () => {
    const path = await csv('bad.csv', [
      '账号,季度,分数',
      'zhangwei,2025-Q1,88',
      'nobody,2025-Q1,80',
      'lina,2025年一季度,80',
      'lina,2025-Q1,120',
      ',,',
      'zhangwei,2025Q1,70',
      'lina,2025,60',
    ].join('\n'));
    const report = await importMassRatings(db, path, NOW);
    expect(report.ok).toBe(false);
    expect(report.errors.map(formatRowError)).toEqual([
      'bad.csv:3: 账号“nobody”不在花名册中（或已停用）',
      'bad.csv:4: 季度“2025年一季度”格式不对，应为 2026-Q1',
      'bad.csv:5: 分数“120”应为 0–100 之间的数',
      'bad.csv:7: 账号“zhangwei”的 2025-Q1 已在第 2 行出现',
      'bad.csv:8: 季度“2025”格式不对，应为 2026-Q1',
    ]);
    expect(await mass()).toEqual([]);
  });

  it('names the missing columns', async () => {
    const report = await importMassRatings(db, await csv('cols.csv', '账号,分数\nzhangwei,80'), NOW);
    expect(report.errors.map(formatRowError)).toEqual(['cols.csv:1: 缺少列：季度（应为 账号、季度、分数）']);
  });

  it('imports a good CSV, and a later sheet replaces a quarter\'s score', async () => {
    expect(await importMassRatings(db, await csv('q1.csv', '账号,季度,分数\nzhangwei,2025-Q1,88\nlina,2025-q1,92.5\n'), NOW))
      .toEqual({ ok: true, rows: 2, errors: [] });
    expect(await importMassRatings(db, await csv('q1b.csv', '账号,季度,分数\nzhangwei,2025-Q1,90\n'), NOW)).toMatchObject({ ok: true });
    expect(await mass()).toEqual([['lina', '2025-Q1', 92.5], ['zhangwei', '2025-Q1', 90]]);
  });

  it('reads the first sheet of a workbook, numbers as numbers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('群众评议');
    ws.addRows([['账号', '季度', '分数'], ['zhangwei', '2025-Q2', 75], ['lina', '2025-Q2', 'abc']]);
    const path = join(dir, 'q2.xlsx');
    await wb.xlsx.writeFile(path);
    expect((await importMassRatings(db, path, NOW)).errors.map(formatRowError)).toEqual(['q2.xlsx:3: 分数“abc”应为 0–100 之间的数']);
    ws.getRow(3).getCell(3).value = 81;
    await wb.xlsx.writeFile(path);
    expect(await importMassRatings(db, path, NOW)).toEqual({ ok: true, rows: 2, errors: [] });
    expect((await mass()).filter(([, p]) => p === '2025-Q2')).toEqual([['lina', '2025-Q2', 81], ['zhangwei', '2025-Q2', 75]]);
  });

  it('refuses another kind of file', async () => {
    await expect(importMassRatings(db, await csv('x.txt', 'a'), NOW)).rejects.toMatchObject({ code: 'bad_file' });
  });
});
