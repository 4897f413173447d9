import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { encrypt, getSignature } from '@wecom/crypto';
import { Redis } from 'ioredis';
import type Koa from 'koa';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/lib/logger';
import { createMetrics, type Metrics } from '../../../src/metrics';
import { processPending } from '../../../src/services/inbound/retry';
import type { IncomingMessage } from '../../../src/services/inbound/bot-port';
import { createTestDb, type TestDb } from '../../support/db';
import { REDIS_URL } from '../../support/urls';
import { eventXml, generateCreds, openReply, recordingBot, signedPost, textXml, wecomEnv } from '../../support/wecom-callback';

const SECRET_TEXT = '签到 丁门村 机密内容';
const creds = generateCreds();
let t: TestDb;
let redis: Redis;
let app: Koa;
let metrics: Metrics;
const logLines: string[] = [];
const dispatched: number[] = [];
let respond: (msg: IncomingMessage, call: number) => Promise<string | null> | string | null = () => null;
const { bot, calls } = recordingBot((m, n) => respond(m, n));

beforeAll(async () => {
  t = await createTestDb();
  redis = new Redis(REDIS_URL, { lazyConnect: true });
  metrics = createMetrics();
  const sink = new Writable({ write: (chunk, _enc, cb) => (logLines.push(String(chunk)), cb()) });
  const logger = createLogger('debug', sink);
  const dispatch = async (ids: number[]) => void dispatched.push(...ids);
  app = createApp({ config: loadConfig(wecomEnv(creds)), db: t.db, redis, logger, metrics, bot, dispatch });
});
afterAll(async () => {
  redis.disconnect();
  await t.drop();
});
beforeEach(async () => {
  calls.length = 0;
  respond = () => null;
  await t.db.query('TRUNCATE inbound_messages, outbox_messages CASCADE');
});

