import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createMetrics } from '../../src/metrics';
import { processPending } from '../../src/services/inbound-retry';
import { createInboundQueue, startInboundWorker } from '../../jobs/inbound-queue';
import { createTestDb, type TestDb } from '../helpers/db';
import { REDIS_URL } from '../helpers/urls';
import { generateCreds, openReply, recordingBot, signedPost, textXml, wecomEnv } from '../helpers/wecom-callback';
import { until } from '../helpers/until';

/**
 * A burst beyond CHAT_INLINE_LIMIT: the callback stores each message and
 * answers an empty 200 at once; the inbound worker (real BullMQ on the real
 * Redis) processes it with the time it was received and puts the reply in the
 * outbox. Nothing is processed twice, nothing is left behind, and a hand-off
 * Redis never took is finished by the retry loop.
 */

const logger = createLogger('silent');
const creds = generateCreds('wwdefertest00001');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let t: TestDb;
let redis: Redis;
let n = 0;

beforeAll(async () => {
  t = await createTestDb();
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  redis.disconnect();
  await t.drop();
});
beforeEach(async () => {
  await t.db.query('TRUNCATE inbound_messages, outbox_messages CASCADE');
});

/** The callback app with its inbound queue, listening on loopback like a server process. */
async function serve(env: Record<string, string>, bot: ReturnType<typeof recordingBot>['bot'], prefix: string, redisUrl = REDIS_URL) {
  const config = loadConfig({ ...wecomEnv(creds), ...env });
  const queue = createInboundQueue({ redisUrl, prefix, logger });
  const app = createApp({ config, db: t.db, redis, logger, metrics: createMetrics(), bot, deferInbound: queue.enqueue });
  const server: Server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const port = (server.address() as { port: number }).port;
  const post = async (from: string, msgId = String(7_000_000_000_000_000_000n + BigInt(++n))) => {
    const p = signedPost(creds, textXml(from, '签到 丁门村', msgId));
    const res = await fetch(`http://127.0.0.1:${port}${p.url}`, { method: 'POST', body: p.body });
    return { status: res.status, body: await res.text() };
  };
  return { post, close: async () => { server.close(); await queue.close(); } };
}

test('a burst past the inline limit is answered at once and finished by the worker, each message once', async () => {
  const prefix = `test-defer-${Date.now()}`;
  const { bot, calls } = recordingBot(async (m) => { await sleep(30); return `已签到 ${m.fromUser}`; });
  const app = await serve({ CHAT_INLINE_LIMIT: '2' }, bot, prefix);
  const worker = startInboundWorker({ db: t.db, bot, logger, redisUrl: REDIS_URL, prefix });
  try {
    const burst = await Promise.all(Array.from({ length: 60 }, (_, i) => app.post(`cadre${i}`)));
    expect(burst.every((r) => r.status === 200)).toBe(true);
    const passive = burst.filter((r) => r.body !== '').map((r) => openReply(creds, r.body));
    // At most the inline limit were processed inside the first callbacks; the rest were deferred.
    expect(passive.length).toBeGreaterThanOrEqual(1);
    expect(passive.length).toBeLessThan(60);

    await until(async () => (await t.db.query(`SELECT count(*)::int AS n FROM inbound_messages WHERE status = 'done'`))[0].n === 60, { what: 'every row done', timeoutMs: 15_000 });
    const rows: { from_user: string; reply: string; replies: number }[] = await t.db.query(
      `SELECT i.from_user, i.reply, (SELECT count(*)::int FROM outbox_messages o WHERE o.idempotency_key = 'reply:' || i.id) AS replies
         FROM inbound_messages i ORDER BY i.id`);
    expect(rows).toHaveLength(60);
    expect(rows.every((r) => r.reply === `已签到 ${r.from_user}`)).toBe(true);
    // Each reply goes out once: passively, or as exactly one outbox row.
    expect(rows.filter((r) => r.replies === 1)).toHaveLength(60 - passive.length);
    expect(rows.filter((r) => r.replies > 1)).toHaveLength(0);
    expect(calls).toHaveLength(60);
    expect(new Set(calls.map((c) => c.inboundId)).size).toBe(60);
  } finally {
    await app.close();
    await worker.close();
  }
}, 30_000);

test('the worker records a deferred message at the time it was received, not when it ran', async () => {
  const prefix = `test-defer-time-${Date.now()}`;
  const seen: Date[] = [];
  const bot = { async handle(_m: unknown, ctx: { now: Date }) { seen.push(ctx.now); return { text: 'ok' }; } };
  const app = await serve({ CHAT_INLINE_LIMIT: '0' }, bot, prefix);
  try {
    const sent = Date.now();
    const r = await app.post('timed');
    expect(r).toEqual({ status: 200, body: '' });
    await sleep(700); // the worker starts late: the check-in must still carry the callback's time
    const worker = startInboundWorker({ db: t.db, bot, logger, redisUrl: REDIS_URL, prefix });
    try {
      await until(async () => seen.length === 1, { what: 'the worker to process the message', timeoutMs: 15_000 });
      expect(Math.abs(seen[0].getTime() - sent)).toBeLessThan(500);
    } finally {
      await worker.close();
    }
  } finally {
    await app.close();
  }
});

test('Redis refusing the hand-off: the callback still answers, and the retry loop processes the row', async () => {
  const { bot, calls } = recordingBot(() => '已签到');
  // Nothing listens on this port: every hand-off fails at once.
  const app = await serve({ CHAT_INLINE_LIMIT: '0' }, bot, 'test-defer-down', 'redis://127.0.0.1:1');
  try {
    const r = await app.post('offline');
    expect(r).toEqual({ status: 200, body: '' });
    await sleep(100);
    expect(calls).toHaveLength(0);
    const counts = await processPending({ db: t.db, bot, logger }, new Date(Date.now() + 60_000));
    expect(counts).toEqual({ done: 1, retry: 0, failed: 0 });
    const out = await t.db.query(`SELECT recipient FROM outbox_messages`);
    expect(out).toEqual([{ recipient: 'offline' }]);
  } finally {
    await app.close();
  }
});

test('a WeCom retry is never deferred: a reply that went back passively is repeated, even in a burst', async () => {
  const { bot, calls } = recordingBot(() => '已签到');
  const calm = await serve({ CHAT_INLINE_LIMIT: '1000' }, bot, 'test-defer-retry');
  const busy = await serve({ CHAT_INLINE_LIMIT: '0' }, bot, 'test-defer-retry');
  try {
    const msgId = '7100000000000000001';
    const first = await calm.post('retried', msgId);
    expect(openReply(creds, first.body)).toContain('已签到');
    // WeCom did not see that answer and retries on another server, which defers every new message
    const again = await busy.post('retried', msgId);
    expect(again.status).toBe(200);
    expect(openReply(creds, again.body)).toContain('已签到');
    expect(calls).toHaveLength(1);
    expect(await t.db.query('SELECT count(*)::int AS n FROM outbox_messages')).toEqual([{ n: 0 }]);
  } finally {
    await calm.close();
    await busy.close();
  }
});
