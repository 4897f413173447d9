import { createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CsvError, parse } from 'csv-parse';
import { SHEETS, type SheetRow, type SheetSpec } from './sheets';
import { cleanHeader, rowCells, type RosterSource, type SheetInput } from './source';
import { RosterFileError } from './types';

const UNREADABLE = '无法按 CSV 读取（引号不配对或不是文本文件），此行起未读取：请在 Excel 中打开检查后另存为“CSV UTF-8（逗号分隔）”';

/** csv-parse's syntax errors become a row error at the record being read. */
function readable(file: string, row: number) {
  return (e: unknown): never => {
    if (e instanceof CsvError) throw new RosterFileError({ source: file, row, reason: UNREADABLE });
    throw e;
  };
}

/**
 * A roster folder: villages.csv, units.csv, cadres.csv, households.csv and an
 * optional groups.csv, UTF-8 with or without BOM. Missing optional files are
 * skipped; a missing required file is reported by the importer.
 */
export async function openCsvFolder(folder: string): Promise<{ source: RosterSource; missing: SheetSpec[] }> {
  const present: SheetSpec[] = [];
  const missing: SheetSpec[] = [];
  let totalBytes = 0;
  for (const spec of SHEETS) {
    const path = join(folder, spec.file);
    const found = await access(path).then(() => true, () => false);
    if (found) {
      present.push(spec);
      totalBytes += (await stat(path)).size;
    } else if (spec.required) missing.push(spec);
  }
  const source: RosterSource = {
    totalBytes,
    async *sheets(onBytes) {
      for (const spec of present) yield await openCsv(join(folder, spec.file), spec, onBytes);
    },
  };
  return { source, missing };
}

async function openCsv(path: string, spec: SheetSpec, onBytes: (n: number) => void): Promise<SheetInput> {
  const input = createReadStream(path);
  input.on('data', (chunk) => onBytes(chunk.length));
  // Every record counts as a spreadsheet row, blank ones too, so row numbers match
  // what Excel shows when it opens the file (header = row 1).
  const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: false }));
  input.on('error', (e) => parser.destroy(e));
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const first = await records.next().catch(readable(spec.file, 1));
  const headers = first.done ? [] : first.value.map(cleanHeader);
  async function* rows(): AsyncIterable<SheetRow> {
    let row = 1;
    for (;;) {
      const next = await records.next().catch(readable(spec.file, row + 1));
      if (next.done) return;
      row++;
      const cells = rowCells(headers, next.value);
      if (cells) yield { row, cells };
    }
  }
  return { spec, source: spec.file, headers, rows: rows() };
}
