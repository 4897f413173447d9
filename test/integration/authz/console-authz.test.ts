import request from 'supertest';
import type Koa from 'koa';
import type { AppDeps } from '../../../src/app';
import { createTestDb, type TestDb } from '../../support/db';
import { seedConsole, type ConsoleSeed } from '../../support/scenarios/console';
import { consoleApp, sessionCookie } from '../../support/console-app';
import { captureLog, type CapturedLog } from '../../support/log-capture';
import { createApp } from '../../../src/app';
import { SESSION_COOKIE, createSessionToken } from '../../../src/auth/session';

/**
 * Who may read what in the console, table-driven: every role against every
 * console page, JSON API, export and photo endpoint. A leader's scope is a
 * subtree; another county's village or problem by id in the URL is refused
 * (403 for a scope, 404 for a row outside the scope, which does not reveal it
 * exists). Denials are logged; nothing is written by a refused request.
 */

let t: TestDb;
let seed: ConsoleSeed;
let app: Koa;
let deps: AppDeps;
let log: CapturedLog;
let close: () => void;

type Role = 'nobody' | 'forged' | 'cadre' | 'member' | 'teamLeader' | 'township' | 'county' | 'otherCounty' | 'admin';
const ROLES: Role[] = ['nobody', 'forged', 'cadre', 'member', 'teamLeader', 'township', 'county', 'otherCounty', 'admin'];
/** Role → the seeded cadre key (support/scenarios/console.ts plus the two added below). */
const CADRE: Partial<Record<Role, string>> = {
  cadre: 'zhangsan', member: 'lisi', teamLeader: 'captain', township: 'townLeader',
  county: 'wsLeader', otherCounty: 'ggLeader', admin: 'admin',
};

beforeAll(async () => {
  t = await createTestDb();
  seed = await seedConsole(t.db);
  const add = async (key: string, userid: string, role: string, scope: number | null) => {
    seed.ids[key] = (await t.db.query(
      `INSERT INTO cadres (userid, name, unit_id, role, scope_region_id) VALUES ($1, $1, $2, $3, $4) RETURNING id`,
      [userid, seed.ids.finance, role, scope],
    ))[0].id;
  };
  await add('captain', 'captain01', '队长', null);
  await add('townLeader', 'yy_leader', '领导', seed.ids.yuanyang);
  const base = consoleApp(t);
  log = captureLog('info');
  deps = { ...base.deps, logger: log.logger };
  app = createApp(deps);
  close = base.close;
});
afterAll(async () => {
  close?.();
  await t.drop();
});

function headers(role: Role): Record<string, string> {
  if (role === 'nobody') return {};
  // Signed with another secret: the cookie of someone who guessed the format.
  if (role === 'forged') return { Cookie: `${SESSION_COOKIE}=${createSessionToken('not-the-secret-0000', seed.ids.admin, new Date())}` };
  return { Cookie: sessionCookie(deps, seed.ids[CADRE[role]!]) };
}

const ALL_SESSIONS = { nobody: 401, forged: 401, cadre: 200, member: 200, teamLeader: 200, township: 200, county: 200, otherCounty: 200, admin: 200 };
const LEADERS_ONLY = { ...ALL_SESSIONS, cadre: 403, member: 403, teamLeader: 403 };
/** A scope in 武山县/鸳鸯镇 (丁门村): its township, its county and the province. */
const IN_DINGMEN = { ...LEADERS_ONLY, otherCounty: 403 };
/** 武山县 itself: not for the township leader under it, nor the other county. */
const IN_WUSHAN = { ...IN_DINGMEN, township: 403 };
/** 甘谷县's village: only its own leader and the admin. */
const IN_GANGU = { ...LEADERS_ONLY, township: 403, county: 403 };
/** Rows outside the scope are not found (their existence is not revealed). */
const ROW_IN_DINGMEN = { ...IN_DINGMEN, otherCounty: 404 };
const ROW_IN_GANGU = { ...IN_GANGU, township: 404, county: 404 };

