import Koa from 'koa';
import compress from 'koa-compress';
import type { Clock } from './lib/db';
import Router from '@koa/router';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import type { Config } from './config';
import type { Logger } from './lib/logger';
import type { Metrics } from './metrics';
import type { Bot } from './services/inbound/bot-port';
import type { WecomClient } from './wecom/client';
import type { SimulatorState } from './demo/simulator';
import { BadInputError, isAppError } from './lib/errors';
import { registerRoutes } from './routes';

export interface AppDeps {
  config: Config;
  db: DataSource;
  redis: Redis;
  logger: Logger;
  metrics: Metrics;
  /** The chat: handles every stored inbound WeCom message (src/services/inbound/bot-port.ts). */
  bot: Bot;
  /** "Now" for request handling; tests fix it. Defaults to the system clock. */
  clock?: Clock;
  /** Hands committed outbox row ids to delivery (OutboxDispatcher.dispatch); without it the sweeper sends them. */
  dispatch?: (outboxIds: number[]) => Promise<void>;
  /** Queues the fetch of pictures sent in chat, after the message's transaction commits. */
  queuePhotos?: (photoIds: number[]) => Promise<void>;
  /** An inbound worker runs (jobs/inbound-worker.ts): a busy callback stores new messages `deferred` for it. */
  deferInbound?: boolean;
  /** The WeCom API client: console/H5 OAuth (getUserInfo) and the H5 page's JS-SDK ticket. */
  wecom?: Pick<WecomClient, 'getUserInfo' | 'getJsapiTicket'>;
  /** Demo mode: the built-in WeCom simulator, mounted at SIMULATOR_MOUNT and read by the /demo page. */
  simulator?: SimulatorState;
  /** The job schedulers the worker keeps in Redis (jobs/schedules.ts): /healthz names those missing. */
  jobSchedules?: readonly string[];
}

/** Paths whose answers may be compressed: the console's APIs and static assets. */
const COMPRESSED = /^\/(console\/api\/|(console|h5|demo)\/.*\.(js|css|json)$)/;

/** The Koa app: policy lives in middleware, errors are caught once here. */
export function createApp(deps: AppDeps): Koa {
  // X-Forwarded-* only from a proxy the operator named (TRUST_PROXY); otherwise any client could forge them.
  const app = new Koa({ proxy: deps.config.trustProxy });
  const log = deps.logger.child({ area: 'http' });

  app.use(async (ctx, next) => {
    const end = deps.metrics.httpRequests.startTimer({ method: ctx.method });
    try {
      await next();
    } catch (err) {
      if (isAppError(err)) {
        ctx.status = err.status;
        ctx.body = { error: err.code, message: err.userMessage, ...(err instanceof BadInputError ? { field: err.field } : {}) };
        if (err.status === 403) log.warn({ path: ctx.path, code: err.code, detail: err.message }, 'denied');
      } else {
        const status = (err as { status?: number }).status;
        if (status && status >= 400 && status < 500) {
          ctx.status = status;
          ctx.body = { error: 'bad_request', message: (err as Error).message };
        } else {
          log.error({ err, path: ctx.path }, 'unhandled error');
          ctx.status = 500;
          ctx.body = { error: 'internal', message: '服务器内部错误，请稍后再试。' };
        }
      }
    } finally {
      end({ route: (ctx as { routerPath?: string }).routerPath ?? 'unmatched', status: String(ctx.status) });
    }
  });

  if (deps.config.secureCookies) {
    // PUBLIC_URL is https: a TLS proxy stands in front even when it does not say so.
    app.use(async (ctx, next) => {
      ctx.cookies.secure = true;
      await next();
    });
  }

  // Errors after the answer began (a stream body failing, a client that went away) reach here,
  // not the middleware above: into the log, never a bare stack on stdout.
  app.on('error', (err: Error & { code?: string }, ctx?: Koa.Context) => {
    if (err.code === 'ERR_STREAM_PREMATURE_CLOSE') log.debug({ path: ctx?.path }, 'client closed the response early');
    else log.error({ err, path: ctx?.path }, 'response failed');
  });

  // The console's JSON and its static scripts and data are gzipped (a province's map is
  // megabytes of coordinates; cadres open pages on phones). Pages themselves are not:
  // HTML carrying a form token must not be compressed beside input an attacker can
  // reflect into it (BREACH); the JSON carries no secret.
  const gzip = compress({ threshold: 1024, filter: (type) => /json|javascript|css/.test(type) });
  app.use((ctx, next) => (COMPRESSED.test(ctx.path) ? gzip(ctx, next) : next()));

  const router = new Router();
  registerRoutes(router, deps);
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}
