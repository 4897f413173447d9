import request from 'supertest';
import { Redis } from 'ioredis';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/lib/logger';
import { createMetrics } from '../../../src/metrics';
import { createMetricsApp } from '../../../src/routes/health';
import { createTestDb, type TestDb } from '../../support/db';
import { REDIS_URL } from '../../support/urls';
import { WECOM_ENV } from '../../support/console-app';

/**
 * /metrics is not public: on the app's port it answers only to ADMIN_TOKEN;
 * with METRICS_PORT it is served by an app of its own on that port and not on
 * the app's port at all (docs/operations.md).
 */

let t: TestDb;
let redis: Redis;

beforeAll(async () => {
  t = await createTestDb();
  redis = new Redis(REDIS_URL, { lazyConnect: true });
});
afterAll(async () => {
  redis.disconnect();
  await t.drop();
});

const appWith = (env: Record<string, string>) => {
  const metrics = createMetrics();
  const config = loadConfig({ ...WECOM_ENV, ...env });
  return { metrics, config, app: createApp({ config, db: t.db, redis, logger: createLogger('silent'), metrics, bot: { handle: async () => null } }) };
};

test('on the app\'s port: 401 without ADMIN_TOKEN, Prometheus text with it', async () => {
  const { app } = appWith({});
  for (const headers of [{}, { Authorization: 'Bearer wrong-token-000' }]) {
    const res = await request(app.callback()).get('/metrics').set(headers);
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('process_cpu');
  }
  const ok = await request(app.callback()).get('/metrics').set('Authorization', `Bearer ${WECOM_ENV.ADMIN_TOKEN}`);
  expect(ok.status).toBe(200);
  expect(ok.text).toContain('process_cpu_user_seconds_total');
});

test('with METRICS_PORT: not on the app\'s port at all, and served by the metrics app', async () => {
  const { app, metrics } = appWith({ METRICS_PORT: '9464' });
  const res = await request(app.callback()).get('/metrics').set('Authorization', `Bearer ${WECOM_ENV.ADMIN_TOKEN}`);
  expect(res.status).toBe(404);
  const own = createMetricsApp(metrics);
  const ok = await request(own.callback()).get('/metrics');
  expect(ok.status).toBe(200);
  expect(ok.text).toContain('process_cpu_user_seconds_total');
  expect((await request(own.callback()).get('/console')).status).toBe(404);
});
