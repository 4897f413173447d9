import request from 'supertest';
import { seedConsole } from '../../support/scenarios/console';
import { useConsoleApp, sessionCookie } from '../../support/console-app';

/**
 * The console's JSON and static assets go gzipped to a client that accepts it;
 * HTML pages and the WeCom callback never do (docs/console.md).
 */

const suite = useConsoleApp((t) => seedConsole(t.db));

const gzipGet = (path: string) => request(suite.app.callback()).get(path).set('Accept-Encoding', 'gzip')
  .set('Cookie', sessionCookie(suite.deps, suite.seed.ids.admin));

test('the map API and a console script come gzipped', async () => {
  const map = await gzipGet(`/console/api/map?scope=${suite.seed.ids.wushan}`);
  expect(map.status).toBe(200);
  expect(map.headers['content-encoding']).toBe('gzip');
  expect(map.body.villages.length).toBeGreaterThan(0); // supertest inflated it: the JSON is whole

  const script = await gzipGet('/console/assets/app.js');
  expect(script.status).toBe(200);
  expect(script.headers['content-encoding']).toBe('gzip');
});

test('without Accept-Encoding, and for HTML pages, nothing is compressed', async () => {
  const plain = await request(suite.app.callback()).get(`/console/api/map?scope=${suite.seed.ids.wushan}`)
    .set('Accept-Encoding', 'identity').set('Cookie', sessionCookie(suite.deps, suite.seed.ids.admin));
  expect(plain.status).toBe(200);
  expect(plain.headers['content-encoding']).toBeUndefined();

  const login = await request(suite.app.callback()).get('/console/login').set('Accept-Encoding', 'gzip');
  expect(login.status).toBe(200);
  expect(login.headers['content-encoding']).toBeUndefined();
});
