import { Client } from 'pg';
import { ADMIN_URL } from './urls';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.SL_TEST_TEMPLATE;
  if (!template) return;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  await admin.end();
}
