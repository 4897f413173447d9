import request from 'supertest';
import type Koa from 'koa';
import type { AppDeps } from '../../../src/app';
import { createTestDb, type TestDb } from '../../support/db';
import { seedConsole, type ConsoleSeed } from '../../support/scenarios/console';
import { consoleApp, sessionCookie } from '../../support/console-app';

/**
 * The console's JSON and static assets go gzipped to a client that accepts it;
 * HTML pages and the WeCom callback never do (docs/console.md).
 */

let t: TestDb;
let seed: ConsoleSeed;
let app: Koa;
let deps: AppDeps;
let close: () => void;

beforeAll(async () => {
  t = await createTestDb();
  seed = await seedConsole(t.db);
  ({ app, deps, close } = consoleApp(t));
});
afterAll(async () => {
  close?.();
  await t.drop();
});

const gzipGet = (path: string) => request(app.callback()).get(path).set('Accept-Encoding', 'gzip')
  .set('Cookie', sessionCookie(deps, seed.ids.admin));

test('the map API and a console script come gzipped', async () => {
  const map = await gzipGet(`/console/api/map?scope=${seed.ids.wushan}`);
  expect(map.status).toBe(200);
  expect(map.headers['content-encoding']).toBe('gzip');
  expect(map.body.villages.length).toBeGreaterThan(0); // supertest inflated it: the JSON is whole

  const script = await gzipGet('/console/assets/app.js');
  expect(script.status).toBe(200);
  expect(script.headers['content-encoding']).toBe('gzip');
});

test('without Accept-Encoding, and for HTML pages, nothing is compressed', async () => {
  const plain = await request(app.callback()).get(`/console/api/map?scope=${seed.ids.wushan}`)
    .set('Accept-Encoding', 'identity').set('Cookie', sessionCookie(deps, seed.ids.admin));
  expect(plain.status).toBe(200);
  expect(plain.headers['content-encoding']).toBeUndefined();

  const login = await request(app.callback()).get('/console/login').set('Accept-Encoding', 'gzip');
  expect(login.status).toBe(200);
  expect(login.headers['content-encoding']).toBeUndefined();
});
