import 'reflect-metadata';
import { Client } from 'pg';
import { createDataSource } from '../../entities/data-source';
import { ADMIN_URL, dbUrl } from './urls';

/**
 * Migrates one template database per test run; every test file then clones it
 * (CREATE DATABASE … TEMPLATE), which takes milliseconds instead of a migration.
 * The name carries the pid so concurrent runs never share a template.
 */
export default async function globalSetup(): Promise<void> {
  const template = `sl_tpl_${process.pid}`;
  process.env.SL_TEST_TEMPLATE = template;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  const db = createDataSource({ url: dbUrl(template), poolSize: 2 });
  await db.initialize();
  await db.runMigrations({ transaction: 'all' });
  await db.destroy();
}
