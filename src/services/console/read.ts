import type { DataSource, EntityManager } from 'typeorm';
import type { Db } from '../../lib/db';

/**
 * Runs console reads with PostgreSQL's JIT off. The subtree aggregates carry
 * high cost estimates (correlated EXISTS per household), which trigger JIT
 * compilation that costs several times the work itself. Transaction-local,
 * so pooled connections keep the server's defaults. SET LOCAL needs a
 * transaction: a DataSource opens one; a manager already inside one reuses it.
 */
export async function consoleRead<T>(db: Db, fn: (m: EntityManager) => Promise<T>): Promise<T> {
  const run = async (m: EntityManager) => {
    // work_mem: a county-year of visits (~170,000 rows) sorts in memory instead of spilling to disk.
    await m.query("SET LOCAL jit = off; SET LOCAL work_mem = '32MB'");
    return fn(m);
  };
  const manager = db as EntityManager;
  if (manager.queryRunner?.isTransactionActive) return run(manager);
  return db.transaction(run);
}
