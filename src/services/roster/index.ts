import { extname } from 'node:path';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { AppError } from '../../lib/errors';
import { applyGroups, applyVillages } from './apply-places';
import { applyCadres, applyHouseholds, applyUnits, type LinkDays } from './apply-people';
import { runChecks } from './checks';
import { openCsvFolder } from './csv-source';
import { createProgress } from './progress';
import { SHEETS, type SheetKind, type SheetSpec } from './sheets';
import { isDirectory, type RosterSource } from './source';
import { stageSource } from './read';
import { createStagingSql, stageTable } from './staging';
import { RosterFileError, emptySheetReport, type ImportOptions, type ImportReport, type RowError, type SheetReport } from './types';
import { openXlsx } from './xlsx-source';

export type { ImportOptions, ImportReport, RowError, SheetReport } from './types';
export { formatRowError } from './types';
export { initialsOf } from './rows';

const M = {
  missingSheet: (name: string) => `花名册缺少 ${name}`,
  unsupported: '只能导入 .xlsx 文件或含 CSV 的文件夹',
  tooManyErrors: (n: number) => `另有 ${n} 行错误未列出`,
} as const;

/** Errors kept in the report; past this only the count is (a whole bad file would not fit in memory). */
const MAX_ERRORS = 100_000;
/** Arbitrary constant: the transaction-level advisory lock that serialises roster imports. */
const IMPORT_LOCK = 7_361_902_301;
/** Big sorts and hash joins on millions of staged rows run in memory instead of spilling. */
const WORK_MEM = '256MB';

/**
 * Imports a roster (.xlsx or a folder of CSV files, docs/design.md §4) in one
 * transaction: stream rows into TEMP staging tables by COPY, check them
 * set-based, then upsert. Any bad row means nothing is written and every bad
 * row is in `errors`; a dry run does all the work and rolls back.
 */
export async function importRoster(db: DataSource, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const started = Date.now();
  const days = linkDays(opts.now ?? new Date());
  const errors: RowError[] = [];
  let errorCount = 0;
  const addError = (e: RowError) => {
    errorCount++;
    if (errors.length < MAX_ERRORS) errors.push(e);
  };
  const { source, missing } = await openSource(path);
  for (const spec of missing) addError({ source: spec.file, row: 0, reason: M.missingSheet(spec.file) });

  const runner = db.createQueryRunner();
  await runner.connect();
  const client = (runner as unknown as { databaseConnection: PoolClient }).databaseConnection;
  const progress = createProgress(opts.progress ?? false, source.totalBytes);
  let reports = new Map<SheetKind, SheetReport>();
  let regionsCreated = 0;
  const timings: Record<string, number> = {};
  let mark = Date.now();
  const lap = (phase: string) => {
    const now = Date.now();
    timings[phase] = now - mark;
    mark = now;
  };
  try {
    await client.query('BEGIN');
    // One import at a time: two would race on the same new regions, units and cadres.
    await client.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
    await client.query(`SET LOCAL work_mem = '${WORK_MEM}'`);
    await client.query(createStagingSql());
    reports = await stageSource(client, source, progress, addError);
    lap('read');
    for (const spec of missingSheets(path, reports, missing)) {
      addError({ source: spec.sheet, row: 0, reason: M.missingSheet(spec.sheet) });
    }
    await client.query(SHEETS.map((s) => `ANALYZE ${stageTable(s.kind)};`).join('\n'));
    const sources = new Map([...reports].map(([kind, r]) => [kind, r.source]));
    for (const e of await runChecks(client, sources)) addError(e);
    lap('check');

    if (errorCount === 0) {
      const report = (kind: SheetKind) => reports.get(kind) ?? emptySheetReport(kind, kind);
      regionsCreated = await applyVillages(client, report('villages'));
      await applyUnits(client, days, report('units'));
      await applyCadres(client, report('cadres'));
      lap('apply');
      await applyHouseholds(client, days, report('households'));
      await applyGroups(client, report('groups'));
      lap('applyHouseholds');
    }
    await client.query(errorCount > 0 || opts.dryRun ? 'ROLLBACK' : 'COMMIT');
    lap('commit');
  } catch (e) {
    progress.stop();
    await client.query('ROLLBACK').catch(() => undefined);
    if (!(e instanceof RosterFileError)) throw e;
    addError(e.rowError);
  } finally {
    await runner.release();
  }

  sortErrors(errors);
  if (errorCount > errors.length) {
    errors.push({ source: errors[errors.length - 1].source, row: 0, reason: M.tooManyErrors(errorCount - errors.length) });
  }
  const sheets = SHEETS.filter((s) => reports.has(s.kind)).map((s) => reports.get(s.kind)!);
  const ok = errorCount === 0;
  return {
    ok,
    dryRun: opts.dryRun ?? false,
    changed: ok && (regionsCreated > 0 || sheets.some((s) => s.created + s.updated + s.linksOpened + s.linksClosed + s.linksRedated > 0)),
    regionsCreated,
    sheets,
    errors,
    elapsedMs: Date.now() - started,
    timings,
  };
}

async function openSource(path: string): Promise<{ source: RosterSource; missing: SheetSpec[] }> {
  if (await isDirectory(path)) return openCsvFolder(path);
  if (extname(path).toLowerCase() === '.xlsx') return { source: await openXlsx(path), missing: [] };
  throw new AppError('roster_unsupported', `not an .xlsx file nor a folder: ${path}`, M.unsupported);
}

/** Required sheets a workbook did not have (a folder's missing files are known up front). */
function missingSheets(path: string, seen: Map<SheetKind, SheetReport>, missingFiles: SheetSpec[]): SheetSpec[] {
  if (extname(path).toLowerCase() !== '.xlsx') return [];
  return SHEETS.filter((s) => s.required && !seen.has(s.kind) && !missingFiles.includes(s));
}

function sortErrors(errors: RowError[]): void {
  const order = (source: string) => SHEETS.findIndex((s) => s.file === source || s.sheet === source);
  errors.sort((a, b) => order(a.source) - order(b.source) || a.row - b.row);
}

/** The import day and 1 January of its year, in Asia/Shanghai (docs/design.md §2: every date is). */
export function linkDays(now: Date): LinkDays {
  const today = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
  }).format(now);
  return { today, yearStart: `${today.slice(0, 4)}-01-01` };
}
