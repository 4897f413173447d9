import { networkInterfaces } from 'node:os';
import { createTestDb, type TestDb } from '../../support/db';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-redis';
import { buildServer, freePort, startServerProcess, type ServerProcess } from '../../support/built-server';

/**
 * The real server process in demo mode, where anyone who reaches it can act
 * as anyone: it listens on loopback unless HOST says otherwise, and its
 * start-up lines say where it listens.
 */

let t: TestDb;
let redis: PrivateRedis;
let mainJs: string;
let proc: ServerProcess | undefined;

beforeAll(async () => {
  [mainJs, t, redis] = await Promise.all([buildServer(), createTestDb(), startPrivateRedis()]);
}, 180_000);
afterAll(async () => {
  await proc?.kill();
  await redis?.kill();
  await t?.drop();
});

/** An address of this machine other than loopback, if it has one. */
const outside = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

const answers = (host: string, port: number) =>
  fetch(`http://${host}:${port}/healthz`, { signal: AbortSignal.timeout(3000) }).then((r) => r.status, () => 'refused');

test('demo mode listens on 127.0.0.1 by default, and says so', async () => {
  const port = await freePort();
  proc = await startServerProcess(mainJs, { DATABASE_URL: t.url, REDIS_URL: redis.url, LOG_LEVEL: 'info' }, port);
  expect(proc.output()).toContain(`listening on 127.0.0.1:${port}`);
  expect(proc.output()).toMatch(/demo mode: .*listening on 127\.0\.0\.1, open to this machine only/);
  expect(await answers('127.0.0.1', port)).toBe(200);
  if (outside) expect(await answers(outside, port)).toBe('refused');
  await proc.kill();
  proc = undefined;
}, 120_000);
