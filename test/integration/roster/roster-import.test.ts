import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb, type TestDb } from '../../support/db';
import { formatRowError, importRoster } from '../../../src/services/roster';
import { DEMO_ROSTER, rosterSnapshot, withCsv } from '../../support/roster-helpers';

const NOW = new Date('2026-03-15T02:00:00Z'); // 10:00 in Asia/Shanghai
const LATER = new Date('2026-06-01T04:00:00Z');

let t: TestDb;
let work: string;
beforeAll(async () => {
  t = await createTestDb();
  work = await mkdtemp(join(tmpdir(), 'roster-test-'));
});
afterAll(async () => {
  await t.drop();
  await rm(work, { recursive: true, force: true });
});

/** A copy of the demo roster in a fresh folder, for a test to alter. */
async function demoCopy(name: string): Promise<string> {
  const dir = join(work, name);
  await cp(DEMO_ROSTER, dir, { recursive: true });
  return dir;
}

describe('roster import from CSV', () => {
  test('the demo roster builds the tree, the roster and the links', async () => {
    const report = await importRoster(t.db, DEMO_ROSTER, { now: NOW });
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.changed).toBe(true);
    const by = Object.fromEntries(report.sheets.map((s) => [s.kind, s]));
    expect(by.villages).toMatchObject({ rows: 17, created: 17, updated: 0, unchanged: 0 });
    expect(by.units).toMatchObject({ rows: 17, created: 8, linksOpened: 17, linksClosed: 0 });
    expect(by.cadres).toMatchObject({ rows: 20, created: 20 });
    expect(by.households).toMatchObject({ rows: 99, created: 99, linksOpened: 99 });
    expect(by.groups).toMatchObject({ rows: 3, created: 3 });
    // the province (fresh database), 3 cities, 5 counties, 9 townships
    expect(report.regionsCreated).toBe(18);

    const [dm] = await t.db.query(
      `SELECT r.full_name, r.path, p.path AS parent_path, v.initials, v.kind, v.is_poor, v.radius_m, v.latitude
         FROM regions r JOIN villages v ON v.id = r.id JOIN regions p ON p.id = r.parent_id WHERE r.name = '丁门村'`,
    );
    expect(dm).toMatchObject({ full_name: '甘肃省/天水市/武山县/鸳鸯镇/丁门村', initials: 'dm', kind: '村', is_poor: true, radius_m: 3000 });
    expect(dm.path).toMatch(new RegExp(`^${dm.parent_path}\\d+/$`));
    expect(dm.path.split('/').length).toBe(7);
    const [xj] = await t.db.query(`SELECT initials FROM villages v JOIN regions r ON r.id = v.id WHERE r.name = '项家堡村'`);
    expect(xj.initials).toBe('xjb');

    const scopes = await t.db.query(
      `SELECT c.userid, r.full_name FROM cadres c JOIN regions r ON r.id = c.scope_region_id ORDER BY c.userid`,
    );
    expect(scopes).toContainEqual({ userid: 'sunli', full_name: '甘肃省/天水市/武山县/鸳鸯镇' });
    expect(scopes).toContainEqual({ userid: 'wangjian', full_name: '甘肃省' });
    const links = await t.db.query(
      `SELECT DISTINCT valid_from::text AS f, valid_to FROM cadre_household_links UNION
       SELECT DISTINCT valid_from::text, valid_to FROM unit_village_links`,
    );
    expect(links).toEqual([{ f: '2026-01-01', valid_to: null }]);
  });

  test('importing the same roster again changes nothing and says so', async () => {
    const before = await rosterSnapshot(t.db);
    const report = await importRoster(t.db, DEMO_ROSTER, { now: LATER });
    expect(report.ok).toBe(true);
    expect(report.changed).toBe(false);
    for (const s of report.sheets) {
      expect(s).toMatchObject({ created: 0, updated: 0, linksOpened: 0, linksClosed: 0, linksRedated: 0 });
      expect(s.unchanged).toBeGreaterThan(0);
    }
    expect(await rosterSnapshot(t.db)).toEqual(before);
  });

  test('files with a BOM read the same', async () => {
    const dir = await demoCopy('bom');
    for (const f of ['villages.csv', 'units.csv', 'cadres.csv', 'households.csv', 'groups.csv']) {
      await writeFile(join(dir, f), '\uFEFF' + (await readFile(join(dir, f), 'utf8')));
    }
    const before = await rosterSnapshot(t.db);
    const report = await importRoster(t.db, dir, { now: LATER });
    expect(report.errors).toEqual([]);
    expect(report.changed).toBe(false);
    expect(await rosterSnapshot(t.db)).toEqual(before);
  });

  test('bad rows are all reported as file:row and nothing is written', async () => {
    const dir = await demoCopy('bad');
    await withCsv(dir, 'households.csv', (rows) => {
      rows[16][6] = 'zhangsan'; // spreadsheet row 17
      rows[3][4] = '富裕户';
      rows[5][5] = '0';
      rows.push([...rows[1]]); // same householder twice in a village
      rows.push(['武山县', '鸳鸯镇', '不存在村', '丁一', '一般户', '2', 'zhangwei', '2026-13-01']);
    });
    await withCsv(dir, 'cadres.csv', (rows) => {
      rows.push(['zhangwei', '张伟二', '', '天水市财政局', '干部', '']);
      rows.push(['newleader', '新领导', '', '', '领导', '天水市/不存在县']);
      rows.push(['newcadre', '新干部', '', '无此单位', '专员', '']);
    });
    await withCsv(dir, 'units.csv', (rows) => {
      rows.push(['天水市财政局', '武山县/鸳鸯镇/李门村', '']);
    });
    await withCsv(dir, 'villages.csv', (rows) => {
      rows.push(['天水市', '武山县', '鸳鸯镇', '新村', '村庄', '是', '95', '104.7']);
    });
    const before = await rosterSnapshot(t.db);
    const report = await importRoster(t.db, dir, { now: LATER });
    expect(report.ok).toBe(false);
    expect(report.errors.map(formatRowError)).toEqual([
      'villages.csv:19: 类型“村庄”无效，应为 村/社区',
      'villages.csv:19: 纬度“95”应为 3–54 之间的数（GCJ-02）',
      'units.csv:19: 村 武山县/鸳鸯镇/李门村 不在花名册中',
      'cadres.csv:22: 账号 zhangwei 重复（与第 2 行相同）',
      'cadres.csv:23: 管辖范围 天水市/不存在县 不存在',
      'cadres.csv:24: 角色“专员”无效，应为 干部/队员/队长/第一书记/领导/管理员',
      'cadres.csv:24: 单位 无此单位 不在花名册中',
      'households.csv:4: 类别“富裕户”无效，应为 贫困户/特困户/低保户/五保户/一般户',
      'households.csv:6: 人口“0”应为 1–99 的整数',
      'households.csv:17: 联户干部账号 zhangsan 不在花名册中',
      'households.csv:101: 户主 张保国 在该村重复（与第 2 行相同）',
      'households.csv:102: 联系开始日期“2026-13-01”不是有效日期（YYYY-MM-DD 或 YYYY/M/D）',
      'households.csv:102: 村 武山县/鸳鸯镇/不存在村 不在花名册中',
    ]);
    expect(await rosterSnapshot(t.db)).toEqual(before);
  });

  test('wrong headers and a missing file are reported', async () => {
    const dir = await demoCopy('headers');
    await withCsv(dir, 'villages.csv', (rows) => {
      rows[0][6] = 'lat';
    });
    await rm(join(dir, 'cadres.csv'));
    const report = await importRoster(t.db, dir, { now: LATER });
    expect(report.errors.map(formatRowError)).toEqual([
      'villages.csv:1: 缺少表头：纬度（表头应在第 1 行）',
      'cadres.csv: 花名册缺少 cadres.csv',
    ]);
  });

  test('a CSV saved as GBK is reported as such', async () => {
    const dir = await demoCopy('gbk');
    // "县区,乡镇,村,户主,类别,人口,联户干部账号,联系开始日期" in GBK, as Excel's plain "CSV" saves it
    const header = Buffer.from('cfd8c7f82ccfe7d5f22cb4e52cbba7d6f72cc0e0b1f02cc8cbbfda2cc1aabba7b8c9b2bfd5cbbac52cc1aacfb5bfaacabcc8d5c6da0a', 'hex');
    await writeFile(join(dir, 'households.csv'), header);
    const report = await importRoster(t.db, dir, { now: LATER });
    expect(report.errors.map(formatRowError)).toEqual([
      'households.csv:1: 文件不是 UTF-8 编码：在 Excel 中请另存为“CSV UTF-8（逗号分隔）”',
    ]);
  });
});
