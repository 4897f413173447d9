import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { createBot } from '../../../bots';
import { APP_MENU } from '../../../bots/menu';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/lib/logger';
import { createMetrics } from '../../../src/metrics';
import { createWecomClient } from '../../../src/wecom/client';
import { startSimulator, type RunningSimulator } from '../../../src/demo/simulator';
import { createTestDb, testPrefix, type TestDb } from '../../support/db';
import { seedRoster, type Seeded } from '../../support/scenarios/roster';
import { REDIS_URL } from '../../support/urls';
import { generateCreds, signedPost, textXml, wecomEnv } from '../../support/wecom-callback';

/**
 * The app menu and opening the app, over the simulator: menu/create, then each
 * menu event WeCom sends (click, location_select, pic_photo_or_album) and
 * enter_agent, encrypted through /wecom/callback, answered like the typed
 * command, and recorded once however often WeCom retries.
 */

const creds = generateCreds();
let t: TestDb;
let seed: Seeded;
let sim: RunningSimulator;
let redis: Redis;
let server: Server;
let base: string;
let createTime = Math.floor(Date.now() / 1000) - 200;
let msgSeq = 7_300_000_000_000_000_000n;

beforeAll(async () => {
  t = await createTestDb();
  seed = await seedRoster(t.db);
  sim = await startSimulator({ creds: { corpId: creds.corpId, secret: 'test-secret', agentId: 1000002 } });
  const config = loadConfig({ ...wecomEnv(creds), WECOM_API_BASE: sim.url });
  redis = new Redis(REDIS_URL);
  const logger = createLogger('silent');
  const bot = createBot({ redis, logger, keyPrefix: `${testPrefix()}:` });
  server = createApp({ config, db: t.db, redis, logger, metrics: createMetrics(), bot }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sim.state.callback = { url: `${base}/wecom/callback`, token: creds.token, encodingAesKey: creds.encodingAesKey };
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await sim.close();
  redis.disconnect();
  await t.drop();
});

/** Asks the simulator to deliver an event as WeCom would; `at` replays an earlier delivery (a retry). */
async function event(userid: string, input: Record<string, unknown>, at?: number): Promise<{ createTime: number; status: number }> {
  const res = await fetch(`${sim.url}/_sim/events`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userid, ...input, createTime: at ?? ++createTime }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { createTime: number; status: number };
}

/** The reply the chat recorded for a message or event (events are answered through the outbox). */
async function replyOf(dedupKey: string): Promise<string | null> {
  for (let i = 0; i < 200; i++) {
    const rows = await t.db.query(`SELECT reply FROM inbound_messages WHERE dedup_key = $1 AND status = 'done'`, [dedupKey]);
    if (rows.length > 0) return rows[0].reply;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${dedupKey} not processed`);
}

async function say(userid: string, text: string): Promise<string | null> {
  const msgId = String(++msgSeq);
  const p = signedPost(creds, textXml(userid, text, msgId, ++createTime));
  const res = await fetch(`${base}${p.url}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: p.body });
  expect(res.status).toBe(200);
  return replyOf(msgId);
}

const outboxReplies = async (userid: string): Promise<number> =>
  Number((await t.db.query(`SELECT count(*) FROM outbox_messages WHERE recipient = $1 AND idempotency_key LIKE 'reply:%'`, [userid]))[0].count);

test('npm run wecom -- menu creates the menu WeCom then holds: 签到 picks a location, 签退 and 更多 → 进度, 问题, 拍照上报, 帮助', async () => {
  const wecom = createWecomClient({ config: loadConfig({ ...wecomEnv(creds), WECOM_API_BASE: sim.url }).wecom, redis, logger: createLogger('silent'), keyPrefix: `${testPrefix()}:menu:` });
  await wecom.createMenu(APP_MENU);
  const menu = await wecom.getMenu();
  expect(menu).toEqual([
    { type: 'location_select', name: '签到', key: 'checkin' },
    { type: 'click', name: '签退', key: 'checkout' },
    { name: '更多', sub_button: [
      { type: 'click', name: '进度', key: 'progress' },
      { type: 'click', name: '问题', key: 'problems' },
      { type: 'pic_photo_or_album', name: '拍照上报', key: 'photo' },
      { type: 'click', name: '帮助', key: 'help' },
    ] },
  ]);
});

