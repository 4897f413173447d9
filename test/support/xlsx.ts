import ExcelJS from 'exceljs';
import type request from 'supertest';

/**
 * Reading console exports back: every sheet has a title row, a 填报 row and one
 * header row above its data (src/services/export/sheet-layout.ts).
 */

export const HEADER_ROW = 3;

/** supertest's parser for a binary body. */
export function binary(r: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  r.on('data', (c: Buffer) => chunks.push(c));
  r.on('end', () => cb(null, Buffer.concat(chunks)));
}

export async function loadWorkbook(body: Parameters<ExcelJS.Xlsx['load']>[0]): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body);
  return wb;
}

export interface SheetTable {
  title: string;
  filer: string;
  header: unknown[];
  /** Data rows, cell values from column 1 (序号). */
  rows: unknown[][];
}

export function readTable(ws: ExcelJS.Worksheet): SheetTable {
  const values = ws.getSheetValues().slice(1).map((r) => ((r ?? []) as unknown[]).slice(1));
  return {
    title: String(ws.getCell(1, 1).value),
    filer: String(ws.getCell(2, 1).value),
    header: values[HEADER_ROW - 1],
    rows: values.slice(HEADER_ROW),
  };
}
