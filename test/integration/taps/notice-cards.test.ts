import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { createBot } from '../../../bots';
import { deliverOutboxRow, type DeliverDeps } from '../../../jobs/outbox-deliver';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/lib/logger';
import { createMetrics } from '../../../src/metrics';
import { createWecomClient } from '../../../src/wecom/client';
import { createRateLimiter } from '../../../src/wecom/rate-limit';
import { startSimulator, type RunningSimulator } from '../../../src/demo/simulator';
import { createTestDb, testPrefix, type TestDb } from '../../support/db';
import { seedRoster, type Seeded } from '../../support/scenarios/roster';
import { REDIS_URL } from '../../support/urls';
import { generateCreds, signedPost, textXml, wecomEnv } from '../../support/wecom-callback';

/**
 * 通知 as button cards, over the simulator: the card WeCom receives, a tap on
 * 收到 (template_card_event) acknowledging like typing 收到, the card's button
 * turned into 已确认 through a response code after a tap and after a typed
 * 收到, codes used once and expiring, and the text a card becomes when WeCom
 * refuses the card type, from the same outbox row.
 */

const creds = generateCreds();
let t: TestDb;
let seed: Seeded;
let sim: RunningSimulator;
let redis: Redis;
let server: Server;
let base: string;
let deliver: DeliverDeps;
let createTime = Math.floor(Date.now() / 1000) - 200;
let msgSeq = 7_400_000_000_000_000_000n;
const CONTENT = '明早8点前到村排查汛情';

beforeAll(async () => {
  t = await createTestDb();
  seed = await seedRoster(t.db);
  sim = await startSimulator({ creds: { corpId: creds.corpId, secret: 'test-secret', agentId: 1000002 } });
  const config = loadConfig({ ...wecomEnv(creds), WECOM_API_BASE: sim.url });
  redis = new Redis(REDIS_URL);
  const logger = createLogger('silent');
  const prefix = `${testPrefix()}:`;
  server = createApp({ config, db: t.db, redis, logger, metrics: createMetrics(), bot: createBot({ redis, logger, keyPrefix: prefix }) })
    .listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sim.state.callback = { url: `${base}/wecom/callback`, token: creds.token, encodingAesKey: creds.encodingAesKey };
  deliver = {
    db: t.db, logger, limiter: createRateLimiter(redis, prefix),
    wecom: createWecomClient({ config: config.wecom, redis, logger, keyPrefix: prefix }),
  };
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await sim.close();
  redis.disconnect();
  await t.drop();
});

async function replyOf(dedupKey: string): Promise<string | null> {
  for (let i = 0; i < 200; i++) {
    const failed = await t.db.query(`SELECT error FROM inbound_messages WHERE dedup_key = $1 AND error IS NOT NULL`, [dedupKey]);
    if (failed.length > 0) throw new Error(`${dedupKey} failed: ${failed[0].error}`);
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

async function tap(userid: string, taskId: string, replay?: { createTime: number; responseCode: string }) {
  const res = await fetch(`${sim.url}/_sim/events`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      userid, event: 'template_card_event', eventKey: 'ack', taskId, cardType: 'button_interaction',
      createTime: replay?.createTime ?? ++createTime, responseCode: replay?.responseCode,
    }),
  });
  const d = (await res.json()) as { createTime: number; responseCode: string };
  return { ...d, reply: await replyOf(`${userid}:${d.createTime}:template_card_event:ack:${taskId}`) };
}

/** Delivers every row waiting in the outbox, as the outbox worker would. */
async function deliverAll(): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const rows: { id: number }[] = await t.db.query(`SELECT id FROM outbox_messages WHERE status IN ('pending', 'queued') ORDER BY id`);
    if (rows.length === 0) return;
    for (const r of rows) await deliverOutboxRow(deliver, r.id, new Date());
  }
}

const button = (taskId: string, userid: string) => sim.state.buttonOf(taskId, userid);
let noticeId: number;
let taskId: string;

test('a 通知 reaches each cadre as a button card (title, scope, kind, text, sender, deadline, 收到); the send keeps its response code', async () => {
  expect(await say('wangju', `通知 武山县 ${CONTENT}`)).toMatch(/^已向天水市武山县发出/);
  await deliverAll();
  [{ id: noticeId }] = await t.db.query('SELECT id FROM notices ORDER BY id DESC LIMIT 1');
  taskId = `notice-${noticeId}-1`;
  const cards = sim.state.query({ api: 'message/send' }).filter((s) => s.msgtype === 'template_card');
  expect(cards).toHaveLength(1);
  expect(cards[0].touser.sort()).toEqual(['liming', 'zhangwei', 'zhaoqiang']);
  const card = cards[0].body;
  expect(card).toMatchObject({
    card_type: 'button_interaction', task_id: taskId, sub_title_text: CONTENT,
    main_title: { title: '【紧急通知】' },
    button_list: [{ text: '收到', key: 'ack', style: 1 }],
  });
  expect(card).not.toHaveProperty('fallback');
  expect((card.horizontal_content_list as { keyname: string; value: string }[]).map((f) => f.keyname)).toEqual(
    expect.arrayContaining(['发送人', '范围']));
  expect(card.horizontal_content_list).toEqual(expect.arrayContaining([{ keyname: '发送人', value: '王局长' }, { keyname: '范围', value: '天水市武山县' }]));
  const [row] = await t.db.query(`SELECT response_code FROM outbox_messages WHERE idempotency_key = $1`, [`notice:${noticeId}`]);
  expect(row.response_code).toMatch(/^RC/);
});