type Expect = Record<Role, number>;
const table = (): [string, Expect][] => {
  const ids = seed.ids;
  const scoped = (path: string): [string, Expect][] => [
    [path, LEADERS_ONLY],
    [`${path}${path.includes('?') ? '&' : '?'}scope=${ids.dingmen}`, IN_DINGMEN],
    [`${path}${path.includes('?') ? '&' : '?'}scope=${ids.wushan}`, IN_WUSHAN],
    [`${path}${path.includes('?') ? '&' : '?'}scope=${ids.chengguan}`, IN_GANGU],
  ];
  return [
    ['/console/api/me', ALL_SESSIONS],
    ['/console/api/mine', ALL_SESSIONS],
    ...scoped('/console/api/tree'),
    ...scoped('/console/api/coverage'),
    ...scoped('/console/api/activity'),
    ...scoped('/console/api/standing'),
    ...scoped('/console/api/standing?by=cadre'),
    ...scoped('/console/api/problems'),
    ...scoped('/console/api/notices'),
    [`/console/api/problems/${ids.pOverdue}`, ROW_IN_DINGMEN],
    [`/console/api/problems/${ids.pGangu}`, ROW_IN_GANGU],
    // record pages: a subject the scope holds; a cadre's own page for that cadre too
    [`/console/api/records/village/${ids.dingmen}`, IN_DINGMEN],
    [`/console/api/records/village/${ids.dingmen}/visits`, IN_DINGMEN],
    [`/console/api/records/village/${ids.chengguan}`, IN_GANGU],
    [`/console/api/records/cadre/${ids.zhangsan}`, { ...IN_DINGMEN, cadre: 200 }],
    [`/console/api/records/cadre/${ids.zhangsan}/standing`, { ...IN_DINGMEN, cadre: 200 }],
    [`/console/api/notices/${ids.notice}`, IN_WUSHAN],
    [`/console/api/notices/${ids.notice}/recipients?status=pending`, IN_WUSHAN],
    ...scoped('/console/api/export/ledger.xlsx'),
    ...scoped('/console/api/export/visits.xlsx'),
    ...scoped('/console/api/export/standing.xlsx'),
    // Another county's record answers like a missing one (2147483647: the largest id, never used here).
    [`/console/api/photos?problem=${ids.pGangu}`, { ...ROW_IN_GANGU, cadre: 200, member: 200, teamLeader: 200 }],
    ['/console/api/photos?problem=2147483647', { ...ALL_SESSIONS, cadre: 404, member: 404, teamLeader: 404, township: 404, county: 404, otherCounty: 404, admin: 404 }],
    ['/h5/api/villages?latitude=34.72&longitude=104.89', ALL_SESSIONS],
  ];
};

