import { Redis } from 'ioredis';
import { createBot } from '../../../bots';
import type { Bot } from '../../../src/services/inbound/bot-port';
import { createTestDb, testPrefix, type TestDb } from '../../support/db';
import { seedRoster, type Seeded } from '../../support/scenarios/roster';
import { captureLog, type CapturedLog } from '../../support/log-capture';
import { REDIS_URL } from '../../support/urls';

/**
 * Who may do what in chat, table-driven: every command from strangers,
 * deactivated people, cadres, 队员, 队长, township and county leaders, a
 * leader of another city and the admin. Refusals write nothing and are logged.
 */

const NOT_ON_ROSTER = '您好，您不在双联花名册中（或已停用），暂时无法使用双联助手。如有疑问请联系本单位双联办。';
const LEADERS_ONLY = (name: string) => `“${name}”仅限领导使用。发送“帮助”查看您可以使用的指令。`;
const NOT_YOURS = '只有上报人、责任人或管辖该村的领导可以销号 W2026-0001。';
const OUTSIDE = (what: string, scope: string) => `“${what}”不在您的管辖范围（${scope}）内。`;

/** One message of every command (and alias-free form). */
const EVERY_COMMAND = [
  '签到 丁门村', '签退', '走访 张三 谈心', '上报 丁门村 水窖渗漏', '销号 W2026-0001 已修复', '附图 W2026-0001', '问题',
  '日记 今天走访了三户', '进度', '收到', '撤销', '日报', '统计 武山县', '通知 武山县 明早开会', '帮助',
];
const RECORD_TABLES = ['visits', 'household_visits', 'diary_entries', 'problems', 'problem_events', 'notices', 'notice_recipients', 'photos'];

let t: TestDb;
let seeded: Seeded;
let redis: Redis;
let bot: Bot;
let log: CapturedLog;
let msgId = 0;
const now = new Date('2026-11-23T02:00:00Z'); // 10:00 in Shanghai

async function say(userid: string, content: string): Promise<string | null> {
  const msg = { msgType: 'text' as const, fromUser: userid, content, inboundId: ++msgId, msgId: String(msgId), createTime: Math.floor(now.getTime() / 1000) };
  return (await t.db.transaction((manager) => bot.handle(msg, { manager, now })))?.text ?? null;
}

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of RECORD_TABLES) out[table] = (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  return out;
}

beforeAll(async () => {
  t = await createTestDb();
  seeded = await seedRoster(t.db);
  await t.db.query(`INSERT INTO cadres (userid, name, role, scope_region_id) VALUES ('yyleader', '鸳鸯镇长', '领导', $1)`, [seeded.regions.yuanyang]);
  redis = new Redis(REDIS_URL);
  log = captureLog('info');
  bot = createBot({ redis, logger: log.logger, keyPrefix: `${testPrefix()}:` });
  expect(await say('zhangwei', '上报 丁门村 村道塌方需修复')).toContain('已登记问题 W2026-0001');
});
afterAll(async () => {
  redis.disconnect();
  await t.drop();
});

describe('chat authorization', () => {
  test('strangers and deactivated cadres get the roster refusal for every command, nothing is written, each is logged', async () => {
    const before = await counts();
    log.clear();
    for (const who of ['stranger', 'gone01', 'robert\'); DROP TABLE cadres;--']) {
      for (const text of EVERY_COMMAND) expect([who, text, await say(who, text)]).toEqual([who, text, NOT_ON_ROSTER]);
    }
    expect(await counts()).toEqual(before);
    expect(log.lines('message from a sender not on the roster')).toHaveLength(3 * EVERY_COMMAND.length);
  });

  test.each([['zhangwei'], ['liming'], ['zhaoqiang']])('%s (干部/队员/队长) may not use the leaders\' commands', async (who) => {
    const before = await counts();
    log.clear();
    expect(await say(who, '日报')).toBe(LEADERS_ONLY('日报'));
    expect(await say(who, '统计 武山县')).toBe(LEADERS_ONLY('统计'));
    expect(await say(who, '通知 武山县 明早开会')).toBe(LEADERS_ONLY('通知'));
    expect(await counts()).toEqual(before);
    expect(log.lines('command denied: leaders only').map((l) => [l.userId, l.command])).toEqual([[who, '日报'], [who, '统计'], [who, '通知']]);
  });

  test.each([
    ['lzlead', '统计 武山县', OUTSIDE('武山县', '兰州市')],
    ['lzlead', '通知 武山县 明早开会', OUTSIDE('武山县', '兰州市')],
    ['lzlead', '日报 武山县', OUTSIDE('武山县', '兰州市')],
    ['wangju', '统计 兰州市', OUTSIDE('兰州市', '天水市武山县')],
    ['wangju', '通知 甘谷县 明早开会', OUTSIDE('甘谷县', '天水市武山县')],
    ['yyleader', '统计 洛门镇', OUTSIDE('洛门镇', '天水市武山县鸳鸯镇')],
    ['yyleader', '通知 武山县 明早开会', OUTSIDE('武山县', '天水市武山县鸳鸯镇')],
  ])('leader %s: "%s" outside their scope is refused', async (who, text, reply) => {
    const before = await counts();
    log.clear();
    expect(await say(who, text)).toBe(reply);
    expect(await counts()).toEqual(before);
    expect(log.lines('command refused')).toHaveLength(1);
  });

  test('销号 of someone else\'s problem is refused for other cadres, the 队长, 队员 and other cities\' leaders', async () => {
    const before = await counts();
    log.clear();
    for (const who of ['sunli', 'liming', 'zhaoqiang', 'lzlead']) {
      expect([who, await say(who, '销号 W2026-0001 已修复')]).toEqual([who, NOT_YOURS]);
    }
    expect(await counts()).toEqual(before);
    expect(log.lines('command denied: not the problem\'s reporter, owner or leader').map((l) => l.userId))
      .toEqual(['sunli', 'liming', 'zhaoqiang', 'lzlead']);
    // 撤销 by others touches only their own records: the problem stays.
    for (const who of ['sunli', 'wangju', 'admin01']) await say(who, '撤销');
    expect(await t.db.query(`SELECT status, revoked_at FROM problems WHERE code = 'W2026-0001'`)).toEqual([{ status: 'open', revoked_at: null }]);
  });

  test('the township leader over the village may close it; a second 销号 changes nothing', async () => {
    expect(await say('yyleader', '销号 W2026-0001 已修复')).toContain('已销号 W2026-0001');
    expect(await say('zhangwei', '销号 W2026-0001 已修复')).toContain('已于');
    expect(await t.db.query(`SELECT count(*)::int AS n FROM problem_events WHERE kind = 'closed'`)).toEqual([{ n: 1 }]);
  });

  test('leaders and the admin may use the leaders\' commands inside their scope', async () => {
    expect(await say('wangju', '日报')).toContain('武山县 双联日报');
    expect(await say('admin01', '统计 武山县')).toContain('武山县双联统计');
    expect(await say('yyleader', '统计')).toContain('鸳鸯镇双联统计');
  });
});
