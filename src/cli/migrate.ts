import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config';
import { createDataSource, ensureDatabase, migrate } from '../../entities/data-source';

/** `npm run db:migrate`: creates the database when missing and runs pending migrations. Exit 0 / 1. The pool needs 2: one connection holds the migration lock while the other migrates. */
async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) process.stderr.write(`config error: ${p}\n`);
    return 1;
  }
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

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`migration failed: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
