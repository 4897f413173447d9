import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import ExcelJS from 'exceljs';
import { SHEETS, type Cell, type SheetRow } from './sheets';
import { cleanHeader, rowCells, type RosterSource, type SheetInput } from './source';
import { RosterWorkbookReader } from './xlsx-reader';

/**
 * A roster workbook with sheets 村, 单位, 干部, 农户 (and optionally 群), read with
 * ExcelJS's streaming WorkbookReader so a big file is never loaded whole. Sheets
 * come in the order the workbook stores them; other sheets are skipped.
 */
export async function openXlsx(path: string): Promise<RosterSource> {
  const { size } = await stat(path);
  return {
    totalBytes: size,
    async *sheets(onBytes) {
      // Counting through a Transform: a 'data' listener would start the flow before the reader pipes it.
      const counted = createReadStream(path).pipe(new Transform({
        transform(chunk: Buffer, _encoding, done) {
          onBytes(chunk.length);
          done(null, chunk);
        },
      }));
      const reader = new RosterWorkbookReader(counted, {
        worksheets: 'emit',
        sharedStrings: 'cache',
        styles: 'cache', // needed to see which numbers are dates
        hyperlinks: 'ignore',
        entries: 'ignore',
      });
      for await (const worksheet of reader) {
        const name = cleanHeader((worksheet as unknown as { name?: string }).name);
        const spec = SHEETS.find((s) => s.sheet === name);
        const iterator = (worksheet as unknown as AsyncIterable<ExcelJS.Row>)[Symbol.asyncIterator]();
        if (!spec) {
          for (let r = await iterator.next(); !r.done; r = await iterator.next());
          continue;
        }
        const first = await iterator.next();
        const headerRow = !first.done && first.value.number === 1 ? first.value : null;
        const headers = headerRow ? cellValues(headerRow).map(cleanHeader) : [];
        async function* rows(): AsyncIterable<SheetRow> {
          if (!first.done && !headerRow) {
            const cells = rowCells(headers, cellValues(first.value));
            if (cells) yield { row: first.value.number, cells };
          }
          for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
            const cells = rowCells(headers, cellValues(r.value));
            if (cells) yield { row: r.value.number, cells };
          }
        }
        const input: SheetInput = { spec, source: spec.sheet, headers, rows: rows() };
        yield input;
      }
    },
  };
}

/** Cell values from column A on, as text or Date. */
function cellValues(row: ExcelJS.Row): Cell[] {
  const values = row.values as unknown[];
  const out: Cell[] = [];
  for (let i = 1; i < values.length; i++) out.push(toCell(values[i]));
  return out;
}

function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v;
  if (typeof v !== 'object') return String(v);
  const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: unknown };
  if (o.richText) return o.richText.map((t) => t.text).join('');
  if ('result' in o) return toCell(o.result);
  if (o.text !== undefined) return toCell(o.text);
  return '';
}
