import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { Client, type Pool } from 'pg';
import { ENTITIES } from './index';
import { MIGRATIONS } from './migrations';

export interface DataSourceOptions {
  url: string;
  poolSize?: number;
  applicationName?: string;
}

/** The one way to make a DataSource; synchronize stays off, the schema comes from migrations. */
export function createDataSource({ url, poolSize = 10, applicationName = 'shuanglian' }: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName,
    // JIT off: our heavy statements (digests, standing, console) are grouped scans
    // where compiling cost seconds and saved nothing (bench/plans).
    extra: { max: poolSize, connectionTimeoutMillis: 5000, options: '-c jit=off' },
  });
}

/**
 * The pg pool under a DataSource, for the callback's one INSERT: `db.query`
 * takes and releases a QueryRunner per call, a measurable share of that hot
 * path's CPU (bench:chat). Same connections, same settings.
 */
export function poolOf(db: DataSource): Pool {
  return (db.driver as unknown as { master: Pool }).master;
}

/** Creates the database named in the URL when it does not exist yet (fresh machines, tests). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name must be letters, digits or _: ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name}"`).catch((e: { code?: string }) => {
        if (e.code !== '42P04') throw e; // created meanwhile by another process
      });
    }
  } finally {
    await client.end();
  }
}

/** Arbitrary constant: the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK = 7_361_902_211;

/**
 * Brings the schema up to date. Several processes may start at once (server,
 * worker, CLI): a session-level advisory lock lets one migrate while the others
 * wait, then find nothing left to do.
 */
export async function migrate(db: DataSource): Promise<string[]> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const done = await db.runMigrations({ transaction: 'all' });
    return done.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

/** Connects, creating and migrating the database as needed: what every entry point calls first. */
export async function openDatabase(options: DataSourceOptions): Promise<DataSource> {
  await ensureDatabase(options.url);
  const db = createDataSource(options);
  await db.initialize();
  await migrate(db);
  return db;
}
