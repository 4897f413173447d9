import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/lib/logger';
import { createMetrics } from '../../../src/metrics';
import { processPending } from '../../../src/services/inbound/retry';
import { startInboundWorker } from '../../../jobs/inbound-worker';
import { createTestDb, type TestDb } from '../../support/db';
import { REDIS_URL } from '../../support/urls';
import { generateCreds, openReply, recordingBot, signedPost, textXml, wecomEnv } from '../../support/wecom-callback';
import { until } from '../../support/until';

/**
 * A burst beyond CHAT_INLINE_LIMIT: the callback stores each message
 * `deferred` and answers an empty 200 at once; the inbound worker takes it from
 * PostgreSQL, processes it with the time it was received and puts the reply in
 * the outbox. Nothing is processed twice (one worker or two), nothing is left
 * behind, and a deferred message that fails backs off in the retry loop.
 */

const logger = createLogger(process.env.TEST_LOG ?? 'silent');
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
async function serve(env: Record<string, string>, bot: ReturnType<typeof recordingBot>['bot']) {
  const config = loadConfig({ ...wecomEnv(creds), ...env });
  const app = createApp({ config, db: t.db, redis, logger, metrics: createMetrics(), bot, deferInbound: true });
  const server: Server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const port = (server.address() as { port: number }).port;
  const post = async (from: string, msgId = String(7_000_000_000_000_000_000n + BigInt(++n))) => {
    const p = signedPost(creds, textXml(from, '签到 丁门村', msgId));
    const res = await fetch(`http://127.0.0.1:${port}${p.url}`, { method: 'POST', body: p.body });
    return { status: res.status, body: await res.text() };
  };
  return { post, close: async () => { server.close(); } };
}

test.each([1, 2])('a burst past the inline limit is answered at once and finished by %i worker(s), each message once', async (workers) => {
  const { bot, calls } = recordingBot(async (m) => { await sleep(30); return `已签到 ${m.fromUser}`; });
  const app = await serve({ CHAT_INLINE_LIMIT: '2' }, bot);
  // Two workers stand for two worker processes sharing the backlog (each its own runners).
  const started = Array.from({ length: workers }, () => startInboundWorker({ db: t.db, bot, logger, concurrency: 3 }));
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
    // The rows the worker took are the ones the callback marked: every one not answered passively.
    const [{ n: deferred }] = await t.db.query('SELECT count(*)::int AS n FROM inbound_messages WHERE deferred');
    expect(deferred).toBe(60 - passive.length);
  } finally {
    await app.close();
    await Promise.all(started.map((w) => w.close()));
  }
}, 30_000);

test('the worker records a deferred message at the time it was received, not when it ran', async () => {
  const seen: Date[] = [];
  const bot = { async handle(_m: unknown, ctx: { now: Date }) { seen.push(ctx.now); return { text: 'ok' }; } };
  const app = await serve({ CHAT_INLINE_LIMIT: '0' }, bot);
  try {
    const sent = Date.now();
    const r = await app.post('timed');
    expect(r).toEqual({ status: 200, body: '' });
    await sleep(700); // the worker starts late: the check-in must still carry the callback's time
    const worker = startInboundWorker({ db: t.db, bot, logger });
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

test('a deferred message that fails is left to the retry loop and its back-off, not retried by the worker at once', async () => {
  let fail = true;
  const { bot, calls } = recordingBot(() => { if (fail) throw new Error('bot down'); return '已签到'; });
  const app = await serve({ CHAT_INLINE_LIMIT: '0' }, bot);
  const worker = startInboundWorker({ db: t.db, bot, logger, idlePollMs: 20 });
  try {
    expect(await app.post('unlucky')).toEqual({ status: 200, body: '' });
    await until(async () => calls.length === 1, { what: 'the first attempt', timeoutMs: 10_000 });
    await sleep(300); // fifteen idle polls: the worker must not take the failed row again
    expect(calls).toHaveLength(1);
    expect(await t.db.query('SELECT status, attempts FROM inbound_messages')).toEqual([{ status: 'received', attempts: 1 }]);
    fail = false;
    // Not before its back-off (10 s · 2^1) …
    expect(await processPending({ db: t.db, bot, logger }, new Date(Date.now() + 5_000))).toEqual({ done: 0, retry: 0, failed: 0 });
    // … and then once, with the reply by outbox.
    expect(await processPending({ db: t.db, bot, logger }, new Date(Date.now() + 60_000))).toEqual({ done: 1, retry: 0, failed: 0 });
    expect(calls).toHaveLength(2);
    expect(await t.db.query('SELECT recipient FROM outbox_messages')).toEqual([{ recipient: 'unlucky' }]);
  } finally {
    await app.close();
    await worker.close();
  }
});

test('the worker stops promptly when idle, and takes nothing after close', async () => {
  const { bot, calls } = recordingBot(() => 'ok');
  const worker = startInboundWorker({ db: t.db, bot, logger, idlePollMs: 60_000 });
  await sleep(50);
  const t0 = Date.now();
  await worker.close();
  expect(Date.now() - t0).toBeLessThan(1_000);
  const app = await serve({ CHAT_INLINE_LIMIT: '0' }, bot);
  try {
    expect(await app.post('late')).toEqual({ status: 200, body: '' });
    await sleep(200);
    expect(calls).toHaveLength(0);
    expect(await t.db.query('SELECT status, deferred FROM inbound_messages')).toEqual([{ status: 'received', deferred: true }]);
  } finally {
    await app.close();
  }
});

test('a WeCom retry is never deferred: a reply that went back passively is repeated, even in a burst', async () => {
  const { bot, calls } = recordingBot(() => '已签到');
  const calm = await serve({ CHAT_INLINE_LIMIT: '1000' }, bot);
  const busy = await serve({ CHAT_INLINE_LIMIT: '0' }, bot);
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
