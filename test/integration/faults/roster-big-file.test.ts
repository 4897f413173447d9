import { createWriteStream } from 'node:fs';
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createTestDb, type TestDb } from '../../support/db';
import { formatRowError, importRoster } from '../../../src/services/roster';
import { DEMO_ROSTER, rosterSnapshot } from '../../support/roster-helpers';

/**
 * Broken roster files beyond the roster's own tests: a 50 MB households.csv
 * (generated on the fly, deleted afterwards) with two bad rows deep inside
 * fails with exactly those row numbers and writes nothing; a binary file
 * and a file that is one endless line fail cleanly too.
 */

let t: TestDb;
let work: string;
const NOW = new Date('2026-03-15T02:00:00Z');

beforeAll(async () => {
  t = await createTestDb();
  work = await mkdtemp(join(tmpdir(), 'roster-big-'));
});
afterAll(async () => {
  await t.drop();
  await rm(work, { recursive: true, force: true });
});

async function rosterWith(name: string, households: (out: NodeJS.WritableStream) => Promise<void>): Promise<string> {
  const dir = join(work, name);
  await cp(DEMO_ROSTER, dir, { recursive: true });
  const out = createWriteStream(join(dir, 'households.csv'));
  await households(out);
  out.end();
  await once(out, 'finish');
  return dir;
}

test('a 50 MB households.csv (remarks in an extra column) with two bad rows deep inside: exactly those rows reported, nothing written', async () => {
  const before = await rosterSnapshot(t.db);
  let rows = 0;
  const dir = await rosterWith('big', async (out) => {
    const write = async (line: string) => { if (!out.write(line)) await once(out, 'drain'); };
    await write('县区,乡镇,村,户主,类别,人口,联户干部账号,联系开始日期,备注\n');
    const remark = '走访记录备注'.repeat(80); // operators keep notes in extra columns: ~1.5 KB a row
    const villages = ['武山县,洛门镇,西坪村', '武山县,鸳鸯镇,丁门村'];
    let bytes = 0;
    for (let i = 0; bytes < 50 * 1024 * 1024; i++) {
      rows++;
      const row = rows + 1; // the spreadsheet row: the header is row 1
      const line = row === 20_001 ? `${villages[0]},户主${i},富裕户,3,zhangwei,,${remark}\n`
        : `${villages[i % 2]},户主编号${String(i).padStart(7, '0')}甲乙丙,一般户,${1 + (i % 9)},zhangwei,2026-01-01,${remark}\n`;
      bytes += Buffer.byteLength(line);
      await write(line);
    }
    rows++;
    await write('武山县,鸳鸯镇,不存在村,最后一户,一般户,2,zhangwei,\n');
  });
  expect((await stat(join(dir, 'households.csv'))).size).toBeGreaterThan(50 * 1024 * 1024);

  const report = await importRoster(t.db, dir, { now: NOW });
  expect(report.ok).toBe(false);
  expect(report.errors.map(formatRowError)).toEqual([
    'households.csv:20001: 类别“富裕户”无效，应为 贫困户/特困户/低保户/五保户/一般户',
    `households.csv:${rows + 1}: 村 武山县/鸳鸯镇/不存在村 不在花名册中`,
  ]);
  expect(await rosterSnapshot(t.db)).toEqual(before);
  await rm(dir, { recursive: true, force: true });
}, 240_000);

test('a binary households.csv and one endless line fail cleanly, nothing written', async () => {
  const before = await rosterSnapshot(t.db);
  const binary = await rosterWith('binary', async (out) => { out.write(Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i * 7919) % 256))); });
  const r1 = await importRoster(t.db, binary, { now: NOW });
  expect(r1.ok).toBe(false);
  expect(r1.errors.map(formatRowError)).toContainEqual(expect.stringMatching(/^households\.csv:\d+: 无法按 CSV 读取/));
  expect(r1.errors.every((e) => e.source === 'households.csv')).toBe(true);

  const endless = await rosterWith('endless', async (out) => {
    out.write('县区,乡镇,村,户主,类别,人口,联户干部账号,联系开始日期\n');
    out.write('武山县,鸳鸯镇,丁门村,' + '很长'.repeat(700_000));
  });
  const r2 = await importRoster(t.db, endless, { now: NOW });
  expect(r2.ok).toBe(false);
  expect(r2.errors.map(formatRowError)[0]).toMatch(/^households\.csv:2: /);
  expect(await rosterSnapshot(t.db)).toEqual(before);
}, 120_000);
