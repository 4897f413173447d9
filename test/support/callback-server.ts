import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createApp, type AppDeps } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createMetrics } from '../../src/metrics';
import { createBot } from '../../bots';
import type { Bot } from '../../src/services/inbound/bot-port';
import type { Logger } from '../../src/lib/logger';
import { createLogger } from '../../src/lib/logger';
import { testPrefix } from './db';
import { REDIS_URL } from './urls';
import { wecomEnv, type SignedPost, type TestCreds } from './wecom-callback';

/**
 * The app listening on a loopback port with test WeCom credentials and the
 * real chat (or a given bot), for tests that drive it over real HTTP.
 */
export interface CallbackServer {
  base: string;
  deps: AppDeps;
  post(p: SignedPost): Promise<{ status: number; text: string }>;
  raw(path: string, init?: RequestInit): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export async function startCallbackServer(opts: {
  db: DataSource;
  creds: TestCreds;
  logger?: Logger;
  bot?: Bot;
  redisUrl?: string;
  env?: Record<string, string>;
  dispatch?: AppDeps['dispatch'];
}): Promise<CallbackServer> {
  const logger = opts.logger ?? createLogger('silent');
  const redis = new Redis(opts.redisUrl ?? REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  const metrics = createMetrics();
  const bot = opts.bot ?? createBot({ redis, logger, metrics, keyPrefix: `${testPrefix()}:` });
  const deps: AppDeps = { config: loadConfig({ ...wecomEnv(opts.creds), ...opts.env }), db: opts.db, redis, logger, metrics, bot, dispatch: opts.dispatch };
  const server: Server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const raw = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${base}${path}`, init);
    return { status: res.status, text: await res.text() };
  };
  return {
    base,
    deps,
    raw,
    post: (p) => raw(p.url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: p.body }),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      redis.disconnect();
    },
  };
}
