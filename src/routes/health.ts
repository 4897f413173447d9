import type Router from '@koa/router';
import type { AppDeps } from '../app';

/** GET /healthz checks PostgreSQL and Redis; GET /metrics serves Prometheus text. */
export function registerHealthRoutes(router: Router, { db, redis, metrics }: AppDeps): void {
  router.get('/healthz', async (ctx) => {
    const [postgres, redisOk] = await Promise.all([
      withTimeout(db.query('SELECT 1').then(() => true), 2000),
      withTimeout(redis.ping().then((r) => r === 'PONG'), 2000),
    ]);
    ctx.status = postgres && redisOk ? 200 : 503;
    ctx.body = { status: ctx.status === 200 ? 'ok' : 'degraded', postgres, redis: redisOk };
  });

  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
}

async function withTimeout(p: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
