import request from 'supertest';
import type ExcelJS from 'exceljs';
import { seedConsole } from '../../support/scenarios/console';
import { useConsoleApp, sessionCookie } from '../../support/console-app';
import { buildCadre } from '../../support/factories';
import { binary, loadWorkbook, readTable } from '../../support/xlsx';
import { recordHelpAct } from '../../../src/services/aid/help-acts';

/**
 * Every console export in the printed-form layout, generated through its HTTP route
 * and read back with exceljs: the title row merged across the table, the 填报 row,
 * the header frozen and repeated on every printed page, 序号, the place in 县区/乡镇/村
 * columns, landscape A4 fitted to the page width, widths from the content.
 */

const NOW = new Date('2026-12-07T12:00:00+08:00');
const RANGE = 'from=2026-01-01&to=2026-12-07';
const FILED = '填报单位：武山县\u3000\u3000填报日期：2026年12月7日';
const suite = useConsoleApp((t) => seedConsole(t.db, NOW), {
  now: NOW,
  setup: async ({ t, seed }) => {
    const { ids } = seed;
    await t.db.transaction((m) => recordHelpAct(m, {
      cadreId: ids.zhangsan, household: { id: ids.hZhang, villageId: ids.dingmen }, kind: '送资金', note: '2000元 产业补助', amountYuan: 2000,
      now: new Date('2026-11-20T10:00:00+08:00'),
    }));
    ids.office = (await buildCadre(t.db, { userid: 'ws_office', name: '刘主任', role: '领导', unitId: ids.finance, scopeRegionId: ids.wushan })).id;
  },
});

const workbook = async (path: string, cadreId = suite.seed.ids.wsLeader) => {
  const res = await request(suite.app.callback()).get(path).set('Cookie', sessionCookie(suite.deps, cadreId)).buffer(true).parse(binary);
  expect(res.status).toBe(200);
  return loadWorkbook(res.body);
};

/** The layout every sheet shares, whatever its table. */
function expectLayout(ws: ExcelJS.Worksheet, title: string, header: string[]): ReturnType<typeof readTable> {
  const table = readTable(ws);
  expect(table.title).toBe(title);
  expect(table.filer).toBe(FILED);
  expect(table.header).toEqual(['序号', ...header]);
  const last = ws.getColumn(header.length + 1).letter;
  expect(ws.model.merges).toEqual(expect.arrayContaining([`A1:${last}1`, `A2:${last}2`]));
  expect(ws.getCell(1, 1).font).toMatchObject({ bold: true });
  for (let c = 1; c <= header.length + 1; c++) {
    const cell = ws.getCell(3, c);
    expect(cell.font).toMatchObject({ bold: true });
    expect(cell.alignment).toMatchObject({ horizontal: 'center' });
    expect(cell.border).toMatchObject({ top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } });
  }
  expect(table.rows.map((r) => r[0])).toEqual(table.rows.map((_, i) => i + 1));
  if (table.rows.length > 0) expect(ws.getCell(4, 2).border).toMatchObject({ top: { style: 'thin' } });
  expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
  expect(ws.pageSetup).toMatchObject({
    paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3',
  });
  // Widths from the content: every column holds its header (a CJK character counts two), none wider than the cap.
  header.forEach((h, i) => {
    const width = ws.getColumn(i + 2).width!;
    expect(width).toBeGreaterThanOrEqual(Math.min(40, [...h].length * 2));
    expect(width).toBeLessThanOrEqual(40);
  });
  return table;
}

test('问题台账: title, 填报 row, header, 序号, place in 县区/乡镇/村, frozen header printed on every landscape A4 page', async () => {
  const wb = await workbook(`/console/api/export/ledger.xlsx?scope=${suite.seed.ids.wushan}&${RANGE}`);
  const ws = wb.getWorksheet('问题台账')!;
  const table = expectLayout(ws, '武山县联村联户问题台账（2026年1月1日—12月7日）', ['编号', '县区', '乡镇', '村', '问题描述', '类别', '上报人',
    '上报时间', '责任人/责任单位', '整改期限', '状态', '销号时间', '整改说明', '照片']);
  expect(table.rows.map((r) => r.slice(1, 5))).toEqual([
    ['W2026-0001', '武山县', '鸳鸯镇', '丁门村'], ['W2026-0003', '武山县', '鸳鸯镇', '丁门村'], ['W2026-0002', '武山县', '洛门镇', '西坪村'],
  ]);
  // The description column is wider than the 序号 column: widths follow the content.
  expect(ws.getColumn(6).width!).toBeGreaterThan(ws.getColumn(1).width!);
});

