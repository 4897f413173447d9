import Koa from 'koa';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppDeps } from '../app';
import type { Metrics } from '../metrics';
import { withinOr } from '../lib/promise-timeout';
import { databaseAnswers } from '../services/ops/health';
import { adminAuth } from './admin';

/**
 * GET /healthz checks PostgreSQL and Redis. GET /metrics serves Prometheus text: on
 * the app's port behind ADMIN_TOKEN, or, with METRICS_PORT, only on that port
 * (createMetricsApp), for a monitoring network to reach (docs/operations.md).
 */
export function registerHealthRoutes(router: Router, { db, redis, metrics, config, logger }: AppDeps): void {
  router.get('/healthz', async (ctx) => {
    const [postgres, redisOk] = await Promise.all([
      withinOr(databaseAnswers(db), 2000, false),
      withinOr(redis.ping().then((r) => r === 'PONG').catch(() => false), 2000, false),
    ]);
    ctx.status = postgres && redisOk ? 200 : 503;
    ctx.body = { status: ctx.status === 200 ? 'ok' : 'degraded', postgres, redis: redisOk };
  });

  if (config.metricsPort === undefined) router.get('/metrics', adminAuth(config.adminToken, logger), prometheus(metrics));
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
