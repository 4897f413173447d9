import request from 'supertest';
import { Redis } from 'ioredis';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/lib/logger';
import { createMetrics } from '../../../src/metrics';
import { createTestDb, type TestDb } from '../../support/db';
import { REDIS_URL } from '../../support/urls';
import { openReply, recordingBot, wecomEnv } from '../../support/wecom-callback';
import { A, B, C } from '../../support/wecom-vectors';

/** The official vectors of docs/wecom.md §6, sent through the HTTP route with the clock set to their time. */
let t: TestDb;
let redis: Redis;
beforeAll(async () => {
  t = await createTestDb();
  redis = new Redis(REDIS_URL, { lazyConnect: true });
});
afterAll(async () => {
  redis.disconnect();
  await t.drop();
});

describe.each([
  ['A', A, 'mycreate', 'hello'],
  ['B', B, 'ChenJiaShun', '你好'],
  ['C', C, 'messense', 'test'],
])('vector %s', (_name, v, from, content) => {
  const { bot, calls } = recordingBot((m) => `收到 ${m.content}`);
  const app = (ts: string) =>
    createApp({
      config: loadConfig(wecomEnv(v.creds)),
      db: t.db,
      redis,
      logger: createLogger('silent'),
      metrics: createMetrics(),
      bot,
      clock: () => new Date(Number(ts) * 1000 + 30_000),
    }).callback();

  test('GET answers the echostr', async () => {
    const q = new URLSearchParams({ msg_signature: v.get.signature, timestamp: v.get.timestamp, nonce: v.get.nonce, echostr: v.get.echostr });
    const res = await request(app(v.get.timestamp)).get(`/wecom/callback?${q}`);
    expect([res.status, res.text]).toEqual([200, v.get.plain]);
  });

  test('POST is stored, handled, and answered with a reply that verifies', async () => {
    const q = new URLSearchParams({ msg_signature: v.post.signature, timestamp: v.post.timestamp, nonce: v.post.nonce });
    const body = `<xml><ToUserName><![CDATA[${v.creds.corpId}]]></ToUserName><Encrypt><![CDATA[${v.post.encrypt}]]></Encrypt><AgentID><![CDATA[1]]></AgentID></xml>`;
    const res = await request(app(v.post.timestamp)).post(`/wecom/callback?${q}`).type('text/xml').send(body);
    expect(res.status).toBe(200);
    const reply = openReply({ ...v.creds }, res.text);
    expect(reply).toContain(`<Content><![CDATA[收到 ${content}]]></Content>`);
    expect(reply).toContain(`<ToUserName><![CDATA[${from}]]></ToUserName>`);
    expect(calls.at(-1)).toMatchObject({ fromUser: from, content });
    // Ten minutes later the same request is a replay.
    const late = await request(app(String(Number(v.post.timestamp) + 600))).post(`/wecom/callback?${q}`).type('text/xml').send(body);
    expect(late.status).toBe(403);
  });
});