test('签到 by the location picker checks in with the coordinates, like a shared location; a retry records nothing twice', async () => {
  const first = await event('zhangwei', { event: 'location_select', eventKey: 'checkin', location: { latitude: 34.7230, longitude: 104.8930, label: '丁门村' } });
  const key = `zhangwei:${first.createTime}:location_select:checkin`;
  expect(await replyOf(key)).toMatch(/^已按位置签到：天水市武山县鸳鸯镇丁门村\n时间：.*\n距村中心\d+米，位置已核验。\n本单位今年第1次进村/);
  await event('zhangwei', { event: 'location_select', eventKey: 'checkin', location: { latitude: 34.7230, longitude: 104.8930 } }, first.createTime);
  await event('zhangwei', { event: 'location_select', eventKey: 'checkin', location: { latitude: 34.7230, longitude: 104.8930 } }, first.createTime);
  const visits = await t.db.query('SELECT verified FROM visits WHERE cadre_id = $1', [seed.cadres.zhang]);
  expect(visits).toEqual([{ verified: true }]);
  expect(Number((await t.db.query('SELECT count(*) FROM inbound_messages WHERE dedup_key = $1', [key]))[0].count)).toBe(1);
  expect(await outboxReplies('zhangwei')).toBe(1);
});

test('签退 from the menu answers and records exactly what typing 签退 does; a retry is not a second 签退', async () => {
  const tapped = await event('zhangwei', { event: 'click', eventKey: 'checkout' });
  const reply = await replyOf(`zhangwei:${tapped.createTime}:click:checkout`);
  expect(reply).toMatch(/^已签退：天水市武山县鸳鸯镇丁门村\n签到.*，签退.*，停留.*。\n本单位今年第1次进村/);
  await event('zhangwei', { event: 'click', eventKey: 'checkout' }, tapped.createTime);
  expect(await say('zhangwei', '签退')).toBe('您当前没有未签退的签到。到村时请发送“签到 村名”。');
  const tappedAgain = await event('zhangwei', { event: 'click', eventKey: 'checkout' });
  expect(await replyOf(`zhangwei:${tappedAgain.createTime}:click:checkout`)).toBe('您当前没有未签退的签到。到村时请发送“签到 村名”。');
  expect((await t.db.query('SELECT count(*)::int AS n FROM visits WHERE cadre_id = $1 AND ended_at IS NOT NULL', [seed.cadres.zhang]))[0].n).toBe(1);
});

test('two menu taps in the same second are two acts (the event key is part of the dedup key); 进度, 问题 and 帮助 reply as typed', async () => {
  const at = ++createTime;
  await event('liming', { event: 'click', eventKey: 'progress' }, at);
  await event('liming', { event: 'click', eventKey: 'help' }, at);
  await event('liming', { event: 'click', eventKey: 'problems' }, at);
  expect(await replyOf(`liming:${at}:click:progress`)).toBe(await say('liming', '进度'));
  expect(await replyOf(`liming:${at}:click:help`)).toBe(await say('liming', '帮助'));
  expect(await replyOf(`liming:${at}:click:problems`)).toBe(await say('liming', '问题'));
  const unknown = await event('liming', { event: 'click', eventKey: 'no-such-key' });
  expect(await replyOf(`liming:${unknown.createTime}:click:no-such-key`)).toMatch(/^该菜单已更新/);
});

test('拍照上报 opens the picker only: the event answers nothing (the pictures come as image messages) and is stored once', async () => {
  const picked = await event('zhaoqiang', { event: 'pic_photo_or_album', eventKey: 'photo', pictures: 2 });
  const key = `zhaoqiang:${picked.createTime}:pic_photo_or_album:photo`;
  expect(await replyOf(key)).toBeNull();
  await event('zhaoqiang', { event: 'pic_photo_or_album', eventKey: 'photo', pictures: 2 }, picked.createTime);
  expect(Number((await t.db.query('SELECT count(*) FROM inbound_messages WHERE dedup_key = $1', [key]))[0].count)).toBe(1);
  expect(await outboxReplies('zhaoqiang')).toBe(0);
});

test('opening the app answers once a day with the open visit, what the week owes and unacknowledged notices', async () => {
  await say('sunli', '签到 甘谷县王门村');
  const opened = await event('sunli', { event: 'enter_agent' });
  const status = await replyOf(`sunli:${opened.createTime}:enter_agent`);
  expect(status).toMatch(/^孙丽，您好！今日提醒：\n· 您在天水市甘谷县大像山镇王门村的签到（.*起）尚未签退，离村时点“签退”。\n/);
  expect(status).toMatch(/· 本周应走访：陈六。/);
  await event('sunli', { event: 'enter_agent' }, opened.createTime);
  const later = await event('sunli', { event: 'enter_agent' });
  expect(await replyOf(`sunli:${later.createTime}:enter_agent`)).toBeNull();
  expect(await outboxReplies('sunli')).toBe(1);
  // Off the roster: no refusal for merely opening the app.
  const stranger = await event('nobody', { event: 'enter_agent' });
  expect(await replyOf(`nobody:${stranger.createTime}:enter_agent`)).toBeNull();
});
