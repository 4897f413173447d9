import { Redis } from 'ioredis';
import request from 'supertest';
import type Koa from 'koa';
import { createApp, type AppDeps } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/lib/logger';
import { createMetrics } from '../../src/metrics';
import type { ConsoleWecom } from '../../src/routes/console/context';
import { createSessionToken, SESSION_COOKIE } from '../../src/auth/session';
import { REDIS_URL } from './urls';
import { createTestDb, type TestDb } from './db';

/** The app wired for console tests: demo mode unless WeCom credentials are given; a bot that never answers. */
export function consoleApp(t: TestDb, opts: { env?: Record<string, string>; wecom?: ConsoleWecom } = {}): { app: Koa; deps: AppDeps; close(): void } {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  const deps = {
    config: loadConfig({ ...opts.env }),
    db: t.db,
    redis,
    logger: createLogger('silent'),
    metrics: createMetrics(),
    bot: { handle: async () => null },
    ...(opts.wecom ? { wecom: opts.wecom } : {}),
  } as unknown as AppDeps;
  return { app: createApp(deps), deps, close: () => redis.disconnect() };
}

/** A Cookie header holding a valid session for the cadre. */
export function sessionCookie(deps: AppDeps, cadreId: number): string {
  return `${SESSION_COOKIE}=${createSessionToken(deps.config.sessionSecret, cadreId, new Date())}`;
}

export const WECOM_ENV = {
  WECOM_CORP_ID: 'ww1436e0e65a779aee',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'test-secret-value',
  WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  WECOM_API_BASE: 'http://127.0.0.1:9',
  ADMIN_TOKEN: 'test-admin-token',
  PUBLIC_URL: 'https://sl.example.gov.cn',
};

/** A console test file's app, filled in by beforeAll: the database, its seed, the app and its deps, and request helpers. */
export interface ConsoleSuite<S extends { ids: Record<string, number> }> {
  t: TestDb;
  seed: S;
  app: Koa;
  deps: AppDeps;
  /** Headers with a session for `who`: a key of seed.ids or a cadre id. */
  as(who: string | number): { Cookie: string };
  /** A GET of `path` as `who` (default the 武山县 leader, seed.ids.wsLeader). */
  get(path: string, who?: string | number): request.Test;
}

export interface ConsoleSuiteOptions<S extends { ids: Record<string, number> }> {
  /** The app's environment; a function is read when the suite starts (after the file's own earlier beforeAll). */
  env?: Record<string, string> | (() => Record<string, string>);
  wecom?: ConsoleWecom;
  /** The app's clock stands still at `now`. */
  now?: Date;
  /** More test data, after the seed and the app are made. */
  setup?: (suite: ConsoleSuite<S>) => Promise<void>;
}

/**
 * Registers beforeAll/afterAll that make a test database, seed it, and wire the
 * console app over it (closed and dropped after the file); the returned object's
 * fields are filled when the suite starts.
 */
export function useConsoleApp<S extends { ids: Record<string, number> }>(
  makeSeed: (t: TestDb) => Promise<S>, opts: ConsoleSuiteOptions<S> = {},
): ConsoleSuite<S> {
  let close: (() => void) | undefined;
  const suite = {
    as: (who: string | number) => ({ Cookie: sessionCookie(suite.deps, typeof who === 'number' ? who : suite.seed.ids[who]) }),
    get: (path: string, who: string | number = 'wsLeader') => request(suite.app.callback()).get(path).set(suite.as(who)),
  } as ConsoleSuite<S>;
  beforeAll(async () => {
    suite.t = await createTestDb();
    suite.seed = await makeSeed(suite.t);
    const env = typeof opts.env === 'function' ? opts.env() : opts.env;
    const c = consoleApp(suite.t, { env, wecom: opts.wecom });
    ({ app: suite.app, deps: suite.deps, close } = c);
    if (opts.now) {
      const now = opts.now;
      suite.deps.clock = () => now;
    }
    await opts.setup?.(suite);
  });
  afterAll(async () => {
    close?.();
    await suite.t?.drop();
  });
  return suite;
}
