import { Redis } from 'ioredis';
import type Koa from 'koa';
import { createApp, type AppDeps } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/lib/logger';
import { createMetrics } from '../../src/metrics';
import type { ConsoleWecom } from '../../src/routes/console/context';
import { createSessionToken, SESSION_COOKIE } from '../../src/auth/session';
import { REDIS_URL } from './urls';
import type { TestDb } from './db';

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
