import Koa from 'koa';
import Router from '@koa/router';
import request from 'supertest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { AppDeps } from '../../../src/app';
import { createLogger } from '../../../src/lib/logger';
import { createMetrics } from '../../../src/metrics';
import { loadConfig } from '../../../src/config';
import { registerHealthRoutes } from '../../../src/routes/health';
import { JOBS_QUEUE, QUEUE_PREFIX } from '../../../src/lib/queue-names';
import { SCHEDULES, SCHEDULE_IDS } from '../../../jobs/schedules';
import { startWorker, type RunningWorker } from '../../../jobs/worker';
import { createTestDb, type TestDb } from '../../support/db';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-redis';
import { until } from '../../support/until';

/**
 * Redis (a private redis-server) restarts empty under a running worker: every
 * BullMQ job scheduler is gone. /healthz names the missing schedules as
 * degraded; the worker upserts them again by itself, and the next digest
 * runs without a restart. The daily digest fires every 2 s here, and the
 * worker's clock moves a day per run, so each run is a digest of its own.
 */

const logger = createLogger('silent');
const DAY = 86_400_000;
let t: TestDb;
let r: PrivateRedis;
let worker: RunningWorker;
let redis: Redis;
let app: Koa;
let probe: Queue;
let runs = 0;

beforeAll(async () => {
  [t, r] = await Promise.all([createTestDb(), startPrivateRedis()]);
  const schedules = SCHEDULES.map((s) => (s.id === 'digest-daily' ? { ...s, cron: '*/2 * * * * *' } : s));
  const base = Date.parse('2026-03-02T12:00:00Z');
  worker = await startWorker({
    db: t.db, logger, redisUrl: r.url, schedules, scheduleCheckMs: 3000, clock: () => new Date(base + runs++ * DAY),
  });
  redis = new Redis(r.url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  probe = new Queue(JOBS_QUEUE, { connection: redis, prefix: QUEUE_PREFIX });
  app = new Koa();
  const router = new Router();
  registerHealthRoutes(router, { db: t.db, redis, logger, metrics: createMetrics(), config: loadConfig({}), jobSchedules: SCHEDULE_IDS } as unknown as AppDeps);
  app.use(router.routes());
});
afterAll(async () => {
  await worker?.close();
  await probe?.close();
  redis?.disconnect();
  await r?.kill();
  await t?.drop();
});

const digests = async (): Promise<number> => (await t.db.query(`SELECT count(*)::int AS n FROM job_runs WHERE job = 'digest'`))[0].n;
const health = async () => request(app.callback()).get('/healthz');

test('Redis restarted empty: /healthz names the missing schedules; the worker puts them back and the next digest runs', async () => {
  await until(async () => (await digests()) >= 1, { what: 'a first digest', timeoutMs: 15_000, pollMs: 200 });
  const before = await health();
  expect([before.status, before.body]).toEqual([200, { status: 'ok', postgres: true, redis: true }]);

  await r.kill();
  await r.start();
  const restarted = Date.now();
  // Writes held for a moment (reads go on), so the worker cannot put the schedulers back before
  // /healthz is asked: every one is gone and it says which.
  const pauser = new Redis(r.url);
  await pauser.client('PAUSE', 3000, 'WRITE');
  const degraded = await health();
  await pauser.client('UNPAUSE');
  pauser.disconnect();
  expect(degraded.status).toBe(200);
  expect(degraded.body.status).toBe('degraded');
  expect([...degraded.body.schedules.missing].sort()).toEqual([...SCHEDULE_IDS].sort());

  const after = await digests();
  await until(async () => (await digests()) > after, { what: 'a digest after the empty restart', timeoutMs: 30_000, pollMs: 200 });
  process.stdout.write(`redis-empty-schedules: a digest ran ${Date.now() - restarted} ms after Redis came back empty\n`);
  expect((await probe.getJobSchedulers()).map((s) => s.key).sort()).toEqual([...SCHEDULE_IDS].sort());
  const healthy = await health();
  expect([healthy.status, healthy.body]).toEqual([200, { status: 'ok', postgres: true, redis: true }]);
  // Once per period: every run was a day of its own, none twice.
  const [{ rows, periods }] = await t.db.query(`SELECT count(*)::int AS rows, count(DISTINCT period_key)::int AS periods FROM job_runs WHERE job = 'digest'`);
  expect(rows).toBe(periods);
}, 60_000);
