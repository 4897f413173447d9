import request from 'supertest';
import { Redis } from 'ioredis';
import type { AppDeps } from '../../../src/app';
import { createTestDb, type TestDb } from '../../support/db';
import { seedConsole, type ConsoleSeed } from '../../support/scenarios/console';
import { consoleApp, sessionCookie, WECOM_ENV } from '../../support/console-app';
import { OAUTH_COOKIE, SESSION_COOKIE } from '../../../src/auth/session';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/lib/logger';
import { createWecomClient } from '../../../src/wecom/client';
import { startSimulator, type RunningSimulator } from '../../../src/demo/simulator';
import { testPrefix } from '../../support/db';
import { REDIS_URL } from '../../support/urls';

/**
 * Logging in and out as an attacker would try it: URLs built only from
 * PUBLIC_URL whatever the request's headers say; the OAuth state bound to the
 * browser that started the login and good once (login CSRF); logout and a
 * change of role or scope end the session on the server; proxy headers trusted
 * only with TRUST_PROXY, and cookies Secure whenever PUBLIC_URL is https.
 */

let t: TestDb;
let seed: ConsoleSeed;
let sim: RunningSimulator;
let redis: Redis;
let prod: ReturnType<typeof consoleApp>;

beforeAll(async () => {
  t = await createTestDb();
  seed = await seedConsole(t.db);
  sim = await startSimulator({ creds: { corpId: WECOM_ENV.WECOM_CORP_ID, secret: WECOM_ENV.WECOM_SECRET, agentId: 1000002 } });
  const env = { ...WECOM_ENV, WECOM_API_BASE: sim.url };
  redis = new Redis(REDIS_URL);
  const wecom = createWecomClient({ config: loadConfig(env).wecom, redis, logger: createLogger('silent'), keyPrefix: testPrefix() });
  prod = consoleApp(t, { env, wecom });
});
afterAll(async () => {
  prod?.close();
  redis?.disconnect();
  await sim?.close();
  await t.drop();
});

const HOSTILE = { Origin: 'https://evil.example', Host: 'evil.example', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'http' };

/** Starts a login as a browser does: the authorize URL's state and the cookie that goes with it. */
async function startLogin(path = '/console'): Promise<{ state: string; cookie: string }> {
  const res = await request(prod.app.callback()).get(path);
  expect(res.status).toBe(302);
  const state = new URL(res.headers.location).searchParams.get('state')!;
  const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${OAUTH_COOKIE}=`));
  expect(cookie).toMatch(/httponly/i);
  expect(cookie).toMatch(/path=\/console\/oauth/i);
  return { state, cookie: cookie!.split(';')[0] };
}

const callback = (code: string, state: string, cookie?: string) => {
  const req = request(prod.app.callback()).get(`/console/oauth?code=${code}&state=${encodeURIComponent(state)}`);
  return cookie ? req.set('Cookie', cookie) : req;
};
const sessionOf = (res: request.Response) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${SESSION_COOKIE}=`) && !c.startsWith(`${SESSION_COOKIE}=;`));

describe('URLs come from PUBLIC_URL only', () => {
  test('/console, /h5/checkin and /console/login send WeCom back to PUBLIC_URL whatever Origin, Host and X-Forwarded-* say', async () => {
    for (const path of ['/console', '/h5/checkin', '/console/login?to=c']) {
      const res = await request(prod.app.callback()).get(path).set(HOSTILE);
      expect([path, res.status]).toEqual([path, 302]);
      expect([path, new URL(res.headers.location).searchParams.get('redirect_uri')]).toEqual([path, 'https://sl.example.gov.cn/console/oauth']);
    }
  });
});

