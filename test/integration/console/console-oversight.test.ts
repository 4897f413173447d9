import request from 'supertest';
import ExcelJS from 'exceljs';
import { seedConsole } from '../../support/scenarios/console';
import { useConsoleApp } from '../../support/console-app';
import { binary, readTable } from '../../support/xlsx';
import { recordHelpAct } from '../../../src/services/aid/help-acts';
import { recordInspection } from '../../../src/services/inspections/inspections';

/**
 * The console's 帮扶督查 (六送 acts by kind and region, team members below pace
 * on 220/160, villages without their 督查), the 帮扶台账 export read back with
 * exceljs, and the households' 帮扶状态 and 致贫原因 where the console and the
 * exports list households.
 */

const NOW = new Date('2026-11-24T12:00:00+08:00');
const suite = useConsoleApp((t) => seedConsole(t.db, NOW), {
  now: NOW,
  setup: async ({ t, seed }) => {
    const { ids } = seed;
    await t.db.query(`UPDATE households SET poverty_cause = '因病', aid_status = '未脱贫' WHERE id = $1`, [ids.hZhang]);
    await t.db.query(`UPDATE households SET aid_status = '监测户' WHERE id = $1`, [ids.hWang]);
    const help = (cadreId: number, householdId: number, villageId: number, kind: '送资金' | '送温暖' | '送技术', note: string, amountYuan: number | null, at: string) =>
      t.db.transaction((m) => recordHelpAct(m, { cadreId, household: { id: householdId, villageId }, kind, note, amountYuan, now: new Date(at) }));
    await help(ids.zhangsan, ids.hZhang, ids.dingmen, '送资金', '2000元 产业补助', 2000, '2026-11-20T10:00:00+08:00');
    await help(ids.zhangsan, ids.hZhang, ids.dingmen, '送温暖', '米面油', null, '2026-11-21T10:00:00+08:00');
    await help(ids.lisi, ids.hWang, ids.xiping, '送技术', '果树修剪', null, '2026-11-22T10:00:00+08:00');
    await help(ids.wangwu, ids.hChen, ids.chengguan, '送温暖', '慰问', null, '2026-11-22T11:00:00+08:00'); // 甘谷县
    await help(ids.zhangsan, ids.hZhang, ids.dingmen, '送温暖', '去年的', null, '2025-12-20T10:00:00+08:00');
    await t.db.transaction((m) => recordInspection(m, {
      cadreId: ids.wsLeader, villageId: ids.dingmen, kind: '明察暗访', note: '在岗', now: new Date('2026-11-10T10:00:00+08:00'), today: '2026-11-10' }));
  },
});

const { get } = suite;
const workbook = async (path: string) => {
  const res = await get(path).buffer(true).parse(binary);
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body);
  return wb;
};
/** The header and data rows, below the title and 填报 rows. */
const rows = (ws: ExcelJS.Worksheet) => { const t = readTable(ws); return [t.header, ...t.rows]; };

test('the 帮扶督查 page of a county: 六送 by kind and township, the team behind pace, villages without their 督查', async () => {
  const res = await get(`/console/api/oversight?scope=${suite.seed.ids.wushan}`).expect(200);
  expect(res.body.help).toEqual({
    acts: 3, amountYuan: 2000, byKind: [{ kind: '送资金', acts: 1 }, { kind: '送技术', acts: 1 }, { kind: '送温暖', acts: 1 }],
  });
  expect(res.body.helpByChild.map((c: { name: string; acts: number }) => [c.name, c.acts])).toEqual([['洛门镇', 1], ['鸳鸯镇', 2]]);
  // 李四 (队员 of the unit linked to 西坪村): one day on site this year, no night
  expect(res.body.team).toMatchObject({
    total: 1, rows: [{ name: '李四', place: '天水市武山县洛门镇西坪村', daysOnSite: 1, requiredOnSite: 197, daysResident: 0, requiredResident: 143 }],
  });
  expect(res.body.inspections).toMatchObject({ villages: 3, unannouncedMonths: 1, centralMonths: 3, noUnannounced: 2, noCentral: 3 });
  expect(res.body.inspections.gaps.map((g: { place: string; unannounced: boolean; central: boolean }) => [g.place, g.unannounced, g.central]))
    .toEqual([['天水市武山县鸳鸯镇丁门村', true, false], ['天水市武山县鸳鸯镇王门村', false, false], ['天水市武山县洛门镇西坪村', false, false]]);
  // another county's figures stay out, and its page is not this leader's
  await get(`/console/api/oversight?scope=${suite.seed.ids.gangu}`).expect(403);
});

test('the 帮扶台账 export lists the scope\'s acts of the range like the 问题台账, with each household\'s 致贫原因 and 帮扶状态', async () => {
  const wb = await workbook(`/console/api/export/help.xlsx?scope=${suite.seed.ids.wushan}&from=2026-01-01&to=2026-12-31`);
  const ws = wb.getWorksheet('帮扶台账')!;
  expect(rows(ws)).toEqual([
    ['序号', '县区', '乡镇', '村', '户主', '农户类别', '致贫原因', '帮扶状态', '帮扶类别', '帮扶内容', '金额(元)', '帮扶干部', '单位', '时间'],
    [1, '武山县', '鸳鸯镇', '丁门村', '张大爷', '贫困户', '因病', '未脱贫', '送资金', '2000元 产业补助', 2000, '张三', '武山县财政局', '2026-11-20 10:00'],
    [2, '武山县', '鸳鸯镇', '丁门村', '张大爷', '贫困户', '因病', '未脱贫', '送温暖', '米面油', undefined, '张三', '武山县财政局', '2026-11-21 10:00'],
    [3, '武山县', '洛门镇', '西坪村', '王老汉', '特困户', undefined, '监测户', '送技术', '果树修剪', undefined, '李四', '武山县教育局', '2026-11-22 10:00'],
  ]);
  const village = await workbook(`/console/api/export/help.xlsx?scope=${suite.seed.ids.xiping}&from=2026-01-01&to=2026-12-31`);
  expect(rows(village.getWorksheet('帮扶台账')!).map((r) => r[4])).toEqual(['户主', '王老汉']);
});

test('households show their 帮扶状态 and 致贫原因 in the visits export and the coverage list', async () => {
  const wb = await workbook(`/console/api/export/visits.xlsx?scope=${suite.seed.ids.wushan}&from=2026-01-01&to=2026-12-31`);
  const hv = rows(wb.getWorksheet('入户走访')!);
  expect(hv[0].slice(-2)).toEqual(['帮扶状态', '致贫原因']);
  expect(hv.slice(1).map((r) => [r[3], ...r.slice(-2)])).toEqual([['张大爷', '未脱贫', '因病'], ['张大爷', '未脱贫', '因病']]);
  await suite.t.db.query(`UPDATE cadre_household_links SET valid_to = '2026-11-23' WHERE household_id = $1`, [suite.seed.ids.hWang]);
  const cov = await get(`/console/api/coverage?scope=${suite.seed.ids.wushan}`).expect(200);
  expect(cov.body.householdGaps).toContainEqual(expect.objectContaining({ householder: '王老汉', aidStatus: '监测户', povertyCause: null }));
});