const post = (p: { url: string; body: string }) => request(app.callback()).post(p.url).type('text/xml').send(p.body);
const count = async (table: string) => (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

describe('GET /wecom/callback (URL verification)', () => {
  const echo = (o: { corpId?: string; token?: string } = {}) => {
    const ts = String(Math.floor(Date.now() / 1000));
    const echostr = encrypt(creds.encodingAesKey, '8123456789012345678', o.corpId ?? creds.corpId, randomBytes(16));
    const sig = getSignature(o.token ?? creds.token, ts, '12345', echostr);
    return `/wecom/callback?${new URLSearchParams({ msg_signature: sig, timestamp: ts, nonce: '12345', echostr })}`;
  };

  test('replies the decrypted echostr only', async () => {
    const res = await request(app.callback()).get(echo());
    expect(res.status).toBe(200);
    expect(res.text).toBe('8123456789012345678');
  });

  test('bad signature, wrong corp and missing parameters are refused', async () => {
    expect((await request(app.callback()).get(echo({ token: 'other' }))).status).toBe(403);
    expect((await request(app.callback()).get(echo({ corpId: 'wwother' }))).status).toBe(403);
    expect((await request(app.callback()).get('/wecom/callback?msg_signature=a&timestamp=1&nonce=2')).status).toBe(400);
  });

  test('the same freshness window as POST: a message captured an hour ago is not decrypted back as an echostr', async () => {
    const captured = signedPost(creds, textXml('zhangsan', SECRET_TEXT, '7001000000000000099'), { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    const q = new URL(captured.url, 'http://x').searchParams;
    q.set('echostr', /<Encrypt><!\[CDATA\[([^\]]+)\]\]>/.exec(captured.body)![1]);
    const res = await request(app.callback()).get(`/wecom/callback?${q}`);
    expect(res.status).toBe(403);
    expect(res.text).not.toContain(SECRET_TEXT);
    expect(res.body).toMatchObject({ error: 'stale_timestamp' });
  });
});

describe('POST /wecom/callback', () => {
  test('a text message is stored, handled once, and answered passively', async () => {
    respond = (m) => `已收到：${m.content}`;
    const res = await post(signedPost(creds, textXml('zhangsan', SECRET_TEXT, '7001000000000000001')));
    expect(res.status).toBe(200);
    const inner = openReply(creds, res.text);
    expect(inner).toContain(`<Content><![CDATA[已收到：${SECRET_TEXT}]]></Content>`);
    expect(inner).toContain('<ToUserName><![CDATA[zhangsan]]></ToUserName>');
    expect(inner).toContain(`<FromUserName><![CDATA[${creds.corpId}]]></FromUserName>`);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ msgType: 'text', fromUser: 'zhangsan', content: SECRET_TEXT, msgId: '7001000000000000001' });
    const [row] = await t.db.query('SELECT id, dedup_key, status, reply, raw_xml FROM inbound_messages');
    expect(row).toMatchObject({ id: calls[0].inboundId, dedup_key: '7001000000000000001', status: 'done', reply: `已收到：${SECRET_TEXT}` });
    expect(row.raw_xml).toContain(SECRET_TEXT);
    expect(await count('outbox_messages')).toBe(0);
  });

  test('the same POST four times at once: stored once, handled once, every answer the same reply', async () => {
    respond = async () => {
      await new Promise((r) => setTimeout(r, 150));
      return '签到成功';
    };
    const p = signedPost(creds, textXml('lisi', '签到 丁门村', '7001000000000000002'));
    const answers = await Promise.all([post(p), post(p), post(p), post(p)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    for (const r of answers) expect(openReply(creds, r.text)).toContain('<Content><![CDATA[签到成功]]></Content>');
    expect(calls).toHaveLength(1);
    expect(await count('inbound_messages')).toBe(1);
    // A later retry answers the stored reply again without calling the bot.
    expect(openReply(creds, (await post(p)).text)).toContain('签到成功');
    expect(calls).toHaveLength(1);
  });

  test('bad input gets 4xx, is not stored, and no message text is logged', async () => {
    const xml = textXml('wangwu', SECRET_TEXT, '7001000000000000003');
    const now = Math.floor(Date.now() / 1000);
    const good = signedPost(creds, xml);
    const cases: [string, { url: string; body: string }, number][] = [
      ['bad signature', signedPost(creds, xml, { signWith: 'not-the-token' }), 403],
      ['bad base64', signedPost(creds, xml, { encrypt: 'bm90IGJhc2U2NCE$$' }), 400],
      ['wrong corp', signedPost(creds, xml, { corpId: 'wwsomeoneelse' }), 403],
      ['old timestamp', signedPost(creds, xml, { timestamp: now - 301 }), 403],
      ['future timestamp', signedPost(creds, xml, { timestamp: now + 400 }), 403],
      ['malformed outer XML', { url: good.url, body: '<xml><Encrypt>abc</xml>' }, 400],
      ['outer DOCTYPE', { url: good.url, body: '<!DOCTYPE x [<!ENTITY e "e">]><xml><Encrypt>&e;</Encrypt></xml>' }, 400],
      ['malformed inner XML', signedPost(creds, '<xml><FromUserName>x</xml>'), 400],
      ['inner without MsgType', signedPost(creds, '<xml><FromUserName>x</FromUserName><CreateTime>1</CreateTime></xml>'), 400],
      ['empty body', { url: good.url, body: '' }, 400],
      ['huge body', { url: good.url, body: `<xml><Encrypt>${'A'.repeat(70 * 1024)}</Encrypt></xml>` }, 413],
      ['no query', { url: '/wecom/callback', body: good.body }, 400],
    ];
    for (const [name, p, status] of cases) {
      const res = await post(p);
      expect({ name, status: res.status }).toEqual({ name, status });
    }
    expect(await count('inbound_messages')).toBe(0);
    expect(calls).toHaveLength(0);
    expect(logLines.join('')).not.toContain('机密');
    expect(logLines.filter((l) => l.includes('callback rejected') && l.includes('"POST"'))).toHaveLength(cases.length);
  });

  test('a bot that throws: empty 200, the row waits, processPending sends the reply by outbox', async () => {
    respond = (_m, n) => {
      if (n === 1) throw new Error('village lookup failed');
      return '签到成功（补发）';
    };
    const p = signedPost(creds, textXml('zhaoliu', SECRET_TEXT, '7001000000000000004'));
    const res = await post(p);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const [row] = await t.db.query('SELECT id, status, attempts, error FROM inbound_messages');
    expect(row).toMatchObject({ status: 'received', attempts: 1 });
    expect(row.error).toContain('village lookup failed');

    const deps = { db: t.db, bot, logger: createLogger('silent') };
    expect(await processPending(deps, new Date(Date.now() + 5_000))).toEqual({ done: 0, retry: 0, failed: 0 }); // backing off
    expect(await processPending(deps, new Date(Date.now() + 60_000))).toEqual({ done: 1, retry: 0, failed: 0 });
    const [out] = await t.db.query('SELECT idempotency_key, channel, recipient, payload, status FROM outbox_messages');
    expect(out).toMatchObject({
      idempotency_key: `reply:${row.id}`,
      channel: 'app',
      recipient: 'zhaoliu',
      payload: { msgtype: 'text', text: { content: '签到成功（补发）' } },
      status: 'pending',
    });
    // WeCom retrying now gets an empty 200: the reply already went by outbox.
    const again = await post(p);
    expect([again.status, again.text]).toEqual([200, '']);
    expect(calls).toHaveLength(2);
    expect(logLines.join('')).not.toContain('机密');
  });

  test('events are deduplicated by user, time and event; their replies go by outbox', async () => {
    respond = (m) => (m.event === 'enter_agent' ? '欢迎使用双联助手' : null);
    const p = signedPost(creds, eventXml('sunqi', 'enter_agent', 1763860000));
    const [a, b] = [await post(p), await post(p)];
    expect([a.status, a.text, b.status, b.text]).toEqual([200, '', 200, '']);
    const rows = await t.db.query('SELECT id, dedup_key, status FROM inbound_messages');
    expect(rows).toEqual([{ id: rows[0].id, dedup_key: 'sunqi:1763860000:enter_agent', status: 'done' }]);
    const out = await t.db.query('SELECT id, idempotency_key FROM outbox_messages');
    expect(out).toEqual([{ id: out[0].id, idempotency_key: `reply:${rows[0].id}` }]);
    expect(dispatched).toContain(out[0].id);
    expect(calls).toHaveLength(1);
  });

  test('wecom_inbound_messages_total counts stored, duplicate and rejected', async () => {
    const text = await metrics.registry.getSingleMetricAsString('wecom_inbound_messages_total');
    expect(text).toMatch(/wecom_inbound_messages_total\{outcome="stored"\} [1-9]/);
    expect(text).toMatch(/wecom_inbound_messages_total\{outcome="duplicate"\} [1-9]/);
    expect(text).toMatch(/wecom_inbound_messages_total\{outcome="rejected"\} [1-9]/);
    const res = await request(app.callback()).get('/metrics').set('Authorization', 'Bearer test-admin-token');
    expect(res.text).toContain('wecom_inbound_messages_total{outcome="stored"}');
  });
});
