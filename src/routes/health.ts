import Koa from 'koa';
import type Router from '@koa/router';
import { Queue } from 'bullmq';
import type { Middleware } from 'koa';
import type { AppDeps } from '../app';
import type { Metrics } from '../metrics';
import { withinOr } from '../lib/promise-timeout';
import { databaseAnswers } from '../services/ops/health';
import { missingJobSchedulers } from '../services/jobs/job-schedulers';
import { JOBS_QUEUE, QUEUE_PREFIX } from '../lib/queue-names';
import { adminAuth } from './admin';

/**
 * GET /healthz checks PostgreSQL and Redis (503 when either does not answer) and the
 * job schedulers in Redis: a missing one is named and the status is "degraded", with
 * a 200, since this process still serves (a load balancer must not drop every server
 * while a worker puts the schedules back). GET /metrics serves Prometheus text: on
 * the app's port behind ADMIN_TOKEN, or, with METRICS_PORT, only on that port
 * (createMetricsApp), for a monitoring network to reach (docs/operations.md).
 */
export function registerHealthRoutes(router: Router, { db, redis, metrics, config, logger, jobSchedules }: AppDeps): void {
  const missingSchedules = schedulesCheck(redis, jobSchedules);
  router.get('/healthz', async (ctx) => {
    const [postgres, redisOk] = await Promise.all([
      withinOr(databaseAnswers(db), 2000, false),
      withinOr(redis.ping().then((r) => r === 'PONG').catch(() => false), 2000, false),
    ]);
    const missing = redisOk ? await withinOr(missingSchedules().catch(() => undefined), 2000, undefined) : undefined;
    ctx.status = postgres && redisOk ? 200 : 503;
    const ok = ctx.status === 200 && (missing === undefined || missing.length === 0);
    ctx.body = { status: ok ? 'ok' : 'degraded', postgres, redis: redisOk, ...(missing?.length ? { schedules: { missing } } : {}) };
  });

  if (config.metricsPort === undefined) router.get('/metrics', adminAuth(config.adminToken, logger), prometheus(metrics));
}

/** The ids of `expected` that Redis no longer holds; none expected (tests, a bare app): always none. */
function schedulesCheck(redis: AppDeps['redis'], expected: readonly string[] | undefined): () => Promise<string[]> {
  if (!expected?.length) return async () => [];
  let queue: Queue | undefined;
  return () => missingJobSchedulers(queue ??= new Queue(JOBS_QUEUE, { connection: redis, prefix: QUEUE_PREFIX }), expected);
}

function prometheus(metrics: Metrics): Middleware {
  return async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  };
}

/** The app behind METRICS_PORT: GET /metrics and nothing else. */
export function createMetricsApp(metrics: Metrics): Koa {
  const app = new Koa();
  const serve = prometheus(metrics);
  app.use(async (ctx, next) => (ctx.method === 'GET' && ctx.path === '/metrics' ? serve(ctx, next) : next()));
  return app;
}
