import { Redis } from 'ioredis';
import { createLogger } from '../../../src/lib/logger';
import { createWecomClient, jsapiSignature } from '../../../src/wecom/client';
import { WecomApiError, WecomHttpError } from '../../../src/wecom/errors';
import { startSimulator, type RunningSimulator } from '../../../src/demo/simulator';
import { testPrefix } from '../../support/db';

const creds = { corpId: 'wwclienttest', secret: 'client-test-secret', agentId: 1000002 };
const logger = createLogger('silent');
let sim: RunningSimulator;
let redis: Redis;

function client(o: { secret?: string; prefix?: string; timeoutMs?: number } = {}) {
  return createWecomClient({
    config: { ...creds, secret: o.secret ?? creds.secret, token: 't', encodingAesKey: 'k'.repeat(43), apiBase: sim.url },
    redis,
    logger,
    keyPrefix: o.prefix ?? prefix,
    timeoutMs: o.timeoutMs,
  });
}
const text = (content: string) => ({ msgtype: 'text' as const, text: { content } });
const calls = (api: string) => sim.state.calls.get(api) ?? 0;
let prefix: string;

beforeAll(async () => {
  redis = new Redis('redis://127.0.0.1:6379');
  sim = await startSimulator({ creds, users: ['alice', 'bob'], robotKeys: ['robot-key-1'] });
});
beforeEach(() => {
  prefix = `${testPrefix()}:`;
  sim.state.reset();
});
afterAll(async () => {
  await sim.close();
  redis.disconnect();
});

test('one gettoken call serves two client instances, even when they ask at once', async () => {
  const [a, b] = [client(), client()];
  const [t1, t2] = await Promise.all([a.getToken(), b.getToken()]);
  expect(t1).toBe(t2);
  await a.sendMessage(['alice'], text('一'));
  await b.sendMessage(['bob'], text('二'));
  expect(calls('gettoken')).toBe(1);
  expect(sim.sent.map((s) => s.touser)).toEqual([['alice'], ['bob']]);
});

test('an expired token (42001) is refreshed and the call retried once', async () => {
  const c = client();
  await c.getToken();
  sim.state.expireTokens();
  await c.sendMessage(['alice'], text('你好'));
  expect(calls('gettoken')).toBe(2);
  expect(calls('message/send')).toBe(2);
  expect(sim.sent).toHaveLength(1);
});

test('a token rejected twice is not retried a third time', async () => {
  const c = client();
  sim.faults.add({ api: 'message/send', kind: 'errcode', errcode: 40014, count: 5 });
  await expect(c.sendMessage(['alice'], text('x'))).rejects.toMatchObject({ errcode: 40014 });
  expect(calls('message/send')).toBe(2);
});

test('a bad secret (40001) is a configuration error and is not retried', async () => {
  const c = client({ secret: 'wrong' });
  const err = await c.sendMessage(['alice'], text('x')).catch((e) => e);
  expect(err).toBeInstanceOf(WecomApiError);
  expect(err.errcode).toBe(40001);
  expect(err.isConfiguration).toBe(true);
  expect(err.kind).toBe('permanent');
  expect(calls('gettoken')).toBe(1);
  expect(calls('message/send')).toBe(0);
});

test('errcodes, HTTP errors and timeouts become typed errors', async () => {
  const c = client({ timeoutMs: 200 });
  sim.faults.add({ api: 'message/send', kind: 'errcode', errcode: 45009, count: 1 });
  await expect(c.sendMessage(['alice'], text('x'))).rejects.toMatchObject({ errcode: 45009, kind: 'rate_limited' });
  sim.faults.add({ api: 'message/send', kind: 'http500', count: 1 });
  await expect(c.sendMessage(['alice'], text('x'))).rejects.toMatchObject({ status: 500, kind: 'transient' });
  sim.faults.add({ api: 'message/send', kind: 'timeout', delayMs: 1000, count: 1 });
  const err = await c.sendMessage(['alice'], text('x')).catch((e) => e);
  expect(err).toBeInstanceOf(WecomHttpError);
  expect(err.status).toBe('timeout');
  expect(sim.sent).toHaveLength(0);
});

test('partly invalid recipients still send; all invalid is 81013 with invaliduser', async () => {
  const c = client();
  const r = await c.sendMessage(['Alice', 'ghost'], text('hi'));
  expect(r.invalidUsers).toEqual(['ghost']);
  expect(sim.sent[0].touser).toEqual(['alice']);
  await expect(c.sendMessage(['ghost', 'nobody'], text('hi'))).rejects.toMatchObject({
    errcode: 81013, invaliduser: 'ghost|nobody', kind: 'permanent',
  });
  await expect(c.sendMessage(Array.from({ length: 1001 }, (_, i) => `u${i}`), text('x'))).rejects.toThrow(RangeError);
});

test('robot webhook: bad key 93000, 20 a minute then 45009', async () => {
  const c = client();
  await expect(c.robotSend('bad-key', text('x'))).rejects.toMatchObject({ errcode: 93000, kind: 'permanent' });
  for (let i = 0; i < 20; i++) await c.robotSend('robot-key-1', text(`第${i}条`));
  await expect(c.robotSend('robot-key-1', text('x'))).rejects.toMatchObject({ errcode: 45009 });
  expect(sim.state.query({ robotKey: 'robot-key-1' })).toHaveLength(20);
  expect(calls('gettoken')).toBe(0);
});

test('OAuth code, tickets (cached), callback IPs, media, appchat', async () => {
  const c = client();
  sim.state.oauthCodes.set('code-1', 'alice');
  await expect(c.getUserInfo('code-1')).resolves.toEqual({ userid: 'alice', userTicket: undefined });
  await expect(c.getUserInfo('code-1')).rejects.toMatchObject({ errcode: 40029 });
  const t1 = await c.getJsapiTicket();
  expect(await client().getJsapiTicket()).toBe(t1);
  expect(calls('get_jsapi_ticket')).toBe(1);
  expect(await c.getAgentTicket()).not.toBe(t1);
  expect(await c.getCallbackIp()).toEqual(['127.0.0.1']);
  sim.state.media.set('m1', { data: Buffer.from([1, 2, 3]), contentType: 'image/jpeg', filename: 'a.jpg' });
  const media = await c.mediaGet('m1');
  expect([...media.data]).toEqual([1, 2, 3]);
  expect(media.filename).toBe('a.jpg');
  await expect(c.mediaGet('nope')).rejects.toMatchObject({ errcode: 40007 });
  const chatid = await c.appchatCreate({ name: '武山县双联群', owner: 'alice', userlist: ['alice', 'bob'] });
  await c.appchatSend(chatid, text('群消息'));
  expect((await c.appchatGet(chatid)).userlist).toEqual(['alice', 'bob']);
  expect(sim.state.query({ chatid })).toHaveLength(1);
});

test('jsapiSignature matches the WeCom documentation vector', () => {
  const s = jsapiSignature({
    ticket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
    nonceStr: 'Wm3WZYTPz0wzccnW',
    timestamp: 1414587457,
    url: 'http://mp.weixin.qq.com?params=value#frag',
  });
  expect(s.signature).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
});