test('a tap on 收到 acknowledges like typing it and turns the button into 已确认 with the time; a retry does neither twice', async () => {
  const first = await tap('zhangwei', taskId);
  expect(first.reply).toBe(`已确认收到王局长的通知：“${CONTENT}”`);
  await tap('zhangwei', taskId, first);
  await tap('zhangwei', taskId, first);
  await deliverAll();
  expect(button(taskId, 'zhangwei')).toMatch(/^已确认 \d+月\d+日 \d\d:\d\d$/);
  expect(button(taskId, 'liming')).toBeUndefined();
  const [ack] = await t.db.query('SELECT acked_at FROM notice_recipients WHERE notice_id = $1 AND cadre_id = $2', [noticeId, seed.cadres.zhang]);
  expect(ack.acked_at).not.toBeNull();
  expect((await t.db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE channel = 'card'`))[0].n).toBe(1);
  expect((await t.db.query(`SELECT count(*)::int AS n FROM inbound_messages WHERE msg_type = 'event' AND from_user = 'zhangwei'`))[0].n).toBe(1);
  // Tapping again later: already acknowledged, and said so.
  expect((await tap('zhangwei', taskId)).reply).toMatch(/^您已于.*确认收到该通知，无需重复确认。$/);
});

test('typing 收到 also updates the card while the send\'s response code is unused; the next one typed cannot, the ack is recorded anyway', async () => {
  expect(await say('liming', '收到')).toBe(`已确认收到王局长的通知：“${CONTENT}”`);
  await deliverAll();
  expect(button(taskId, 'liming')).toMatch(/^已确认 /);
  const [row] = await t.db.query(`SELECT response_code_used_at FROM outbox_messages WHERE idempotency_key = $1`, [`notice:${noticeId}`]);
  expect(row.response_code_used_at).not.toBeNull();

  expect(await say('zhaoqiang', '收到')).toBe(`已确认收到王局长的通知：“${CONTENT}”`);
  await deliverAll();
  expect(button(taskId, 'zhaoqiang')).toBeUndefined();
  expect((await t.db.query(`SELECT count(*)::int AS n FROM notice_recipients WHERE notice_id = $1 AND acked_at IS NOT NULL`, [noticeId]))[0].n).toBe(3);
  // A tap on that card later still turns its button, with the tap's own code.
  await tap('zhaoqiang', taskId);
  await deliverAll();
  expect(button(taskId, 'zhaoqiang')).toMatch(/^已确认 /);
  expect((await t.db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE channel = 'card' AND status <> 'sent'`))[0].n).toBe(0);
});

test('the simulator takes a response code once and not after it expires', async () => {
  const post = (code: string) => deliver.wecom.updateTemplateCard(['zhangwei'], { response_code: code, button: { replace_name: '已确认' } });
  const code = sim.state.issueResponseCode('task-x', ['zhangwei'], Date.now());
  await post(code);
  await expect(post(code)).rejects.toMatchObject({ errcode: 40035 });
  const old = sim.state.issueResponseCode('task-y', ['zhangwei'], Date.now() - 25 * 3600_000);
  await expect(post(old)).rejects.toMatchObject({ errcode: 40035 });
});

test('when WeCom refuses the card type, the notice goes again as text from the same outbox row: one message each', async () => {
  const before = sim.state.query({ touser: 'zhangwei' }).length;
  sim.faults.add({ api: 'message/send', kind: 'errcode', errcode: 40008, count: 1 });
  expect(await say('wangju', '通知 武山县 今晚8点开会')).toMatch(/^已向天水市武山县发出/);
  await deliverAll();
  const got = sim.state.query({ touser: 'zhangwei' }).slice(before);
  expect(got.map((s) => s.msgtype)).toEqual(['text']);
  expect(String(got[0].body.content)).toMatch(/今晚8点开会\n——王局长\n请回复“收到”确认。$/);
  const [{ id }] = await t.db.query('SELECT id FROM notices ORDER BY id DESC LIMIT 1');
  const rows = await t.db.query(`SELECT status, payload->>'msgtype' AS msgtype, last_error FROM outbox_messages WHERE idempotency_key = $1`, [`notice:${id}`]);
  expect(rows).toEqual([{ status: 'sent', msgtype: 'text', last_error: null }]);
});
