import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  TableSheet, placeColumns, rangeText, scopeTitleName, textWidth, type ExportHeading,
} from '../../../../src/services/export/sheet-layout';
import { chineseDate } from '../../../../src/lib/time';
import { readTable } from '../../../support/xlsx';

const HEADING: ExportHeading = { scopeName: '武山县', filer: '武山县', from: '2026-01-01', to: '2026-12-07', today: '2026-12-07' };

test('dates as forms write them: the year once when both ends share it', () => {
  expect(chineseDate('2026-01-01')).toBe('2026年1月1日');
  expect(rangeText('2026-01-01', '2026-12-07')).toBe('（2026年1月1日—12月7日）');
  expect(rangeText('2025-12-01', '2026-01-31')).toBe('（2025年12月1日—2026年1月31日）');
  expect(rangeText('2026-12-07', '2026-12-07')).toBe('（2026年12月7日）');
});

test('places: the title names the scope from its county down; rows split it into 县区/乡镇/村', () => {
  expect(scopeTitleName({ fullName: '甘肃省/天水市/武山县' })).toBe('武山县');
  expect(scopeTitleName({ fullName: '甘肃省/天水市/武山县/鸳鸯镇' })).toBe('武山县鸳鸯镇');
  expect(scopeTitleName({ fullName: '甘肃省/天水市' })).toBe('天水市');
  expect(scopeTitleName({ fullName: '甘肃省' })).toBe('甘肃省');
  expect(placeColumns('甘肃省/天水市/武山县/鸳鸯镇/丁门村')).toEqual(['武山县', '鸳鸯镇', '丁门村']);
  expect(placeColumns(null)).toEqual(['', '', '']);
});

test('text width: CJK and full-width characters count two, the longest line counts', () => {
  expect(textWidth('丁门村')).toBe(6);
  expect(textWidth('W2026-0001')).toBe(10);
  expect(textWidth('（米）')).toBe(6);
  expect(textWidth('ab\n问题描述')).toBe(8);
  expect(textWidth(null)).toBe(0);
  expect(textWidth(2000)).toBe(4);
});

async function build(rows: number, value: (i: number) => string, wide = false): Promise<ExcelJS.Workbook> {
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const ws = new TableSheet(wb, '问题台账', '问题台账', HEADING, ['村', '问题描述', ...(wide ? ['整改说明'] : [])]);
  for (let i = 0; i < rows; i++) ws.add(['丁门村', value(i), ...(wide ? [value(i)] : [])]);
  ws.commit();
  await wb.commit();
  const back = new ExcelJS.Workbook();
  await back.xlsx.load(Buffer.concat(chunks) as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  return back;
}

test('a long sheet: widths from the rows held back, capped; rows past the sample are streamed with 序号 and borders', async () => {
  const wb = await build(1200, (i) => (i === 1100 ? '很长'.repeat(100) : `问题${i}`));
  const ws = wb.getWorksheet('问题台账')!;
  const table = readTable(ws);
  expect(table.title).toBe('武山县联村联户问题台账（2026年1月1日—12月7日）');
  expect(table.rows).toHaveLength(1200);
  expect(table.rows[1199][0]).toBe(1200);
  // 序号 and 村 measure 8, 问题描述 10 (its header; row 1100 is past the sample); a table this narrow is
  // widened evenly until the title (46 wide at 1.5 times the font) fits: ×69/26.
  expect([1, 2, 3].map((c) => ws.getColumn(c).width)).toEqual([22, 22, 27]);
  expect(ws.getCell(1103, 3).border).toMatchObject({ left: { style: 'thin' } });
  expect(ws.getCell(1103, 3).alignment).toMatchObject({ wrapText: true });
});

test('an empty sheet still has its title, 填报 row and header; a wide column stops at the cap', async () => {
  expect(readTable((await build(0, String)).getWorksheet('问题台账')!)).toMatchObject({ header: ['序号', '村', '问题描述'], rows: [] });
  const wide = (await build(3, () => '很长'.repeat(100), true)).getWorksheet('问题台账')!;
  expect([1, 2, 3, 4].map((c) => wide.getColumn(c).width)).toEqual([8, 8, 40, 40]);
});
