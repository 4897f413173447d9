import type ExcelJS from 'exceljs';
import type { Region } from '../../../entities';
import { placeName } from '../../lib/place';
import { chineseDate } from '../../lib/time';
import type { Db } from '../../lib/db';

/**
 * The printed-form layout every console xlsx export shares, as county offices file
 * their 台账: a title row (武山县联村联户问题台账（2026年1月1日—12月7日）) and a
 * 填报单位/填报日期 row above one header row, 序号 first, frozen under the header and the
 * header repeated on every printed page, landscape A4 fitted to the page width,
 * column widths from the content, thin borders.
 *
 * Sheets are streamed: the first SAMPLE_ROWS data rows are held back to size the
 * columns (the column widths go into the file before the first row), later rows are
 * written as they come.
 */

const CAMPAIGN = '联村联户';
const UNIT_LABEL = '填报单位：';
const DATE_LABEL = '填报日期：';
/** An ideographic space, twice: the gap between 填报单位 and 填报日期. */
const GAP = '\u3000\u3000';
const SERIAL = '序号';

/** Title, 填报 row and header: the rows above the data, frozen and printed on every page. */
export const TITLE_ROW = 1;
export const FILER_ROW = 2;
export const HEADER_ROW = 3;

/** Data rows held back to measure column widths. */
const SAMPLE_ROWS = 500;
/** Column widths in character units: a CJK character counts two. */
const MIN_WIDTH = 6;
const MAX_WIDTH = 40;
/** The title's 16-point font against the body's 11. */
const TITLE_SCALE = 1.5;

const THIN = { style: 'thin' } as const;
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
/** Shared style objects: cells are only ever given one whole, never mutated. */
const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true },
  alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } },
  border: BORDER,
};
const DATA_STYLE: Partial<ExcelJS.Style> = { alignment: { vertical: 'middle', wrapText: true }, border: BORDER };
const SERIAL_STYLE: Partial<ExcelJS.Style> = { alignment: { horizontal: 'center', vertical: 'middle' }, border: BORDER };
const TITLE_STYLE: Partial<ExcelJS.Style> = { font: { bold: true, size: 16 }, alignment: { horizontal: 'center', vertical: 'middle' } };
const FILER_STYLE: Partial<ExcelJS.Style> = { alignment: { horizontal: 'left', vertical: 'middle' } };

/** Landscape A4 (paperSize 9), all columns on one page's width, as many pages down as it takes. */
const PAGE_SETUP: Partial<ExcelJS.PageSetup> = {
  paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0,
  margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
  printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
};
const FOOTER = '第 &P 页，共 &N 页';

/** What the title and 填报 rows say, the same on every sheet of a workbook. */
export interface ExportHeading {
  /** The scope as the title names it: 武山县, 武山县鸳鸯镇, 天水市, 甘肃省. */
  scopeName: string;
  /** 填报单位: the viewer's unit, else the scope. */
  filer: string;
  /** The range the figures cover, Shanghai dates, both included. */
  from: string;
  to: string;
  /** 填报日期: the day the file is made. */
  today: string;
}

/** （2026年1月1日—12月7日）: the year once when both ends share it. */
export function rangeText(from: string, to: string): string {
  if (from === to) return `（${chineseDate(from)}）`;
  const end = from.slice(0, 4) === to.slice(0, 4) ? chineseDate(to).replace(/^\d+年/, '') : chineseDate(to);
  return `（${chineseDate(from)}—${end}）`;
}

/** The scope from its county down (武山县鸳鸯镇), as officials head a form; a city or the province by its own name. */
export function scopeTitleName(scope: Pick<Region, 'fullName'>): string {
  return placeName(scope.fullName, 'county');
}

/** 填报单位 is the viewer's unit when they have one (a 双联办), else the scope they report for. */
export async function exportHeading(
  db: Db, scope: Pick<Region, 'fullName'>, viewerUnitId: number | null, range: { from: string; to: string }, today: string,
): Promise<ExportHeading> {
  const scopeName = scopeTitleName(scope);
  const [unit]: { name: string }[] = viewerUnitId === null ? [] : await db.query('SELECT name FROM units WHERE id = $1', [viewerUnitId]);
  return { scopeName, filer: unit?.name ?? scopeName, from: range.from, to: range.to, today };
}

