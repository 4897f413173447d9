import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../entities/data-source';
import { createLogger } from '../../../src/lib/logger';
import { createBot } from '../../../bots';
import type { Bot } from '../../../src/services/inbound/bot-port';
import { Redis } from 'ioredis';
import { createTestDb, testPrefix, type TestDb } from '../../support/db';
import { seedRoster } from '../../support/scenarios/roster';
import { startCallbackServer, type CallbackServer } from '../../support/callback-server';
import { generateCreds, openReply, signedPost, textXml, type SignedPost } from '../../support/wecom-callback';
import { REDIS_URL } from '../../support/urls';

/**
 * WeCom retries a callback it thinks went unanswered; behind a load balancer
 * the retries land on different servers. Two app instances, each with its
 * own PostgreSQL pool and Redis connection, get every message 4 times at
 * once (2 each), each copy sent again while it is answered other than 200:
 * every message is recorded once, handled by the chat once, and its reply
 * goes out by exactly one route.
 */

const MESSAGES = 60;
let t: TestDb;
const pools: DataSource[] = [];
const servers: CallbackServer[] = [];
const redis = new Redis(REDIS_URL);
const creds = generateCreds();
const handled = new Map<number, number>();

beforeAll(async () => {
  t = await createTestDb();
  await seedRoster(t.db);
  const prefix = `${testPrefix()}:`;
  for (let i = 0; i < 2; i++) {
    const db = createDataSource({ url: t.url, poolSize: 8, applicationName: `instance-${i}` });
    await db.initialize();
    pools.push(db);
    const real = createBot({ redis, logger: createLogger('silent'), keyPrefix: prefix });
    const bot: Bot = {
      async handle(msg, ctx) {
        const reply = await real.handle(msg, ctx);
        handled.set(msg.inboundId, (handled.get(msg.inboundId) ?? 0) + 1);
        return reply;
      },
    };
    servers.push(await startCallbackServer({ db, creds, bot }));
  }
});
afterAll(async () => {
  for (const s of servers) await s.close();
  for (const p of pools) await p.destroy();
  redis.disconnect();
  await t.drop();
});

test('every message retried 4× concurrently across two servers is recorded once and answered once', async () => {
  const senders = ['zhangwei', 'liming', 'zhaoqiang', 'stranger'];
  const posts = Array.from({ length: MESSAGES }, (_, i) =>
    signedPost(creds, textXml(senders[i % senders.length], `日记 第${i}条 今天走访了农户`, String(8_000_000_000_000_000_000n + BigInt(i)))));
  // A copy answered other than 200 (a 503 when the burst kept the row from being stored in time,
  // on a busy machine) is sent again, as WeCom does, up to three times.
  const deliver = async (p: SignedPost, server: number) => {
    let answer = await servers[server].post(p);
    for (let retry = 0; answer.status !== 200 && retry < 3; retry++) answer = await servers[server].post(p);
    return answer;
  };
  const answers = await Promise.all(posts.flatMap((p) => [0, 1, 0, 1].map((s) => deliver(p, s))));

  const bad = answers.filter((a) => a.status !== 200);
  expect(bad).toEqual([]);
  const rows: { id: number; dedup_key: string; status: string; reply: string }[] =
    await t.db.query(`SELECT id, dedup_key, status, reply FROM inbound_messages ORDER BY id`);
  expect(rows).toHaveLength(MESSAGES);
  expect(rows.filter((r) => r.status !== 'done')).toEqual([]);
  // The chat ran once per message (a rolled-back run would not have committed; every id appears once).
  expect([...handled.values()].filter((n) => n !== 1)).toEqual([]);
  expect(handled.size).toBe(MESSAGES);
  expect(await t.db.query('SELECT count(*)::int AS n FROM diary_entries')).toEqual([{ n: MESSAGES * 3 / 4 }]);

  // One route per reply: passively (every answer that carries a body carries the same reply), or one outbox row.
  const outbox: { idempotency_key: string }[] = await t.db.query(`SELECT idempotency_key FROM outbox_messages`);
  for (let i = 0; i < MESSAGES; i++) {
    const row = rows.find((r) => r.dedup_key === String(8_000_000_000_000_000_000n + BigInt(i)))!;
    const mine = answers.slice(i * 4, i * 4 + 4).filter((a) => a.text !== '').map((a) => openReply(creds, a.text));
    const byOutbox = outbox.filter((o) => o.idempotency_key === `reply:${row.id}`).length;
    expect([i, byOutbox, byOutbox === 1 ? mine.length : mine.length > 0]).toEqual([i, byOutbox, byOutbox === 1 ? 0 : true]);
    for (const m of mine) expect(m).toContain(row.reply.slice(0, 20));
  }
  const lost = posts.length - rows.length;
  expect(lost).toBe(0);
}, 60_000);
