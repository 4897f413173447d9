import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../entities/data-source';
import { ADMIN_URL, dbUrl } from './urls';

export interface TestDb {
  db: DataSource;
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDb(): Promise<TestDb> {
  const template = process.env.SL_TEST_TEMPLATE;
  if (!template) throw new Error('SL_TEST_TEMPLATE is not set: run the tests through jest');
  const name = `sl_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const url = dbUrl(name);
  const db = createDataSource({ url, poolSize: 5 });
  await db.initialize();
  return {
    db,
    url,
    name,
    async drop() {
      if (db.isInitialized) await db.destroy();
      const c = new Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A key prefix of its own for one test file's Redis keys and BullMQ queues. */
export function testPrefix(): string {
  return `sltest:${randomBytes(4).toString('hex')}`;
}
