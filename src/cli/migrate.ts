import { createDataSource, ensureDatabase, migrate } from '../../entities/data-source';
import { loadCliConfig, runCli } from './common';

/**
 * `npm run db:migrate`: creates the database when missing and runs pending
 * migrations, naming each. Exit 0 / 1. The pool needs 2: one connection holds
 * the migration lock while the other migrates.
 */
async function main(): Promise<number> {
  const config = loadCliConfig();
  await ensureDatabase(config.databaseUrl);
  const db = createDataSource({ url: config.databaseUrl, poolSize: 2, applicationName: 'shuanglian-migrate' });
  await db.initialize();
  try {
    const done = await migrate(db);
    process.stdout.write(done.length > 0 ? `migrations run: ${done.join(', ')}\n` : 'database is up to date\n');
    return 0;
  } finally {
    await db.destroy();
  }
}

runCli(module, main, { describe: (e) => `migration failed: ${(e as Error).stack ?? String(e)}` });
