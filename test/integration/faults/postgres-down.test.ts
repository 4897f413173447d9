import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../entities/data-source';
import { createTestDb, type TestDb } from '../../support/db';
import { seedRoster } from '../../support/scenarios/roster';
import { startCallbackServer, type CallbackServer } from '../../support/callback-server';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy';
import { generateCreds, signedPost, textXml } from '../../support/wecom-callback';

/**
 * PostgreSQL unreachable (its connections reset, new ones refused, through a
 * proxy in front of the shared server): the callback answers non-200 within
 * seconds so WeCom retries, /healthz says so, nothing is half-written; when
 * PostgreSQL is back, the same server (no restart) takes WeCom's retries and
 * every message is recorded exactly once.
 */

let t: TestDb;
let proxy: TcpProxy;
let db: DataSource;
let srv: CallbackServer;
const creds = generateCreds();

beforeAll(async () => {
  t = await createTestDb();
  await seedRoster(t.db);
  proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
  const url = new URL(t.url);
  url.host = `127.0.0.1:${proxy.port}`;
  db = createDataSource({ url: url.toString(), poolSize: 4 });
  await db.initialize();
  srv = await startCallbackServer({ db, creds });
});
afterAll(async () => {
  await srv.close();
  await proxy.close();
  await db.destroy().catch(() => undefined);
  await t.drop();
});

const post = (i: number) => signedPost(creds, textXml('zhangwei', `日记 第${i}条`, String(6_100_000 + i)));

test('PostgreSQL down: quick non-200s, nothing half-written; back up: the retries are recorded exactly once', async () => {
  const before = await Promise.all(Array.from({ length: 5 }, (_, i) => srv.post(post(i))));
  expect(before.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);

  await proxy.cut();
  const started = Date.now();
  const during = await Promise.all(Array.from({ length: 10 }, (_, i) => srv.post(post(5 + i))));
  const elapsed = Date.now() - started;
  expect(during.map((r) => r.status).filter((s) => s === 200)).toEqual([]);
  expect(during.every((r) => r.status === 503)).toBe(true);
  expect(elapsed).toBeLessThan(4000); // WeCom waits 5 s
  expect((await srv.raw('/healthz')).status).toBe(503);

  await proxy.restore();
  // WeCom retries what it saw fail; the server recovers without a restart.
  const retried = await Promise.all(Array.from({ length: 15 }, (_, i) => srv.post(post(i))));
  expect(retried.map((r) => r.status)).toEqual(Array(15).fill(200));
  expect((await srv.raw('/healthz')).status).toBe(200);

  const rows: { status: string; n: number }[] = await t.db.query(
    `SELECT status, count(*)::int AS n FROM inbound_messages GROUP BY status`);
  expect(rows).toEqual([{ status: 'done', n: 15 }]);
  expect(await t.db.query(`SELECT count(DISTINCT content)::int AS n, count(*)::int AS total FROM diary_entries`)).toEqual([{ n: 15, total: 15 }]);
}, 40_000);
