import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { createBot } from '../../bots';
import { APP_MENU } from '../../bots/menu';
import { startOutboxWorker } from '../../jobs/outbox-worker';
import { createApp, type AppDeps } from '../../src/app';
import { loadConfig, SIMULATOR_MOUNT, type Config } from '../../src/config';
import { demoSimulator } from '../../src/demo/simulator/demo';
import type { Logger } from '../../src/lib/logger';
import { createMetrics } from '../../src/metrics';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/services/outbox/dispatch';
import { createWecomClient } from '../../src/wecom/client';
import { listen } from './browser';
import { testPrefix, type TestDb } from './db';
import { REDIS_URL } from './urls';

/** The app as main.ts runs it in demo mode, on a loopback port. */
export interface DemoServer {
  server: Server;
  base: string;
  config: Config;
  deps: AppDeps;
  redis: Redis;
  prefix: string;
  dispatcher: OutboxDispatcher;
  /** Stops the outbox worker, the dispatcher and the server, and lets go of Redis; not the database. */
  close(): Promise<void>;
}

/**
 * Demo mode over `t`: the bot, the WeCom simulator mounted on the app itself
 * (WeCom's API base pointed at it), the app menu made as main.ts makes it, and
 * an outbox worker delivering.
 */
export async function startDemoServer(t: TestDb, logger: Logger): Promise<DemoServer> {
  const redis = new Redis(REDIS_URL);
  const prefix = testPrefix();
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: t.url });
  const dispatcher = createOutboxDispatcher({ db: t.db, redisUrl: REDIS_URL, prefix, logger });
  const deps: AppDeps = {
    config, db: t.db, redis, logger, metrics: createMetrics(), bot: createBot({ redis, logger, keyPrefix: `${prefix}:` }),
    dispatch: dispatcher.dispatch, simulator: demoSimulator(t.db, config.wecom),
  };
  const { server, base } = await listen(createApp(deps));
  config.wecom.apiBase = `${base}${SIMULATOR_MOUNT}`;
  const wecom = createWecomClient({ config: config.wecom, redis, logger, keyPrefix: `${prefix}:` });
  await wecom.createMenu(APP_MENU);
  const worker = startOutboxWorker({ db: t.db, redisUrl: REDIS_URL, prefix, dispatcher, logger, sweepIntervalMs: 300, wecom });
  return {
    server, base, config, deps, redis, prefix, dispatcher,
    async close() {
      await worker.close();
      await dispatcher.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      redis.disconnect();
    },
  };
}
