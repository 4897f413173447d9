import { Client } from 'pg';
import request from 'supertest';
import { Redis } from 'ioredis';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/lib/logger';
import { createMetrics } from '../../../src/metrics';
import { createDataSource } from '../../../entities/data-source';
import { addToOutbox, textMessage } from '../../../src/services/outbox/write';
import { MAX_ATTEMPTS, storeInbound } from '../../../src/services/inbound/messages';
import { handleInbound } from '../../../src/services/inbound/callback-path';
import { processPending, startInboundRetryLoop } from '../../../src/services/inbound/retry';
import { parseMessageXml } from '../../../src/wecom/envelope';
import type { Bot } from '../../../src/services/inbound/bot-port';
import { createTestDb, type TestDb } from '../../support/db';
import { ADMIN_URL, REDIS_URL } from '../../support/urls';
import { generateCreds, recordingBot, signedPost, textXml, wecomEnv } from '../../support/wecom-callback';

const logger = createLogger('silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let t: TestDb;
let n = 0;
const nextMsg = (from = 'zhangsan') => {
  const xml = textXml(from, '签到 丁门村', String(8_000_000_000_000_000_000n + BigInt(++n)));
  return { xml, msg: parseMessageXml(xml) };
};

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  await t.db.query('TRUNCATE inbound_messages, outbox_messages CASCADE');
});

test('over budget: empty answer at once, the reply is committed to the outbox when the chat finishes', async () => {
  const { bot, calls } = recordingBot(async () => {
    await sleep(400);
    return '签到成功';
  });
  const { xml, msg } = nextMsg();
  const started = Date.now();
  const dispatched: number[] = [];
  const dispatch = async (ids: number[]) => void dispatched.push(...ids);
  const r = await handleInbound({ db: t.db, bot, logger, dispatch }, msg, xml, { now: new Date(), budgetMs: 100 });
  expect(r.passiveReply).toBeNull();
  expect(Date.now() - started).toBeLessThan(350);
  await sleep(600);
  const [row] = await t.db.query('SELECT status, reply FROM inbound_messages WHERE id = $1', [r.inboundId]);
  expect(row).toEqual({ status: 'done', reply: '签到成功' });
  const out = await t.db.query('SELECT id, idempotency_key, recipient FROM outbox_messages');
  expect(out).toEqual([{ id: out[0].id, idempotency_key: `reply:${r.inboundId}`, recipient: 'zhangsan' }]);
  expect(dispatched).toEqual([out[0].id]); // handed to delivery after commit
  expect(calls).toHaveLength(1);
});

test('every outbox row the message wrote (a 通知, not only the reply) is handed to delivery when it commits', async () => {
  const bot: Bot = {
    async handle(_msg, { manager }) {
      await addToOutbox(manager, [textMessage('notice:test', ['lisi', 'wangwu'], '【紧急通知】明早8点前到村排查汛情')]);
      return { text: '已发出通知' };
    },
  };
  const dispatched: number[] = [];
  const dispatch = async (ids: number[]) => void dispatched.push(...ids);
  const { xml, msg } = nextMsg('zhaolei');
  const r = await handleInbound({ db: t.db, bot, logger, dispatch }, msg, xml, { now: new Date(), budgetMs: 2000 });
  expect(r.passiveReply).toBe('已发出通知'); // the reply goes back passively; the notice by the outbox
  const out = await t.db.query(`SELECT id FROM outbox_messages WHERE idempotency_key = 'notice:test'`);
  expect(dispatched).toEqual([out[0].id]);
});

