import 'reflect-metadata';
import { loadCliConfig, runCli } from './common';
import { openDatabase } from '../../entities/data-source';
import { isAppError } from '../lib/errors';
import { formatRowError, importRoster, type ImportReport, type SheetReport } from '../services/roster';
import { importMassRatings } from '../services/assessment/ratings';

/**
 * `npm run roster -- import <file.xlsx|folder> [--dry-run]` (docs/design.md §4);
 * `npm run roster -- import-ratings <file.xlsx|file.csv>`: 群众评议 scores (账号, 季度, 分数).
 * Exit codes: 0 imported (or nothing to change), 1 bad rows (nothing written),
 * 2 usage, configuration or I/O problem.
 */
const USAGE = `用法: npm run roster -- import <花名册.xlsx|文件夹> [--dry-run]
       npm run roster -- import-ratings <群众评议.xlsx|.csv>（列：账号、季度、分数）
  --dry-run  只检查并报告将要发生的变化，不写入数据库`;

const SHEET_LABEL: Record<SheetReport['kind'], string> = {
  villages: '村', units: '单位', cadres: '干部', households: '农户', groups: '群',
};

export function formatSummary(report: ImportReport): string {
  const lines: string[] = [];
  const seconds = (report.elapsedMs / 1000).toFixed(1);
  if (!report.ok) {
    for (const e of report.errors) lines.push(formatRowError(e));
    lines.push(`共 ${report.errors.length} 处错误，未导入任何数据（用时 ${seconds} 秒）。`);
    return lines.join('\n');
  }
  lines.push(report.dryRun ? `试运行：检查通过，以下为将要发生的变化（未写入）。用时 ${seconds} 秒` : `导入完成，用时 ${seconds} 秒`);
  for (const s of report.sheets) {
    let line = `  ${SHEET_LABEL[s.kind]}（${s.source}）：${s.rows} 行，新增 ${s.created}，更新 ${s.updated}，未变 ${s.unchanged}`;
    if (s.kind === 'units' || s.kind === 'households') {
      line += `；联系开始 ${s.linksOpened}，联系结束 ${s.linksClosed}`;
      if (s.linksRedated > 0) line += `，改开始日期 ${s.linksRedated}`;
    }
    lines.push(line);
  }
  if (report.regionsCreated > 0) lines.push(`  新建省/市/县区/乡镇 ${report.regionsCreated} 个`);
  if (!report.changed) lines.push('与数据库中的花名册相同，没有任何变化。');
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => !a.startsWith('--'));
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const unknown = [...flags].filter((f) => f !== '--dry-run');
  if (args[0] === 'import-ratings' && args.length === 2 && flags.size === 0) return importRatings(args[1]);
  if (args[0] !== 'import' || args.length !== 2 || unknown.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadCliConfig(2);
  const db = await openDatabase({ url: config.databaseUrl, poolSize: 2, applicationName: 'shuanglian-roster' });
  try {
    const report = await importRoster(db, args[1], { dryRun: flags.has('--dry-run'), progress: true });
    const out = report.ok ? process.stdout : process.stderr;
    out.write(`${formatSummary(report)}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await db.destroy();
  }
}

async function importRatings(file: string): Promise<number> {
  const config = loadCliConfig(2);
  const db = await openDatabase({ url: config.databaseUrl, poolSize: 2, applicationName: 'shuanglian-roster' });
  try {
    const report = await importMassRatings(db, file, new Date());
    if (!report.ok) {
      process.stderr.write(`${[...report.errors.map(formatRowError), `共 ${report.errors.length} 处错误，未导入任何评议分数。`].join('\n')}\n`);
      return 1;
    }
    process.stdout.write(`群众评议导入完成：${report.rows} 条。\n`);
    return 0;
  } finally {
    await db.destroy();
  }
}

runCli(module, main, {
  failureCode: 2,
  describe: (e) => {
    const err = e as NodeJS.ErrnoException;
    if (isAppError(e)) return e.userMessage;
    if (err.code === 'ENOENT') return `找不到文件或文件夹：${err.path}`;
    return `roster import failed: ${err.stack ?? String(e)}`;
  },
});
