import 'reflect-metadata';
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger } from './lib/logger';
import { createMetrics } from './metrics';
import { createApp } from './app';
import { createMetricsApp } from './routes/health';
import { openDatabase } from '../entities/data-source';
import { loadDemoRosterIfEmpty } from './demo/roster';
import { seedDemoQuarter } from './demo/activity';
import { createBot } from '../bots';
import { startInboundRetryLoop } from './services/inbound/retry';
import { startWorker } from '../jobs/worker';
import { SCHEDULE_IDS } from '../jobs/schedules';
import { createPhotoQueue } from './services/photos/queue';
import { createPhotoStorage } from './services/photos/storage';
import { createWecomClient } from './wecom/client';
import { demoSimulator } from './demo/simulator/demo';
import { createOutboxDispatcher } from './services/outbox/dispatch';
import { startOutboxWorker } from '../jobs/outbox-worker';
import { startInboundWorker } from '../jobs/inbound-worker';
import { APP_MENU } from '../bots/menu';
import { demoUrlLines } from './demo/links';

/**
 * Wires everything: `node dist/src/main.js` runs server and worker in one
 * process (small installs, demo); `--worker` runs only the job worker,
 * `--server` only the HTTP server.
 */
async function main(argv: string[]): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) process.stderr.write(`config error: ${p}\n`);
      process.exit(1);
    }
    throw e;
  }
  const role = argv.includes('--worker') ? 'worker' : argv.includes('--server') ? 'server' : 'all';
  const logger = createLogger(config.logLevel);
  const db = await openDatabase({ url: config.databaseUrl, applicationName: `shuanglian-${role}` });
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  const metrics = createMetrics();
  // Pictures sent in chat are queued once their message commits, and fetched by the photo-fetch worker.
  const photoQueue = createPhotoQueue({ redisUrl: config.redisUrl });
  const bot = createBot({ redis, logger, metrics });
  // One client per process: its token and tickets live in Redis, shared with every other process.
  const wecom = createWecomClient({ config: config.wecom, redis, logger });

  const closers: (() => Promise<unknown>)[] = [];
  let server: Server | undefined;
  // Committed outbox rows → BullMQ; rows it cannot enqueue wait for the outbox sweeper.
  const outbox = createOutboxDispatcher({ db, redisUrl: config.redisUrl, logger });

  if (config.demo && role !== 'worker') {
    const loaded = await loadDemoRosterIfEmpty(db, logger);
    if (loaded) logger.info({ ...loaded }, 'demo roster loaded');
    // A fresh demo also gets a scored quarter of work, so 考评 has something to rank.
    if (loaded) await seedDemoQuarter(db, logger);
  }

  if (role !== 'worker') {
    // Demo mode: the WeCom simulator answers at config.wecom.apiBase (this server's SIMULATOR_MOUNT).
    const simulator = config.demo ? demoSimulator(db, config.wecom) : undefined;
    // A burst beyond what the callback processes inline is left to the inbound worker (jobs/inbound-worker.ts),
    // which runs in this process or in a --worker one.
    const app = createApp({
      config, db, redis, logger, metrics, bot, wecom, dispatch: outbox.dispatch, queuePhotos: photoQueue.enqueue, simulator, deferInbound: true,
      // /healthz names the schedules a worker should keep in Redis and does not.
      jobSchedules: SCHEDULE_IDS,
    });
    server = app.listen(config.port, config.host, () => {
      logger.info({ host: config.host, port: config.port, publicUrl: config.publicUrl, demo: config.demo }, `server listening on ${config.host}:${config.port}`);
      if (config.demo) {
        // Anyone who reaches a demo server can act as anyone: say where it listens.
        const reach = config.host === '127.0.0.1' || config.host === '::1' || config.host === 'localhost' ? 'this machine only' : 'every host that can reach it';
        logger.info({ url: `${config.publicUrl}/demo`, host: config.host }, `demo mode: no WECOM_* credentials set; listening on ${config.host}, open to ${reach} (HOST)`);
        // For the person who typed `npm start`: the pages as plain lines, readable between the JSON log lines.
        process.stdout.write(`${demoUrlLines(config).join('\n')}\n`);
        // The demo page shows the app menu the built-in simulator holds (npm run wecom -- menu in production).
        wecom.createMenu(APP_MENU).catch((err: Error) => logger.warn({ err: err.message }, 'demo menu not created'));
      }
    });
    closers.push(() => new Promise((resolve) => server!.close(resolve)));
  }

  if (config.metricsPort !== undefined) {
    // /metrics on a port of its own instead of behind ADMIN_TOKEN on PORT (docs/operations.md).
    const metricsServer = createMetricsApp(metrics).listen(config.metricsPort, config.host, () => {
      logger.info({ host: config.host, port: config.metricsPort }, `metrics on ${config.host}:${config.metricsPort}/metrics`);
    });
    closers.push(() => new Promise((resolve) => metricsServer.close(resolve)));
  }

  if (role !== 'server') {
    // Inbound messages the callback could not finish: processed again, replies by outbox.
    const retry = startInboundRetryLoop({ db, bot, logger, dispatch: outbox.dispatch, queuePhotos: photoQueue.enqueue });
    closers.push(() => retry.stop());
    // Messages the callback stored but left to the worker: processed at once, replies by outbox.
    const inboundWorker = startInboundWorker({ db, bot, logger, dispatch: outbox.dispatch, queuePhotos: photoQueue.enqueue });
    closers.unshift(() => inboundWorker.close());
    // Scheduled jobs (jobs/schedules.ts): digests, reminders, follow-ups, auto-checkout.
    const jobs = await startWorker({
      db, logger, redisUrl: config.redisUrl, publicUrl: config.publicUrl,
      dispatch: outbox.dispatch,
      // Pictures sent in chat: media/get, then the local data folder or S3 (jobs/photo-fetch.ts).
      photos: { wecom, storage: createPhotoStorage(config) },
    });
    closers.unshift(() => jobs.close());
    // Outbox delivery: rate limits, retries, and a sweep for rows Redis never saw (jobs/outbox-worker.ts).
    const delivery = startOutboxWorker({
      db, redisUrl: config.redisUrl, logger, metrics, dispatcher: outbox,
      wecom, policy: { sendingLeaseMs: config.outboxSendingLeaseMs },
    });
    closers.unshift(() => delivery.close());
  }

  closers.push(() => outbox.close());
  closers.push(() => photoQueue.close()); // after the server: late messages still queue their pictures
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    for (const close of closers) await close().catch((err) => logger.error({ err }, 'close failed'));
    redis.disconnect();
    await db.destroy();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`fatal: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
