import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * ExcelJS's streaming WorkbookReader with one fix. Its parse() walks the zip
 * entries through its own `iterateStream` helper, which under load loses the
 * last entries of a workbook whose worksheets come before sharedStrings.xml and
 * workbook.xml (the order Excel and ExcelJS both write): the reader then fails
 * with "Cannot read properties of undefined (reading 'sheets')" (seen in 85% of
 * reads on a busy machine). This parse() is ExcelJS 4.4's, walking the zip with
 * Node's own async iterator instead. Worksheets that arrive before the shared
 * strings wait in a temp file, as in the original.
 */
const exceljsRequire = createRequire(require.resolve('exceljs'));
const unzip = exceljsRequire('unzipper') as { Parse(o: { forceStream: boolean }): NodeJS.ReadWriteStream };

interface ZipEntry extends Readable {
  path: string;
  autodrain(): void;
}

/** The internals of ExcelJS's WorkbookReader that parse() drives. */
interface ReaderInternals {
  input: unknown;
  sharedStrings?: unknown;
  workbookRels?: unknown;
  _getStream(input: unknown): Readable;
  _parseRels(entry: ZipEntry): Promise<void>;
  _parseWorkbook(entry: ZipEntry): Promise<void>;
  _parseStyles(entry: ZipEntry): Promise<void>;
  _parseSharedStrings(entry: ZipEntry): AsyncIterable<unknown>;
  _parseWorksheet(stream: AsyncIterable<unknown>, sheetNo: string): Iterable<unknown>;
}

const WORKSHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;

export class RosterWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  override async *parse(): AsyncGenerator<unknown> {
    const self = this as unknown as ReaderInternals;
    const zip = unzip.Parse({ forceStream: true });
    self._getStream(self.input).pipe(zip);
    const dir = await mkdtemp(join(tmpdir(), 'roster-xlsx-'));
    const waiting: { sheetNo: string; path: string }[] = [];
    try {
      for await (const entry of zip as AsyncIterable<ZipEntry>) {
        const sheet = WORKSHEET.exec(entry.path);
        if (entry.path === 'xl/_rels/workbook.xml.rels') await self._parseRels(entry);
        else if (entry.path === 'xl/workbook.xml') await self._parseWorkbook(entry);
        else if (entry.path === 'xl/sharedStrings.xml') yield* self._parseSharedStrings(entry);
        else if (entry.path === 'xl/styles.xml') await self._parseStyles(entry);
        else if (sheet && self.sharedStrings && self.workbookRels) {
          yield* self._parseWorksheet(entry, sheet[1]);
        } else if (sheet) {
          const path = join(dir, `sheet${sheet[1]}.xml`);
          waiting.push({ sheetNo: sheet[1], path });
          const out = createWriteStream(path);
          entry.pipe(out);
          await once(out, 'finish');
        }
        entry.autodrain();
      }
      for (const { sheetNo, path } of waiting) yield* self._parseWorksheet(createReadStream(path), sheetNo);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
