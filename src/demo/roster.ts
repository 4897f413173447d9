import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { Logger } from '../lib/logger';
import { projectRoot } from '../lib/project-root';
import { rosterIsEmpty } from '../services/people/directory';
import { formatRowError, importRoster } from '../services/roster';

/** The demo roster's folder (demo/roster at the repository root). */
export function demoRosterDir(): string {
  return join(projectRoot(), 'demo', 'roster');
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
  if (!(await rosterIsEmpty(db))) return null;
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
