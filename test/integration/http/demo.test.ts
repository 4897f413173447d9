import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { chromium, type Browser } from 'playwright-core';
import request from 'supertest';
import { createApp } from '../../../src/app';
import { loadConfig, SIMULATOR_MOUNT, type Config } from '../../../src/config';
import { createLogger } from '../../../src/lib/logger';
import { createMetrics } from '../../../src/metrics';
import { createBot } from '../../../bots';
import { addToOutbox, textMessage } from '../../../src/services/outbox/write';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../../src/services/outbox/dispatch';
import { createWecomClient } from '../../../src/wecom/client';
import { demoSimulator } from '../../../src/demo/simulator/demo';
import type { SimulatorState } from '../../../src/demo/simulator';
import { startOutboxWorker } from '../../../jobs/outbox-worker';
import { createTestDb, testPrefix, type TestDb } from '../../support/db';
import { seedRoster } from '../../support/scenarios/roster';

/**
 * Demo mode end to end: the app with the simulator mounted, the outbox worker
 * reaching it over HTTP at config.wecom.apiBase, and the /demo page in chromium.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const logger = createLogger('silent');
let t: TestDb;
let redis: Redis;
let server: Server;
let base: string;
let config: Config;
let dispatcher: OutboxDispatcher;
let worker: { close(): Promise<void> };
let sim: SimulatorState;

beforeAll(async () => {
  t = await createTestDb();
  await seedRoster(t.db);
  redis = new Redis('redis://127.0.0.1:6379');
  const prefix = testPrefix();
  config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: t.url });
  expect(config.demo).toBe(true);
  const bot = createBot({ redis, logger, keyPrefix: `${prefix}:` });
  dispatcher = createOutboxDispatcher({ db: t.db, redisUrl: 'redis://127.0.0.1:6379', prefix, logger });
  const app = createApp({
    config, db: t.db, redis, logger, metrics: createMetrics(), bot,
    dispatch: dispatcher.dispatch, simulator: (sim = demoSimulator(t.db, config.wecom)),
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config.wecom.apiBase = `${base}${SIMULATOR_MOUNT}`;
  worker = startOutboxWorker({
    db: t.db, redisUrl: 'redis://127.0.0.1:6379', prefix, dispatcher, logger, sweepIntervalMs: 500,
    wecom: createWecomClient({ config: config.wecom, redis, logger, keyPrefix: `${prefix}:` }),
  });
});

afterAll(async () => {
  await worker.close();
  await dispatcher.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  redis.disconnect();
  await t.drop();
});

test('a message typed on /demo goes encrypted through /wecom/callback and the reply comes back', async () => {
  const people = await request(base).get('/demo/api/people').expect(200);
  const zhang = people.body.people.find((p: { userid: string }) => p.userid === 'zhangwei');
  expect(zhang).toMatchObject({ name: '张伟', role: '干部', unit: expect.any(String) });
  expect(people.body.people.some((p: { userid: string }) => p.userid === 'gone01')).toBe(false);
  const r = await request(base).post('/demo/api/send').send({ userid: 'zhangwei', message: { kind: 'text', content: '帮助' } }).expect(200);
  expect(typeof r.body.reply).toBe('string');
  expect(r.body.reply.length).toBeGreaterThan(0);
  const [stored] = await t.db.query(`SELECT from_user, msg_type FROM inbound_messages ORDER BY id DESC LIMIT 1`);
  expect(stored).toEqual({ from_user: 'zhangwei', msg_type: 'text' });
  await request(base).post('/demo/api/send').send({ userid: '', message: { kind: 'text', content: '' } }).expect(400);
});

test('messages sent through the outbox reach the mounted simulator and show on the page feed', async () => {
  const ids = await t.db.transaction((m) => addToOutbox(m, [
    textMessage('demo:push:1', 'zhangwei', '今晚八点前请完成走访记录'),
    textMessage('demo:push:ghost', 'not-on-roster', '无人'),
  ]));
  const [{ id: groupId }] = await t.db.query(`SELECT id FROM groups LIMIT 1`);
  const robotIds = await t.db.transaction((m) => addToOutbox(m, [
    { key: 'demo:robot:1', channel: 'robot', to: String(groupId), payload: { msgtype: 'text', text: { content: '重阳节慰问提醒' } } },
  ]));
  await dispatcher.dispatch([...ids, ...robotIds]);
  let feed: { text: string; via: string; group?: string }[] = [];
  for (let i = 0; i < 100 && feed.length < 2; i++) {
    feed = (await request(base).get('/demo/api/messages?userid=zhangwei&since=0').expect(200)).body.messages;
    if (feed.length < 2) await new Promise((r) => setTimeout(r, 100));
  }
  expect(feed).toEqual(expect.arrayContaining([
    expect.objectContaining({ via: 'app', text: '今晚八点前请完成走访记录' }),
    expect.objectContaining({ via: 'robot', group: '武山县双联工作群', text: '重阳节慰问提醒' }),
  ]));
  expect(JSON.stringify(feed)).not.toContain('robot-key-wushan');
  const [ghost] = await t.db.query(`SELECT status, last_error FROM outbox_messages WHERE idempotency_key = 'demo:push:ghost'`);
  for (let i = 0; i < 50 && ghost.status !== 'failed'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    Object.assign(ghost, (await t.db.query(`SELECT status, last_error FROM outbox_messages WHERE idempotency_key = 'demo:push:ghost'`))[0]);
  }
  expect(ghost).toMatchObject({ status: 'failed', last_error: expect.stringContaining('81013') });
});

test('an uploaded picture becomes simulator media and an image message to the callback', async () => {
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
  await request(base).post('/demo/api/send')
    .send({ userid: 'zhangwei', message: { kind: 'image', dataUrl: `data:image/png;base64,${png}` } }).expect(200);
  const [row] = await t.db.query(`SELECT msg_type FROM inbound_messages ORDER BY id DESC LIMIT 1`);
  expect(row.msg_type).toBe('image');
  const media = [...sim.media.values()];
  expect(media).toHaveLength(1);
  expect(media[0].data.equals(Buffer.from(png, 'base64'))).toBe(true);
  await request(base).post('/demo/api/send')
    .send({ userid: 'zhangwei', message: { kind: 'image', dataUrl: 'data:text/html;base64,PGI+' } }).expect(400);
});

test('outside demo mode /demo and the simulator do not exist', async () => {
  const real = loadConfig({
    PORT: '0', LOG_LEVEL: 'silent', WECOM_CORP_ID: 'wwreal', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 's',
    WECOM_TOKEN: 'tok', WECOM_ENCODING_AES_KEY: 'a'.repeat(43), ADMIN_TOKEN: 'admin-token-1', PUBLIC_URL: 'https://sl.example.gov.cn',
  });
  const app = createApp({ config: real, db: t.db, redis, logger, metrics: createMetrics(), bot: { handle: async () => null } });
  await request(app.callback()).get('/demo').expect(404);
  await request(app.callback()).get(`${SIMULATOR_MOUNT}/cgi-bin/gettoken`).expect(404);
});

const browserTest = existsSync(CHROMIUM) ? test : test.skip;
if (!existsSync(CHROMIUM)) console.warn(`${CHROMIUM} is absent: the /demo browser test is skipped`);

browserTest('in chromium: pick a cadre, type 帮助, see the reply', async () => {
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(`${base}/demo`);
    await page.waitForSelector('[data-testid=person] option[value=zhangwei]', { state: 'attached' });
    await page.selectOption('[data-testid=person]', 'zhangwei');
    await page.fill('[data-testid=text]', '帮助');
    await page.click('[data-testid=send]');
    await page.waitForSelector('.msg.bot >> text=回复', { timeout: 15_000 });
    expect(await page.locator('.msg.me').allTextContents()).toEqual(['帮助']);
    const replies = (await page.locator('.msg.bot').allTextContents()).filter((x) => x.startsWith('回复'));
    expect(replies).toHaveLength(1);
    expect(replies[0].length).toBeGreaterThan(4);
  } finally {
    await browser?.close();
  }
}, 60_000);
