import { createServer, type Server } from 'node:http';
import Router from '@koa/router';
import request from 'supertest';
import { registerRoutes } from '../../../src/routes';
import { seedConsole } from '../../support/scenarios/console';
import { useConsoleApp, sessionCookie } from '../../support/console-app';
import { concurrently } from '../../support/concurrently';

/**
 * Every route of the app, read from the router itself (a route added later is
 * fuzzed too), called with every bad value in every path parameter, every
 * id-like query parameter and every id in a JSON body: the answer is a 4xx
 * (or a 2xx/3xx when the value is harmless there), never a 5xx. Path ids are
 * tried as an admin, a county leader and a plain cadre; query and body values
 * as the admin, whose province-wide scope lets every value reach the query.
 * docs/reliability.md lists the values.
 */

/** Ids past PostgreSQL's integer, signs, fractions, exponents, blanks, non-digits, injections. */
export const BAD_IDS = [
  '2147483648', '4294967296', '9223372036854775808', '99999999999999999999999', '-1', '0', '-0', '1.5', '1e3', '1e400',
  '0x10', ' 1', '1 ', '01', '', '１', 'NaN', 'Infinity', '-Infinity', 'null', 'true', 'abc', "1' OR '1'='1", '1;DROP TABLE x',
  '%00', '1%00', '{}', '[]', 'x'.repeat(5000),
];
/** Dates: impossible days, years the calendar helpers and PostgreSQL may not hold, wrong shapes. */
const BAD_DATES = ['2026-02-30', '2026-13-01', '0000-01-01', '9999-12-31', '1969-12-31', '2026-1-1', '20260101', 'today', ''];
const BAD_PAGES = ['0', '-1', '100001', '2147483648', '1e9', 'x', ''];

const ID_QUERY = ['scope', 'village', 'problem', 'visit', 'householdVisit'];
const QUERY_VALUES: Record<string, string[]> = {
  ...Object.fromEntries(ID_QUERY.map((k) => [k, BAD_IDS])),
  from: BAD_DATES, to: BAD_DATES, page: BAD_PAGES, size: BAD_PAGES,
};
const BODY_IDS = ['villageId'];
/** Path parameters that are not ids: a value that names the route. */
const FIXED_PARAMS: Record<string, string> = { kind: 'ledger' };

const IN_FLIGHT = 8;

const suite = useConsoleApp((t) => seedConsole(t.db));
// One listening server for the few thousand requests (supertest would start one per request).
let server: Server;
beforeAll(() => { server = createServer(suite.app.callback()).listen(0, '127.0.0.1'); });
afterAll(() => new Promise<void>((done) => server.close(() => done())));

interface Route { method: string; path: string; params: string[] }

function routes(): Route[] {
  const router = new Router();
  registerRoutes(router, suite.deps);
  const out: Route[] = [];
  for (const layer of router.stack) {
    if (typeof layer.path !== 'string') continue;
    // The callback has its own fuzz test (callback-fuzz.test.ts); the dashboard is bull-board's.
    if (layer.path.startsWith('/wecom/') || layer.path.startsWith('/admin/')) continue;
    for (const method of layer.methods.filter((m) => m === 'GET' || m === 'POST')) {
      out.push({ method, path: layer.path as string, params: layer.paramNames.map((p) => String(p.name)) });
    }
  }
  return out;
}

function fill(r: Route, value: string): string {
  let path = r.path;
  for (const p of r.params) path = path.replace(`:${p}`, encodeURIComponent(FIXED_PARAMS[p] ?? value));
  return path;
}

test('no value in any id, date or page parameter of any route gets a 5xx', async () => {
  const all = routes();
  expect(all.map((r) => r.path)).toEqual(expect.arrayContaining([
    '/console/api/problems/:id', '/console/api/problems/:id/close', '/photos/:id', '/photos/:id/thumb', '/console/api/photos',
    '/console/api/export/:kind.xlsx', '/h5/api/checkin',
  ]));
  const who = [suite.seed.ids.admin, suite.seed.ids.wsLeader, suite.seed.ids.zhangsan].map((id) => sessionCookie(suite.deps, id));
  const fiveHundreds: string[] = [];
  let tried = 0;
  // Collected first, then sent IN_FLIGHT at a time (the requests are independent).
  const calls: (() => Promise<void>)[] = [];
  const send = (r: Route, url: string, body?: object, cookies = who.slice(0, 1)) => {
    for (const cookie of cookies) {
      calls.push(async () => {
        const req = r.method === 'POST' ? request(server).post(url).send(body ?? { note: '已整改' }) : request(server).get(url);
        const res = await req.set('Cookie', cookie);
        tried++;
        if (res.status >= 500) fiveHundreds.push(`${r.method} ${url.slice(0, 120)} ${body ? JSON.stringify(body).slice(0, 80) : ''}: ${res.status}`);
      });
    }
  };
  for (const r of all) {
    const idParams = r.params.filter((p) => !(p in FIXED_PARAMS));
    if (idParams.length > 0) for (const bad of BAD_IDS) send(r, fill(r, bad), undefined, who);
    // Static files take no parameters.
    if (!r.path.includes('/api/') && idParams.length === 0) continue;
    const base = fill(r, String(suite.seed.ids.pOpen));
    for (const [name, values] of Object.entries(QUERY_VALUES)) {
      for (const bad of values) send(r, `${base}?${name}=${encodeURIComponent(bad)}`);
    }
    if (r.method === 'POST') {
      for (const key of BODY_IDS) {
        for (const bad of [...BAD_IDS, ...BAD_IDS.map(Number).filter((n) => !Number.isNaN(n))]) {
          send(r, base, { [key]: bad, latitude: suite.seed.dingmen.latitude, longitude: suite.seed.dingmen.longitude, note: '已整改' });
        }
      }
    }
  }
  await concurrently(IN_FLIGHT, calls, (call) => call());
  expect(fiveHundreds).toEqual([]);
  expect(tried).toBeGreaterThan(2000);
}, 300_000);