test('走访记录表 and 入户走访: both sheets in the layout, the village split into 县区/乡镇/村', async () => {
  const wb = await workbook(`/console/api/export/visits.xlsx?scope=${suite.seed.ids.wushan}&${RANGE}`);
  const visits = expectLayout(wb.getWorksheet('走访记录表')!, '武山县联村联户走访记录表（2026年1月1日—12月7日）', ['日期', '干部', '单位',
    '县区', '乡镇', '村', '签到', '签退', '时长', '是否定位核验', '距离(米)', '来源', '自动签退']);
  expect(visits.rows).toHaveLength(5);
  expect(visits.rows[0].slice(2, 7)).toEqual(['张三', '武山县财政局', '武山县', '鸳鸯镇', '丁门村']);
  expect(visits.rows[4].slice(4, 7)).toEqual(['武山县', '洛门镇', '西坪村']);
  const households = expectLayout(wb.getWorksheet('入户走访')!, '武山县联村联户入户走访记录表（2026年1月1日—12月7日）', ['日期', '干部', '农户',
    '县区', '乡镇', '村', '谈心', '内容', '帮扶状态', '致贫原因']);
  expect(households.rows.map((r) => r.slice(3, 7))).toEqual([['张大爷', '武山县', '鸳鸯镇', '丁门村'], ['张大爷', '武山县', '鸳鸯镇', '丁门村']]);
});

test('任务进度: 单位联村 with the village split, 干部联户, each sheet titled', async () => {
  const wb = await workbook(`/console/api/export/standing.xlsx?scope=${suite.seed.ids.wushan}&${RANGE}`);
  const units = expectLayout(wb.getWorksheet('单位联村')!, '武山县联村联户单位联村任务进度（2026年1月1日—12月7日）',
    ['单位', '县区', '乡镇', '村', '进村次数', '进村天数', '是否滞后']);
  expect(units.rows).toHaveLength(2);
  expect(units.rows.map((r) => r.slice(1, 5))).toEqual(expect.arrayContaining([
    ['武山县财政局', '武山县', '鸳鸯镇', '丁门村'], ['武山县教育局', '武山县', '洛门镇', '西坪村'],
  ]));
  const cadres = expectLayout(wb.getWorksheet('干部联户')!, '武山县联村联户干部联户任务进度（2026年1月1日—12月7日）',
    ['干部', '角色', '单位', '联系户数', '达到进度户数', '入户次数', '到村天数', '是否滞后']);
  expect(cadres.rows.map((r) => r[1])).toEqual(expect.arrayContaining(['张三', '李四']));
});

test('帮扶台账: one 序号 column, the place in 县区/乡镇/村', async () => {
  const wb = await workbook(`/console/api/export/help.xlsx?scope=${suite.seed.ids.wushan}&${RANGE}`);
  const help = expectLayout(wb.getWorksheet('帮扶台账')!, '武山县联村联户帮扶台账（2026年1月1日—12月7日）', ['县区', '乡镇', '村', '户主',
    '农户类别', '致贫原因', '帮扶状态', '帮扶类别', '帮扶内容', '金额(元)', '帮扶干部', '单位', '时间']);
  expect(help.rows).toEqual([[1, '武山县', '鸳鸯镇', '丁门村', '张大爷', '贫困户', undefined, undefined, '送资金', '2000元 产业补助', 2000,
    '张三', '武山县财政局', '2026-11-20 10:00']]);
});

test('考评结果: the period as the title\'s range, the cadre\'s and unit\'s place in 县区/乡镇/村', async () => {
  const wb = await workbook(`/console/api/export/assessment.xlsx?scope=${suite.seed.ids.wushan}&period=2026-Q4`);
  const components = ['走访次数', '入户天数', '谈心交流', '到村天数', '驻村天数', '问题按期销号', '通知收到', '五必访按期', '民情日记', '六送帮扶'];
  const tail = ['工作实绩', '领导评议', '群众评议', '总分', '乡镇排名', '县区排名'];
  const cadres = expectLayout(wb.getWorksheet('干部考评')!, '武山县联村联户干部考评结果（2026年10月1日—12月31日）',
    ['单位', '姓名', '县区', '乡镇', '村', ...components, ...tail]);
  expect(cadres.rows.find((r) => r[2] === '张三')!.slice(1, 6)).toEqual(['武山县财政局', '张三', '武山县', '鸳鸯镇', '丁门村']);
  const units = readTable(wb.getWorksheet('单位考评')!);
  expect(units.title).toBe('武山县联村联户单位考评结果（2026年10月1日—12月31日）');
  expect(units.header.slice(0, 5)).toEqual(['序号', '单位', '县区', '乡镇', '村']);
});

test('a township scope heads the form from its county down; 填报单位 is the viewer\'s unit when they have one', async () => {
  const wb = await workbook(`/console/api/export/ledger.xlsx?scope=${suite.seed.ids.yuanyang}&from=2025-12-01&to=2026-12-07`, suite.seed.ids.office);
  const table = readTable(wb.getWorksheet('问题台账')!);
  expect(table.title).toBe('武山县鸳鸯镇联村联户问题台账（2025年12月1日—2026年12月7日）');
  expect(table.filer).toBe('填报单位：武山县财政局\u3000\u3000填报日期：2026年12月7日');
  expect(table.rows.map((r) => r[3])).toEqual(['鸳鸯镇', '鸳鸯镇']);
});

test('another county\'s export is a 403, not a file', async () => {
  const res = await request(suite.app.callback()).get(`/console/api/export/ledger.xlsx?scope=${suite.seed.ids.gangu}&${RANGE}`)
    .set('Cookie', sessionCookie(suite.deps, suite.seed.ids.wsLeader));
  expect(res.status).toBe(403);
});