describe('console authorization, every role × every endpoint', () => {
  test('each answers exactly as the table says, and every 403 is logged', async () => {
    const wrong: string[] = [];
    let forbidden = 0;
    for (const [path, expect] of table()) {
      for (const role of ROLES) {
        log.clear();
        const res = await request(app.callback()).get(path).set(headers(role));
        if (res.status !== expect[role]) wrong.push(`${role} GET ${path}: ${res.status}, expected ${expect[role]}`);
        if (res.status === 403) {
          forbidden++;
          const denied = log.lines('denied');
          if (denied.length !== 1 || denied[0].path !== path.split('?')[0]) wrong.push(`${role} GET ${path}: 403 not logged`);
        }
        if (res.status === 200 && path.includes('/export/')) {
          if (!String(res.headers['content-type']).includes('spreadsheetml')) wrong.push(`${role} ${path}: not an xlsx`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(forbidden).toBeGreaterThan(80);
  });

  test('the console page needs a session; an API answers 401 without one, never data', async () => {
    for (const role of ROLES) {
      const res = await request(app.callback()).get('/console').set(headers(role));
      expect(res.status).toBe(role === 'nobody' || role === 'forged' ? 302 : 200);
    }
    const res = await request(app.callback()).get('/console/api/problems');
    expect(res.body).toEqual({ error: 'unauthenticated', message: '登录已失效，请重新登录。' });
  });

  test('an expired session or one of a deactivated cadre is no session', async () => {
    const old = createSessionToken(deps.config.sessionSecret, seed.ids.admin, new Date(Date.now() - 9 * 3600 * 1000));
    expect((await request(app.callback()).get('/console/api/me').set('Cookie', `${SESSION_COOKIE}=${old}`)).status).toBe(401);
    const retired = await request(app.callback()).get('/console/api/me').set('Cookie', sessionCookie(deps, seed.ids.retired));
    expect(retired.status).toBe(401);
  });
});

describe('closing (销号) from the console', () => {
  const closeAs = (role: Role, id: number) =>
    request(app.callback()).post(`/console/api/problems/${id}/close`).set(headers(role)).send({ note: '已整改' });

  test('another county\'s leader, a township leader outside it and cadres are refused; nothing is written', async () => {
    const before = await t.db.query('SELECT count(*)::int AS n FROM problem_events');
    for (const role of ['nobody', 'forged', 'cadre', 'member', 'teamLeader', 'township', 'county'] as Role[]) {
      log.clear();
      const res = await closeAs(role, seed.ids.pGangu);
      expect([role, res.status]).toEqual([role, role === 'nobody' || role === 'forged' ? 401 : 403]);
      if (res.status === 403) expect(log.lines('denied')).toHaveLength(1);
    }
    expect(await t.db.query('SELECT status FROM problems WHERE id = $1', [seed.ids.pGangu])).toEqual([{ status: 'open' }]);
    expect(await t.db.query('SELECT count(*)::int AS n FROM problem_events')).toEqual(before);
  });

  test('the county\'s own leader may close it', async () => {
    const res = await closeAs('otherCounty', seed.ids.pGangu);
    expect(res.status).toBe(200);
    expect(await t.db.query('SELECT status FROM problems WHERE id = $1', [seed.ids.pGangu])).toEqual([{ status: 'closed' }]);
  });
});

describe('headers', () => {
  test('console pages and APIs carry helmet\'s security headers and no-store', async () => {
    for (const path of ['/console', '/console/login?to=c', '/console/api/me', '/h5/checkin', `/console/api/photos?problem=${seed.ids.pOpen}`]) {
      const res = await request(app.callback()).get(path).set(headers('county'));
      expect([path, res.headers['x-content-type-options']]).toEqual([path, 'nosniff']);
      expect([path, res.headers['x-frame-options']]).toEqual([path, 'SAMEORIGIN']);
      expect([path, String(res.headers['content-security-policy'])]).toEqual([path, expect.stringContaining("default-src 'self'")]);
    }
    expect((await request(app.callback()).get('/console/api/me').set(headers('county'))).headers['cache-control']).toBe('no-store');
  });

  test('a console, H5 or photo path no route answers, and the job dashboard, carry the same headers', async () => {
    const admin = { Authorization: `Bearer ${deps.config.adminToken}` };
    for (const [method, path, extra] of [
      ['get', '/console/api/nope', headers('county')], ['get', '/console/api/nope', {}], ['post', '/console/api/me', headers('county')],
      ['get', '/console/assets/missing.js', {}], ['get', '/h5/api/nope', {}], ['get', '/photos/1/nope', {}],
      ['get', '/admin/queues/', admin], ['get', '/admin/queues/api/queues', admin],
    ] as ['get' | 'post', string, Record<string, string>][]) {
      const res = await request(app.callback())[method](path).set(extra);
      const tag = `${method} ${path}`;
      expect([tag, res.status]).toEqual([tag, path.startsWith('/admin') ? 200 : 404]);
      expect([tag, res.headers['x-content-type-options']]).toEqual([tag, 'nosniff']);
      expect([tag, res.headers['x-frame-options']]).toEqual([tag, 'SAMEORIGIN']);
      expect([tag, String(res.headers['content-security-policy'])]).toEqual([tag, expect.stringContaining("default-src 'self'")]);
    }
  });

  test('the session cookie is signed, httpOnly and SameSite, and a changed id is refused', async () => {
    const res = await request(app.callback()).post('/console/login').type('form').send({ userid: 'zhangsan', to: 'c' });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/samesite=lax/i);
    const value = cookie.split(';')[0];
    const [id, rest] = [value.split('=')[1].split('.')[0], value.split('=')[1].slice(value.split('=')[1].indexOf('.'))];
    expect(Number(id)).toBe(seed.ids.zhangsan);
    const asAdmin = `${SESSION_COOKIE}=${seed.ids.admin}${rest}`;
    expect((await request(app.callback()).get('/console/api/me').set('Cookie', asAdmin)).status).toBe(401);
  });
});
