import type { DataSource } from 'typeorm';
import type { Logger } from './logger';

/** Loads demo/roster into an empty database (demo mode only). Filled in by the roster import. */
export async function loadDemoRosterIfEmpty(_db: DataSource, _logger: Logger): Promise<Record<string, number> | null> {
  return null;
}