describe('login CSRF', () => {
  test('a state from someone else\'s login is refused: no cookie, or this browser\'s own other state', async () => {
    const attacker = await startLogin();
    const victim = await startLogin();
    sim.state.oauthCodes.set('attacker-code', 'zhangsan');
    for (const res of [await callback('attacker-code', attacker.state), await callback('attacker-code', attacker.state, victim.cookie)]) {
      expect(res.status).toBe(400);
      expect(sessionOf(res)).toBeUndefined();
    }
    expect(sim.state.oauthCodes.has('attacker-code')).toBe(true); // never sent to WeCom
  });

  test('the browser that started the login gets its session once; the same state again is refused', async () => {
    const me = await startLogin('/h5/checkin');
    sim.state.oauthCodes.set('first', 'ws_leader');
    const ok = await callback('first', me.state, me.cookie);
    expect(ok.status).toBe(302);
    expect(ok.headers.location).toBe('/h5/checkin');
    expect(sessionOf(ok)).toBeDefined();
    expect(String(ok.headers['set-cookie'])).toMatch(new RegExp(`${OAUTH_COOKIE}=;`)); // the state cookie is cleared
    sim.state.oauthCodes.set('second', 'ws_leader');
    const again = await callback('second', me.state, me.cookie);
    expect(again.status).toBe(400);
    expect(sessionOf(again)).toBeUndefined();
  });
});

describe('sessions end on the server', () => {
  let demo: ReturnType<typeof consoleApp>;
  beforeAll(() => {
    demo = consoleApp(t);
  });
  afterAll(() => demo.close());

  const login = async (userid: string) => {
    const res = await request(demo.app.callback()).post('/console/login').type('form').send({ userid, to: 'c' });
    return sessionOf(res)!.split(';')[0];
  };
  const me = (cookie: string) => request(demo.app.callback()).get('/console/api/me').set('Cookie', cookie);

  test('logout: a copy of the cookie kept from before is no session any more', async () => {
    const cookie = await login('gg_leader');
    expect((await me(cookie)).status).toBe(200);
    const out = await request(demo.app.callback()).post('/console/logout').set('Cookie', cookie);
    expect(out.status).toBe(302);
    expect((await me(cookie)).status).toBe(401);
    expect((await me(await login('gg_leader'))).status).toBe(200); // logging in again works
  });

  test('a change of role or scope ends every session of that cadre; other changes do not', async () => {
    const cookie = await login('ws_leader');
    await t.db.query(`UPDATE cadres SET mobile = '13900000000' WHERE id = $1`, [seed.ids.wsLeader]);
    expect((await me(cookie)).status).toBe(200);
    await t.db.query(`UPDATE cadres SET scope_region_id = $2 WHERE id = $1`, [seed.ids.wsLeader, seed.ids.yuanyang]);
    expect((await me(cookie)).status).toBe(401);
    const second = await login('ws_leader');
    await t.db.query(`UPDATE cadres SET role = '干部' WHERE id = $1`, [seed.ids.wsLeader]);
    expect((await me(second)).status).toBe(401);
    // A cookie made before any of this (version 0) is stale too.
    expect((await me(sessionCookie(demo.deps, seed.ids.wsLeader))).status).toBe(401);
  });
});

describe('proxy headers and Secure cookies', () => {
  const cookieFrom = async (env: Record<string, string>, headers: Record<string, string> = {}) => {
    const app = consoleApp(t, { env });
    try {
      const res = await request(app.app.callback()).post('/console/login').set(headers).type('form').send({ userid: 'zhangsan', to: 'c' });
      return sessionOf(res)!;
    } finally {
      app.close();
    }
  };

  test('X-Forwarded-Proto is ignored unless TRUST_PROXY is on', async () => {
    expect(await cookieFrom({}, { 'X-Forwarded-Proto': 'https' })).not.toMatch(/;\s*secure/i);
    expect(await cookieFrom({ TRUST_PROXY: 'on' }, { 'X-Forwarded-Proto': 'https' })).toMatch(/;\s*secure/i);
  });

  test('an https PUBLIC_URL makes the session cookie Secure even when the proxy does not say https', async () => {
    expect(await cookieFrom({ PUBLIC_URL: 'https://sl.example.gov.cn' })).toMatch(/;\s*secure/i);
  });
});