test('what the bot wrote before throwing is rolled back; the fifth failure marks the row failed', async () => {
  const { bot, calls } = recordingBot((m) => {
    throw new Error(`lookup failed for inbound ${m.inboundId}`);
  });
  const writingBot = {
    async handle(m: Parameters<typeof bot.handle>[0], ctx: Parameters<typeof bot.handle>[1]) {
      await addToOutbox(ctx.manager, [textMessage(`half-done:${m.inboundId}`, 'x', 'partial')]);
      return bot.handle(m, ctx);
    },
  };
  const deps = { db: t.db, bot: writingBot, logger };
  const { xml, msg } = nextMsg('lisi');
  const now = Date.now();
  const first = await handleInbound(deps, msg, xml, { now: new Date(now) });
  expect(first.passiveReply).toBeNull();
  let later = now;
  for (let i = 2; i <= MAX_ATTEMPTS; i++) {
    later += 3_600_000;
    const counts = await processPending(deps, new Date(later));
    expect(counts).toEqual(i < MAX_ATTEMPTS ? { done: 0, retry: 1, failed: 0 } : { done: 0, retry: 0, failed: 1 });
  }
  const [row] = await t.db.query('SELECT status, attempts, error FROM inbound_messages');
  expect(row.status).toBe('failed');
  expect(row.attempts).toBe(MAX_ATTEMPTS);
  expect(row.error).toBe(`Error: lookup failed for inbound ${calls[0].inboundId}`);
  // Nothing the bot wrote survived; the sender is told once that the message failed.
  const out = await t.db.query('SELECT idempotency_key, recipient, payload FROM outbox_messages');
  expect(out).toEqual([{ idempotency_key: `reply:${calls[0].inboundId}`, recipient: 'lisi', payload: { msgtype: 'text', text: { content: expect.stringContaining('未能处理成功') } } }]);
  expect(await processPending(deps, new Date(later + 3_600_000))).toEqual({ done: 0, retry: 0, failed: 0 });
  expect(calls).toHaveLength(MAX_ATTEMPTS);
});

test('two processes draining the same backlog handle every row exactly once', async () => {
  const ids: number[] = [];
  for (let i = 0; i < 40; i++) {
    const { xml, msg } = nextMsg(`u${i}`);
    ids.push((await storeInbound(t.db, msg, xml, new Date(Date.now() - 60_000))).id);
  }
  const other = createDataSource({ url: t.url, poolSize: 3 });
  await other.initialize();
  try {
    const { bot, calls } = recordingBot(async (m) => {
      await sleep(5);
      return `回复 ${m.inboundId}`;
    });
    const [a, b] = await Promise.all([
      processPending({ db: t.db, bot, logger }, new Date()),
      processPending({ db: other, bot, logger }, new Date()),
    ]);
    expect(a.done + b.done).toBe(40);
    expect(new Set(calls.map((c) => c.inboundId)).size).toBe(40);
    expect(calls).toHaveLength(40);
    const out = await t.db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE idempotency_key LIKE 'reply:%'`);
    expect(out[0].n).toBe(40);
  } finally {
    await other.destroy();
  }
});

test('the retry loop runs processPending until stopped', async () => {
  const { xml, msg } = nextMsg('wangwu');
  await storeInbound(t.db, msg, xml, new Date(Date.now() - 60_000));
  const { bot, calls } = recordingBot(() => '好的');
  const loop = startInboundRetryLoop({ db: t.db, bot, logger }, { intervalMs: 20 });
  for (let i = 0; i < 100 && calls.length === 0; i++) await sleep(20);
  await loop.stop();
  expect(calls).toHaveLength(1);
  expect((await t.db.query(`SELECT status FROM inbound_messages`))[0].status).toBe('done');
});

test('PostgreSQL gone: the callback answers 503 quickly, so WeCom retries', async () => {
  const dead = await createTestDb();
  const creds = generateCreds();
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  const { bot, calls } = recordingBot(() => 'x');
  const app = createApp({ config: loadConfig(wecomEnv(creds)), db: dead.db, redis, logger, metrics: createMetrics(), bot });
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE ${dead.name} WITH (FORCE)`);
    const p = signedPost(creds, nextMsg().xml);
    const started = Date.now();
    const res = await request(app.callback()).post(p.url).type('text/xml').send(p.body);
    expect(res.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(calls).toHaveLength(0);
  } finally {
    await admin.end();
    redis.disconnect();
    await dead.db.destroy().catch(() => undefined);
  }
});
