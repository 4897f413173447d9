import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { Logger } from '../lib/logger';
import { formatRowError, importRoster } from '../services/roster';

/** demo/roster, seen from src/ (ts-jest) or dist/src/ (compiled). */
export function demoRosterDir(): string {
  const candidates = [join(__dirname, '../demo/roster'), join(__dirname, '../../demo/roster')];
  return candidates.find((dir) => existsSync(join(dir, 'cadres.csv'))) ?? candidates[0];
}

/**
 * Loads demo/roster into a database whose cadres table is empty (demo mode):
 * returns the rows created per sheet, or null when there already was a roster.
 */
export async function loadDemoRosterIfEmpty(
  db: DataSource,
  logger: Logger,
  opts: { dir?: string; now?: Date } = {},
): Promise<Record<string, number> | null> {
  const [{ exists }] = await db.query('SELECT EXISTS (SELECT 1 FROM cadres) AS exists');
  if (exists) return null;
  const dir = opts.dir ?? demoRosterDir();
  const report = await importRoster(db, dir, { now: opts.now });
  if (!report.ok) {
    // The demo roster ships with the code, so a bad row is a bug: fail loudly.
    throw new Error(`demo roster ${dir} has errors:\n${report.errors.map(formatRowError).join('\n')}`);
  }
  const counts = Object.fromEntries(report.sheets.map((s) => [s.kind, s.created]));
  logger.child({ area: 'roster' }).info({ dir, ms: report.elapsedMs }, 'demo roster imported');
  return counts;
}
