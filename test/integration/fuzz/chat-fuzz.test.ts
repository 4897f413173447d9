import fc from 'fast-check';
import { Redis } from 'ioredis';
import { createBot } from '../../../bots';
import { COMMANDS } from '../../../bots/commands';
import type { Bot, IncomingMessage } from '../../../src/services/inbound/bot-port';
import { createLogger } from '../../../src/lib/logger';
import { createTestDb, testPrefix, type TestDb } from '../../support/db';
import { seedRoster } from '../../support/scenarios/roster';
import { REDIS_URL } from '../../support/urls';
import { startCallbackServer, type CallbackServer } from '../../support/callback-server';
import { generateCreds, openReply, signedPost, textXml } from '../../support/wecom-callback';

/**
 * Hostile chat text: random Unicode, every command followed by garbage,
 * 10,000-character messages, emoji, SQL-looking text and control characters.
 * The chat always answers with a sendable reply (≤ 2,048 bytes) and never
 * throws; each case runs in a transaction rolled back afterwards, so the
 * database stays as seeded. Through the callback, such text never gets a 5xx.
 */

let t: TestDb;
let redis: Redis;
let bot: Bot;
let n = 0;
const now = new Date('2026-11-23T02:00:00Z');
class Rollback extends Error {}

beforeAll(async () => {
  t = await createTestDb();
  await seedRoster(t.db);
  redis = new Redis(REDIS_URL);
  bot = createBot({ redis, logger: createLogger('silent'), keyPrefix: `${testPrefix()}:` });
});
afterAll(async () => {
  redis.disconnect();
  await t.drop();
});

/** The bot's reply to one message, its writes rolled back. */
async function reply(msg: Omit<IncomingMessage, 'inboundId' | 'createTime'>): Promise<string | null> {
  let out: string | null = null;
  await t.db.transaction(async (manager) => {
    const full = { ...msg, inboundId: ++n, msgId: String(n), createTime: Math.floor(now.getTime() / 1000) } as IncomingMessage;
    out = (await bot.handle(full, { manager, now }))?.text ?? null;
    throw new Rollback();
  }).catch((e) => { if (!(e instanceof Rollback)) throw e; });
  return out;
}

const NAMES = COMMANDS.flatMap((c) => [c.name, ...c.aliases]);
const hostile = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    "'; DROP TABLE problems; --", '1 OR 1=1', "丁门村' OR '1'='1", '%_%', '\\', '$1', '${process.exit()}', '<script>alert(1)</script>',
    '签到 \u0000\u0007\u001b[31m', '走访 👨‍👩‍👧‍👦🏳️‍🌈', '\u202e村门丁 到签', '上报 \ud800', '　　签到　丁门村　', '签到\t\n\r丁门村',
  ),
  fc.string({ unit: fc.constantFrom('签', '到', '丁', '门', '村', ' ', '1', '🙂', '\n', '％'), maxLength: 50 }),
);
const commandLike = fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(' ', '', '　', ':', '：'), hostile).map(([a, s, b]) => `${a}${s}${b}`);

function sendable(text: string | null): boolean {
  return typeof text === 'string' && text.length > 0 && Buffer.byteLength(text, 'utf8') <= 2048;
}

describe('chat fuzz', () => {
  test('any text from a cadre, a leader or a stranger gets a sendable reply, never an exception', async () => {
    const sender = fc.constantFrom('zhangwei', 'liming', 'wangju', 'admin01', 'stranger');
    await fc.assert(fc.asyncProperty(sender, fc.oneof(hostile, commandLike, commandLike), async (from, content) => {
      const text = await reply({ msgType: 'text', fromUser: from, content });
      if (!sendable(text)) throw new Error(`unsendable reply ${JSON.stringify(text)} to ${JSON.stringify(content)}`);
    }), { numRuns: 1200 });
  }, 60_000);

  test('10,000-character messages of every command, and random locations, are answered', async () => {
    for (const name of [...NAMES, '']) {
      for (const filler of ['村'.repeat(10_000), '😀'.repeat(5_000), 'a '.repeat(5_000)]) {
        const content = `${name} ${filler}`.slice(0, 10_000);
        expect([name, sendable(await reply({ msgType: 'text', fromUser: 'zhangwei', content }))]).toEqual([name, true]);
      }
    }
    await fc.assert(fc.asyncProperty(fc.double(), fc.double(), async (latitude, longitude) => {
      return sendable(await reply({ msgType: 'location', fromUser: 'zhangwei', latitude, longitude, label: '' } as never));
    }), { numRuns: 200 });
  }, 60_000);

  test('the fuzzing left nothing behind, and a valid message still works', async () => {
    expect(await t.db.query('SELECT count(*)::int AS n FROM visits')).toEqual([{ n: 0 }]);
    expect(await reply({ msgType: 'text', fromUser: 'zhangwei', content: '签到 丁门村' })).toContain('已签到');
  });

  test('through the callback, hostile text is stored and answered; /healthz stays 200', async () => {
    const creds = generateCreds();
    const srv: CallbackServer = await startCallbackServer({ db: t.db, creds });
    try {
      let id = 5_000_000;
      await fc.assert(fc.asyncProperty(fc.oneof(hostile, commandLike), async (content) => {
        const res = await srv.post(signedPost(creds, textXml('zhangwei', content.replace(/]]>/g, ''), String(++id))));
        if (res.status !== 200) throw new Error(`status ${res.status} for ${JSON.stringify(content)}`);
        if (res.text) openReply(creds, res.text);
      }), { numRuns: 120 });
      expect((await srv.raw('/healthz')).status).toBe(200);
      const rows = await t.db.query(`SELECT status, count(*)::int AS n FROM inbound_messages GROUP BY status`);
      expect(rows).toEqual([{ status: 'done', n: 120 }]);
    } finally {
      await srv.close();
    }
  }, 60_000);
});
