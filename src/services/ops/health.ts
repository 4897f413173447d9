import type { Db } from '../../lib/db';

/** PostgreSQL answers a trivial query (for /healthz); false on any error. */
export async function databaseAnswers(db: Db): Promise<boolean> {
  return db.query('SELECT 1').then(() => true, () => false);
}
