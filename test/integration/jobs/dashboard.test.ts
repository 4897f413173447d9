import Koa from 'koa';
import Router from '@koa/router';
import request from 'supertest';
import { Redis } from 'ioredis';
import { registerAdminRoutes } from '../../../src/routes/admin';
import type { AppDeps } from '../../../src/app';
import { createLogger } from '../../../src/lib/logger';
import { startWorker, type RunningWorker } from '../../../jobs/worker';
import { startOutboxWorker } from '../../../jobs/outbox-worker';
import { createOutboxDispatcher } from '../../../src/services/outbox/dispatch';
import { createWecomClient } from '../../../src/wecom/client';
import { createPhotoStorage } from '../../../src/services/photos/storage';
import { loadConfig } from '../../../src/config';
import { createTestDb, type TestDb } from '../../support/db';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-redis';

/**
 * The job dashboard as production runs it: workers on BullMQ's default prefix
 * (a Redis of the test's own, so the shared one's default keys are never
 * touched). The board lists a worker on every queue, and its pages load
 * nothing from outside the app.
 */

const TOKEN = 'dashboard-admin-token';
const logger = createLogger('silent');
let t: TestDb;
let r: PrivateRedis;
let redis: Redis;
let app: Koa;
let jobs: RunningWorker;
let delivery: { close(): Promise<void> };
let dispatcher: ReturnType<typeof createOutboxDispatcher>;

beforeAll(async () => {
  [t, r] = await Promise.all([createTestDb(), startPrivateRedis()]);
  redis = new Redis(r.url, { maxRetriesPerRequest: null });
  const wecom = createWecomClient({ config: loadConfig({}).wecom, redis, logger });
  dispatcher = createOutboxDispatcher({ db: t.db, redisUrl: r.url, logger });
  jobs = await startWorker({ db: t.db, logger, redisUrl: r.url, schedule: false, photos: { wecom, storage: createPhotoStorage(loadConfig({ DATA_DIR: '/tmp/sl-dashboard-test' })) } });
  delivery = startOutboxWorker({ db: t.db, redisUrl: r.url, logger, wecom, dispatcher, sweepIntervalMs: 0 });
  app = new Koa();
  app.silent = true; // static files the client stops reading are not errors of the test
  const router = new Router();
  registerAdminRoutes(router, { config: { adminToken: TOKEN }, redis, logger } as unknown as AppDeps);
  app.use(router.routes());
});
afterAll(async () => {
  await delivery?.close();
  await jobs?.close();
  await dispatcher?.close();
  redis?.disconnect();
  await r?.kill();
  await t?.drop();
});

const get = (path: string) => request(app.callback()).get(path).set('Authorization', `Bearer ${TOKEN}`);

it('shows the running workers on every queue (not 无 Worker)', async () => {
  const res = await get('/admin/queues/api/queues');
  expect(res.status).toBe(200);
  const shown = Object.fromEntries(res.body.queues.map((q: { name: string; hasWorkers: boolean }) => [q.name, q.hasWorkers]));
  expect(shown).toEqual({ jobs: true, outbox: true, photos: true });
});

it('serves every asset of its pages from the app: no external URL in any page, each linked asset answers 200', async () => {
  for (const page of ['/admin/queues/', '/admin/queues/queue/jobs']) {
    const res = await get(page);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html');
    expect(res.text.match(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'<>]*/gi) ?? []).toEqual([]);
    const assets = [...res.text.matchAll(/\b(?:href|src)="([^"]+)"/g)].map((m) => m[1]).filter((a) => !a.startsWith('data:'));
    expect(assets.length).toBeGreaterThan(3);
    for (const asset of assets) {
      const url = new URL(asset, 'http://app/admin/queues/');
      expect([asset, url.host]).toEqual([asset, 'app']);
      expect([asset, (await get(url.pathname)).status]).toEqual([asset, 200]);
    }
  }
  // The stylesheets pull nothing from outside either.
  const css = [...(await get('/admin/queues/')).text.matchAll(/href="([^"]+\.css)"/g)].map((m) => m[1]);
  for (const sheet of css) expect((await get(`/admin/queues/${sheet}`)).text).not.toMatch(/url\(\s*["']?(https?:)?\/\//);
});
