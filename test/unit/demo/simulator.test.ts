import { startSimulator, type RunningSimulator } from '../../../src/demo/simulator';

/** The simulator's wire behaviour and control API, over real HTTP. */
const creds = { corpId: 'wwsim', secret: 'sim-secret', agentId: 1000005 };
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ creds, users: ['ZhangWei', 'liming'] });
});
afterAll(() => sim.close());

const get = async (path: string) => (await fetch(`${sim.url}${path}`)).json();
const post = async (path: string, body: unknown) =>
  fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('gettoken checks the secret; message/send checks token, agentid and members like WeCom', async () => {
  expect(await get('/cgi-bin/gettoken?corpid=wwsim&corpsecret=nope')).toMatchObject({ errcode: 40001 });
  const tok = await get('/cgi-bin/gettoken?corpid=wwsim&corpsecret=sim-secret');
  expect(tok).toMatchObject({ errcode: 0, expires_in: 7200, access_token: expect.any(String) });
  const send = (body: unknown, token = tok.access_token) => post(`/cgi-bin/message/send?access_token=${token}`, body).then((r) => r.json());
  const msg = { touser: 'zhangwei|ghost', msgtype: 'text', agentid: 1000005, text: { content: '你好' } };
  expect(await send(msg, 'forged')).toMatchObject({ errcode: 40014 });
  expect(await send({ ...msg, agentid: 1 })).toMatchObject({ errcode: 40056 });
  expect(await send(msg)).toMatchObject({ errcode: 0, invaliduser: 'ghost', msgid: expect.any(String) });
  expect(await send({ ...msg, touser: 'ghost' })).toMatchObject({ errcode: 81013, invaliduser: 'ghost' });
  expect(await send({ ...msg, text: { content: '长'.repeat(683) } })).toMatchObject({ errcode: 45002 });
  await post('/_sim/tokens/expire', {});
  expect(await send(msg)).toMatchObject({ errcode: 42001 });
  const { sent } = await get('/_sim/sent?touser=ZHANGWEI');
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ api: 'message/send', touser: ['zhangwei'], msgtype: 'text', body: { content: '你好' } });
});

test('faults: HTTP 500 and errcodes for N calls, then normal again', async () => {
  expect((await post('/_sim/faults', { api: 'gettoken', kind: 'http500', count: 2 })).status).toBe(204);
  expect((await fetch(`${sim.url}/cgi-bin/gettoken?corpid=wwsim&corpsecret=sim-secret`)).status).toBe(500);
  expect((await fetch(`${sim.url}/cgi-bin/gettoken?corpid=wwsim&corpsecret=sim-secret`)).status).toBe(500);
  expect(await get('/cgi-bin/gettoken?corpid=wwsim&corpsecret=sim-secret')).toMatchObject({ errcode: 0 });
  await post('/_sim/faults', { api: '*', kind: 'errcode', errcode: 45009, count: 1 });
  expect(await get('/cgi-bin/getcallbackip?access_token=x')).toMatchObject({ errcode: 45009 });
  expect((await post('/_sim/faults', { kind: 'bogus' })).status).toBe(400);
  const calls = await get('/_sim/calls');
  expect(calls.gettoken).toBeGreaterThanOrEqual(3);
});

test('OAuth codes from the control API are single-use', async () => {
  const { access_token } = await get('/cgi-bin/gettoken?corpid=wwsim&corpsecret=sim-secret');
  const { code } = await (await post('/_sim/oauth-code', { userid: 'liming' })).json();
  expect(await get(`/cgi-bin/auth/getuserinfo?access_token=${access_token}&code=${code}`)).toMatchObject({ errcode: 0, userid: 'liming' });
  expect(await get(`/cgi-bin/auth/getuserinfo?access_token=${access_token}&code=${code}`)).toMatchObject({ errcode: 40029 });
});
