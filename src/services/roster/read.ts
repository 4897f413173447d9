import type { PoolClient } from 'pg';
import type { Progress } from './progress';
import { stageRow } from './rows';
import type { SheetKind } from './sheets';
import type { RosterSource } from './source';
import { StageWriter } from './staging';
import { emptySheetReport, type RowError, type SheetReport } from './types';

const M = {
  missingHeaders: (cols: string[]) => `缺少表头：${cols.join('、')}（表头应在第 1 行）`,
  notUtf8: '文件不是 UTF-8 编码：在 Excel 中请另存为“CSV UTF-8（逗号分隔）”',
} as const;

/**
 * Streams every sheet of the source through cell validation into its staging
 * table (COPY). Returns a report per sheet read; bad cells go to `addError`.
 */
export async function stageSource(
  client: PoolClient,
  source: RosterSource,
  progress: Progress,
  addError: (e: RowError) => void,
): Promise<Map<SheetKind, SheetReport>> {
  const reports = new Map<SheetKind, SheetReport>();
  for await (const sheet of source.sheets((n) => progress.bytes(n))) {
    const absent = sheet.spec.columns.filter((c) => !sheet.headers.includes(c));
    if (absent.length > 0 || reports.has(sheet.spec.kind)) {
      // GBK (what Excel on Chinese Windows saves as plain "CSV") decodes to U+FFFD
      const garbled = sheet.headers.some((h) => h.includes('\uFFFD'));
      if (absent.length > 0) addError({ source: sheet.source, row: 1, reason: garbled ? M.notUtf8 : M.missingHeaders(absent) });
      for await (const _ of sheet.rows) progress.row(); // drain: the workbook streams on
      continue;
    }
    const report = emptySheetReport(sheet.spec.kind, sheet.source);
    reports.set(sheet.spec.kind, report);
    const writer = new StageWriter(client, sheet.spec.kind);
    for await (const row of sheet.rows) {
      const staged = stageRow(sheet.spec.kind, row);
      for (const reason of staged.reasons) addError({ source: sheet.source, row: row.row, reason });
      await writer.write(staged.values);
      report.rows++;
      progress.row();
    }
    await writer.end();
  }
  progress.stop();
  return reports;
}
