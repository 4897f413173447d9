import { createHash } from 'node:crypto';
import request from 'supertest';
import type Koa from 'koa';
import { createApp, type AppDeps } from '../../../src/app';
import { createTestDb, type TestDb } from '../../support/db';
import { seedConsole, type ConsoleSeed } from '../../support/scenarios/console';
import { consoleApp, sessionCookie, WECOM_ENV } from '../../support/console-app';
import { captureLog, type CapturedLog } from '../../support/log-capture';

/**
 * /admin/queues (bull-board) and its API answer only to ADMIN_TOKEN: no
 * token, a wrong one (bearer, query or forged cookie), or a console session —
 * even the admin cadre's — is refused and logged without the value tried.
 */

const TOKEN = WECOM_ENV.ADMIN_TOKEN;
let t: TestDb;
let seed: ConsoleSeed;
let app: Koa;
let deps: AppDeps;
let log: CapturedLog;
let close: () => void;

beforeAll(async () => {
  t = await createTestDb();
  seed = await seedConsole(t.db);
  const base = consoleApp(t, { env: WECOM_ENV });
  log = captureLog('info');
  deps = { ...base.deps, logger: log.logger };
  app = createApp(deps);
  close = base.close;
});
afterAll(async () => {
  close?.();
  await t.drop();
});

const hashOf = (s: string) => createHash('sha256').update(`admin:${s}`).digest('hex');

describe('admin endpoints', () => {
  const refusals: [string, string, Record<string, string>][] = [
    ['no token', '/admin/queues/', {}],
    ['no token, API', '/admin/queues/api/queues', {}],
    ['wrong bearer', '/admin/queues/', { Authorization: 'Bearer wrong-token-123' }],
    ['token as a prefix', '/admin/queues/', { Authorization: `Bearer ${TOKEN}x` }],
    ['basic auth', '/admin/queues/', { Authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` }],
    ['wrong query', '/admin/queues?token=guess', {}],
    ['forged cookie', '/admin/queues/', { Cookie: `sl_admin=${hashOf('guess')}` }],
    ['the raw token as cookie', '/admin/queues/', { Cookie: `sl_admin=${TOKEN}` }],
  ];

  test.each(refusals)('%s: 401, logged without the value tried', async (_name, path, headers) => {
    log.clear();
    const res = await request(app.callback()).get(path).set(headers);
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('bull');
    const denied = log.lines('denied');
    expect(denied).toHaveLength(1);
    expect(log.text()).not.toContain('guess');
    expect(log.text()).not.toContain(TOKEN);
  });

  test('a console session, even the admin cadre\'s, is not the admin token', async () => {
    const res = await request(app.callback()).get('/admin/queues/').set('Cookie', sessionCookie(deps, seed.ids.admin));
    expect(res.status).toBe(401);
  });

  test('the right bearer opens the dashboard and its API; ?token= sets a hashed httpOnly SameSite=Strict cookie', async () => {
    expect((await request(app.callback()).get('/admin/queues/').set('Authorization', `Bearer ${TOKEN}`)).status).toBe(200);
    const api = await request(app.callback()).get('/admin/queues/api/queues').set('Authorization', `Bearer ${TOKEN}`);
    expect(api.status).toBe(200);
    const login = await request(app.callback()).get(`/admin/queues?token=${TOKEN}`);
    expect(login.status).toBe(302);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/samesite=strict/i);
    expect(cookie).not.toContain(TOKEN);
    expect((await request(app.callback()).get('/admin/queues/').set('Cookie', cookie.split(';')[0])).status).toBe(200);
  });
});