/** 甘肃省/天水市/武山县/鸳鸯镇/丁门村 → [武山县, 鸳鸯镇, 丁门村]: the 县区, 乡镇 and 村 columns. */
export function placeColumns(fullName: string | null | undefined): [string, string, string] {
  const parts = (fullName ?? '').split('/').filter(Boolean);
  return [parts[2] ?? '', parts[3] ?? '', parts[4] ?? ''];
}
export const PLACE_HEADERS = ['县区', '乡镇', '村'] as const;

/** Display width of a cell's text in character units: CJK and full-width characters count two; the longest line counts. */
export function textWidth(value: unknown): number {
  if (value === null || value === undefined) return 0;
  let widest = 0;
  for (const line of String(value).split('\n')) {
    let w = 0;
    for (const ch of line) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
    widest = Math.max(widest, w);
  }
  return widest;
}

type Writer = ExcelJS.stream.xlsx.WorkbookWriter;
type Cell = ExcelJS.CellValue;

/** One table on one sheet in the shared layout; `add` takes a row without its 序号. */
export class TableSheet {
  private readonly ws: ExcelJS.Worksheet;
  private readonly headers: string[];
  private held: Cell[][] | null = [];
  private serial = 0;

  constructor(wb: Writer, sheetName: string, private readonly title: string, private readonly heading: ExportHeading, headers: readonly string[]) {
    this.headers = [SERIAL, ...headers];
    this.ws = wb.addWorksheet(sheetName, {
      views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW, topLeftCell: `A${HEADER_ROW + 1}` }],
      pageSetup: PAGE_SETUP,
      headerFooter: { oddFooter: FOOTER },
    });
  }

  add(values: readonly Cell[]): void {
    const row = [++this.serial, ...values];
    if (this.held) {
      this.held.push(row);
      if (this.held.length >= SAMPLE_ROWS) this.flush();
    } else {
      this.write(row);
    }
  }

  /** Writes what is held and closes the sheet. */
  commit(): void {
    this.flush();
    this.ws.commit();
  }

  private flush(): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    const n = this.headers.length;
    const titleText = `${this.heading.scopeName}${CAMPAIGN}${this.title}${rangeText(this.heading.from, this.heading.to)}`;
    const filerText = `${UNIT_LABEL}${this.heading.filer}${GAP}${DATE_LABEL}${chineseDate(this.heading.today)}`;
    const widths = this.headers.map((header, i) =>
      Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, textWidth(header), ...held.map((r) => textWidth(r[i]))) + 2));
    // A narrow table is widened evenly until its merged title (at TITLE_SCALE) and 填报 row fit across it.
    const total = widths.reduce((a, b) => a + b, 0);
    const needed = Math.max(textWidth(titleText) * TITLE_SCALE, textWidth(filerText));
    const stretch = total < needed ? needed / total : 1;
    // exceljs leaves a width of exactly 9, its default, out of the file (Excel's own default is 8.43).
    this.ws.columns = widths.map((w) => Math.ceil(w * stretch)).map((w) => ({ width: w === 9 ? 10 : w }));
    const last = this.ws.getColumn(n).letter;
    const title = this.ws.addRow([titleText]);
    title.height = 30;
    title.getCell(1).style = TITLE_STYLE;
    this.ws.mergeCells(`A${TITLE_ROW}:${last}${TITLE_ROW}`);
    const filer = this.ws.addRow([filerText]);
    filer.height = 20;
    filer.getCell(1).style = FILER_STYLE;
    this.ws.mergeCells(`A${FILER_ROW}:${last}${FILER_ROW}`);
    const header = this.ws.addRow(this.headers);
    header.height = 22;
    for (let c = 1; c <= n; c++) header.getCell(c).style = HEADER_STYLE;
    header.commit();
    for (const r of held) this.write(r);
  }

  private write(values: Cell[]): void {
    const row = this.ws.addRow(values);
    row.getCell(1).style = SERIAL_STYLE;
    for (let c = 2; c <= this.headers.length; c++) row.getCell(c).style = DATA_STYLE;
    row.commit();
  }
}
