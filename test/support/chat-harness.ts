import Redis from 'ioredis';
import pino from 'pino';
import { createBot } from '../../bots';
import type { IncomingMessage } from '../../src/services/inbound/bot-port';
import { createMetrics, type Metrics } from '../../src/metrics';
import { createTestDb, testPrefix, type TestDb } from './db';
import { seedRoster, type Seeded } from './scenarios/roster';
import { REDIS_URL } from './urls';

/** A seeded test database, a real Redis and the bot, driven like the callback pipeline does. */

/** "2026-11-23 09:05" in Asia/Shanghai → the instant. */
export function at(local: string): Date {
  return new Date(`${local.replace(' ', 'T')}:00+08:00`);
}

export interface Chat {
  tdb: TestDb;
  seeded: Seeded;
  redis: Redis;
  metrics: Metrics;
  say(userid: string, content: string, now: Date): Promise<string | null>;
  send(msg: Omit<IncomingMessage, 'inboundId' | 'createTime'>, now: Date): Promise<string | null>;
  close(): Promise<void>;
}

export async function startChat(): Promise<Chat> {
  const tdb = await createTestDb();
  const seeded = await seedRoster(tdb.db);
  const redis = new Redis(REDIS_URL);
  const prefix = `${testPrefix()}:`;
  const metrics = createMetrics();
  const bot = createBot({ redis, logger: pino({ level: 'silent' }), keyPrefix: prefix, metrics });
  let inboundId = 0;
  const send = async (msg: Omit<IncomingMessage, 'inboundId' | 'createTime'>, now: Date) => {
    const full: IncomingMessage = { ...msg, inboundId: ++inboundId, createTime: Math.floor(now.getTime() / 1000) };
    const reply = await tdb.db.transaction((manager) => bot.handle(full, { manager, now }));
    return reply?.text ?? null;
  };
  return {
    tdb, seeded, redis, metrics, send,
    say: (userid, content, now) => send({ msgType: 'text', fromUser: userid, content }, now),
    async close() {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      await tdb.drop();
    },
  };
}

/** A chat test file's Chat, with `q` for SQL on its database. */
export interface ChatSuite extends Chat {
  q(sql: string, params?: unknown[]): Promise<any>;
}

/**
 * Registers beforeAll/afterAll that start the chat (seeded database, Redis, bot)
 * and close it after the file; the returned object's fields are filled when the
 * suite starts, and `q` can be taken from it at once.
 */
export function useChat(): ChatSuite {
  const suite = { q: (sql: string, params: unknown[] = []) => suite.tdb.db.query(sql, params) } as ChatSuite;
  beforeAll(async () => { Object.assign(suite, await startChat()); });
  afterAll(async () => { await suite.close?.(); });
  return suite;
}
