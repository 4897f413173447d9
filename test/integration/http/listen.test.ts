import { networkInterfaces } from 'node:os';
import { createTestDb, type TestDb } from '../../support/db';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-redis';
import { buildServer, freePort, startServerProcess, type ServerProcess } from '../../support/built-server';
import { launchChromium } from '../../support/browser';

/**
 * The real server process in demo mode, where anyone who reaches it can act
 * as anyone: it listens on loopback unless HOST says otherwise, and its
 * start-up lines say where it listens and print the demo's pages as plain
 * lines, the first of which opens in a browser on the page that links the rest.
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

test('demo mode prints its pages as plain lines, and the first one opens the page that links the others', async () => {
  const port = await freePort();
  proc = await startServerProcess(mainJs, { DATABASE_URL: t.url, REDIS_URL: redis.url, LOG_LEVEL: 'info' }, port);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !proc.output().includes('/admin/queues'); i++) await new Promise((r) => setTimeout(r, 100));
  // Whole lines of their own, between pino's JSON lines.
  const lines = proc.output().split('\n').filter((l) => l.startsWith('双联助手 demo: '));
  expect(lines).toEqual([
    `双联助手 demo: ${base}/  首页`,
    `双联助手 demo: ${base}/demo  模拟企业微信聊天`,
    `双联助手 demo: ${base}/console  控制台`,
    `双联助手 demo: ${base}/h5/checkin  H5签到`,
    `双联助手 demo: ${base}/admin/queues?token=demo-admin-token  任务面板（链接已带演示管理令牌 demo-admin-token。）`,
  ]);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(lines[0].split(' ')[2]);
    const links = page.locator('[data-testid=home-link]');
    await expect(links.allTextContents()).resolves.toEqual(['模拟企业微信聊天', '控制台', 'H5签到', '任务面板']);
    await links.filter({ hasText: '模拟企业微信聊天' }).click();
    await page.waitForURL(`${base}/demo`);
    // The demo roster was loaded at start-up: the picker lists its people.
    await page.locator('[data-testid=person] option[value=wangjian]').waitFor({ state: 'attached' });
  } finally {
    await browser.close();
  }
  await proc.kill();
  proc = undefined;
}, 120_000);
