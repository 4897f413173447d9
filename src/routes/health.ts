import type Router from '@koa/router';
import type { AppDeps } from '../app';
import { withinOr } from '../lib/promise-timeout';
import { databaseAnswers } from '../services/ops/health';

/** GET /healthz checks PostgreSQL and Redis; GET /metrics serves Prometheus text. */
export function registerHealthRoutes(router: Router, { db, redis, metrics }: AppDeps): void {
  router.get('/healthz', async (ctx) => {
    const [postgres, redisOk] = await Promise.all([
      withinOr(databaseAnswers(db), 2000, false),
      withinOr(redis.ping().then((r) => r === 'PONG').catch(() => false), 2000, false),
    ]);
    ctx.status = postgres && redisOk ? 200 : 503;
    ctx.body = { status: ctx.status === 200 ? 'ok' : 'degraded', postgres, redis: redisOk };
  });

  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
}
