import type { Region } from '../../../entities';
import { MUST_VISIT_STATUS_TEXT, mustVisitLedgerRows } from '../must-visits/ledger';
import { PLACE_HEADERS, TableSheet, type ExportHeading } from './sheet-layout';
import { buildWorkbook, eachVillageChunk, stamp, type BuiltWorkbook, type ExportRange } from './xlsx-exports';
import type { Db } from '../../lib/db';

/**
 * 五必访台账: every 五必访 event reported in the range, village by village, with
 * its reporter, deadline, the visit that closed it and its status at the
 * export (按时走访, 逾期走访, 逾期未走访, 待走访), in the shared printed layout
 * (sheet-layout.ts: title, 填报 row, 序号, place split into 县区/乡镇/村).
 */

const COLUMNS = [...PLACE_HEADERS, '户主', '事由', '报告人', '报告时间', '期限', '走访时间', '状态'];
const SHEET = '五必访台账';

export function exportMustVisitLedger(db: Db, scope: Region, range: ExportRange, now: Date, heading: ExportHeading): Promise<BuiltWorkbook> {
  return buildWorkbook(async (wb) => {
    const ws = new TableSheet(wb, SHEET, SHEET, heading, COLUMNS);
    await eachVillageChunk(db, scope, async (villageIds) => {
      for (const e of await mustVisitLedgerRows(db, villageIds, range, now)) {
        ws.add([e.county, e.township, e.village, e.householder, e.note ? `${e.kind}（${e.note}）` : e.kind, e.reporter,
          stamp(e.reportedAt), stamp(e.dueAt), stamp(e.doneAt), MUST_VISIT_STATUS_TEXT[e.status]]);
      }
    });
    ws.commit();
  });
}
