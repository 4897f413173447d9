import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../entities/data-source';
import { createBot } from '../../../bots';
import type { Bot } from '../../../src/services/inbound/bot-port';
import { runDigest } from '../../../jobs/digest';
import { startOutboxWorker } from '../../../jobs/outbox-worker';
import { createLogger } from '../../../src/lib/logger';
import { createOutboxDispatcher } from '../../../src/services/outbox/dispatch';
import { createWecomClient } from '../../../src/wecom/client';
import { startSimulator, type RunningSimulator } from '../../../src/demo/simulator';
import { createTestDb, testPrefix, type TestDb } from '../../support/db';
import { seedRoster } from '../../support/scenarios/roster';
import { startCallbackServer, type CallbackServer } from '../../support/callback-server';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-redis';
import { generateCreds, openReply, signedPost, textXml } from '../../support/wecom-callback';
import { until } from '../../support/until';

/**
 * Redis (a private redis-server, killed with SIGKILL) goes away while
 * messages keep arriving: every callback is still stored in PostgreSQL and
 * answered; replies that must go by outbox and a digest job run meanwhile
 * wait in PostgreSQL and go out once Redis is back (empty: its queue was
 * lost). Nothing is lost, nothing is sent twice.
 */

const logger = createLogger('silent');
const creds = generateCreds('wwredisdown00001');
const SECRET = 'redis-down-secret';
let t: TestDb;
let db: DataSource;
let r: PrivateRedis;
let sim: RunningSimulator;
let srv: CallbackServer;
let botRedis: Redis;
let clientRedis: Redis;
let dispatcher: ReturnType<typeof createOutboxDispatcher>;
let worker: { close(): Promise<void> };

beforeAll(async () => {
  t = await createTestDb();
  await seedRoster(t.db);
  r = await startPrivateRedis();
  sim = await startSimulator({ creds: { corpId: creds.corpId, secret: SECRET, agentId: 1000002 } });
  const prefix = testPrefix();
  botRedis = new Redis(r.url, { maxRetriesPerRequest: 1 });
  clientRedis = new Redis(r.url, { maxRetriesPerRequest: 1 });
  for (const c of [botRedis, clientRedis]) c.on('error', () => undefined);
  const real = createBot({ redis: botRedis, logger, keyPrefix: `${prefix}:` });
  // Every fifth message is slow: its reply misses the passive window and takes the outbox.
  const bot: Bot = {
    async handle(msg, ctx) {
      if (msg.content?.endsWith('慢')) await new Promise((res) => setTimeout(res, 2300));
      return real.handle(msg, ctx);
    },
  };
  const wecom = createWecomClient({
    config: { corpId: creds.corpId, agentId: 1000002, secret: SECRET, token: creds.token, encodingAesKey: creds.encodingAesKey, apiBase: sim.url },
    redis: clientRedis, logger, keyPrefix: `${prefix}:`, timeoutMs: 1000,
  });
  dispatcher = createOutboxDispatcher({ db: t.db, redisUrl: r.url, prefix, logger });
  worker = startOutboxWorker({
    db: t.db, redisUrl: r.url, prefix, wecom, dispatcher, logger, sweepIntervalMs: 300,
    policy: { baseBackoffMs: 50, maxBackoffMs: 500, rateLimitBackoffMs: 200 },
  });
  // The server's own pool, as large as production's: slow messages must not starve the others.
  db = createDataSource({ url: t.url, poolSize: 12 });
  await db.initialize();
  srv = await startCallbackServer({ db, creds, bot, redisUrl: r.url, dispatch: (ids) => dispatcher.dispatch(ids) });
});
afterAll(async () => {
  await r?.start(); // so the worker can close cleanly if the test stopped while Redis was down
  // At most 3 s each; the timer is cleared, or it would keep jest from exiting after the last file.
  const bounded = async (p: Promise<unknown> | undefined) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([p, new Promise((res) => { timer = setTimeout(res, 3000); })]);
    } finally {
      clearTimeout(timer);
    }
  };
  await srv?.close();
  await bounded(worker?.close());
  await bounded(dispatcher?.close());
  await db?.destroy();
  await sim?.close();
  botRedis?.disconnect();
  clientRedis?.disconnect();
  await r?.kill();
  await t.drop();
});

const message = (i: number) => textXml(['zhangwei', 'liming'][i % 2], `日记 第${i}条${i % 5 === 4 ? '慢' : ''}`, String(5_200_000 + i));

test('Redis killed mid-traffic: callbacks still stored and answered; replies and the digest go out once Redis is back', async () => {
  const up = await Promise.all(Array.from({ length: 10 }, (_, i) => srv.post(signedPost(creds, message(i)))));
  expect(up.map((a) => a.status)).toEqual(Array(10).fill(200));

  await r.kill();
  const down = await Promise.all(Array.from({ length: 30 }, (_, i) => srv.post(signedPost(creds, message(10 + i)))));
  expect(down.map((a) => a.status)).toEqual(Array(30).fill(200));
  const passive = down.filter((a) => a.text !== '').map((a) => openReply(creds, a.text));
  expect(passive.length).toBe(24); // the 6 slow ones answer empty and go by outbox
  expect(passive.every((p) => p.includes('已记录民情日记'))).toBe(true);
  const digest = await runDigest({ db: t.db, logger, dispatch: (ids) => dispatcher.dispatch(ids) }, new Date());
  expect(digest.queued).toBe(2);
  const sentWhileDown = sim.sent.length;
  await new Promise((res) => setTimeout(res, 2600)); // the slow replies commit to the outbox meanwhile
  expect(sim.sent.length).toBe(sentWhileDown);

  await r.start();
  const expected = 8 + 2; // the slow replies (2 before, 6 during) and the two leaders' digests
  await until(async () => (await t.db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE status = 'sent'`))[0].n === expected, { what: 'every outbox row sent', timeoutMs: 20_000, pollMs: 100 });

  const inbound = await t.db.query(`SELECT status, count(*)::int AS n FROM inbound_messages GROUP BY status`);
  expect(inbound).toEqual([{ status: 'done', n: 40 }]);
  const outbox = await t.db.query(`SELECT status, count(*)::int AS n FROM outbox_messages GROUP BY status`);
  expect(outbox).toEqual([{ status: 'sent', n: expected }]);
  await new Promise((res) => setTimeout(res, 500)); // a late duplicate would show up here
  const sent = sim.state.query({ api: 'message/send' });
  expect(sent).toHaveLength(expected);
  expect(await t.db.query('SELECT count(*)::int AS n FROM diary_entries')).toEqual([{ n: 40 }]);
}, 60_000);
