import 'reflect-metadata';
import type { Server } from 'node:http';
import { setPriority } from 'node:os';
import Koa from 'koa';
import getRawBody from 'raw-body';
import { XMLParser } from 'fast-xml-parser';
import { decrypt, getSignature } from '@wecom/crypto';
import { Pool } from 'pg';
import { Redis } from 'ioredis';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/lib/logger';
import { createMetrics } from '../../src/metrics';
import { createDataSource } from '../../entities/data-source';
import { createBot } from '../../bots';
import { startInboundWorker } from '../../jobs/inbound-worker';
import { createOutboxDispatcher } from '../../src/services/outbox/dispatch';
import { FLOOR_TABLE, INBOUND_PREFIX, type Stage } from './payloads';

/**
 * One server process of the chat benchmark, forked by bench/chat-throughput.ts
 * with the stage as argv[2] and the WeCom environment from the parent:
 *   floor  — bare Koa: verify the signature and decrypt (nothing stored)
 *   insert — the same plus one INSERT … ON CONFLICT DO NOTHING
 *   full   — the real app (createApp as main.ts wires it): POST /wecom/callback
 *   worker — the inbound worker that processes what `full` left to it (main.ts --worker)
 * It reports its port to the parent over IPC and stops on SIGTERM.
 */
/** Same pool size as the app's DataSource default, so the floors are not given more connections. */
const POOL_SIZE = 10;

const xml = new XMLParser({ parseTagValue: false });

function floorApp(stage: 'floor' | 'insert', env: NodeJS.ProcessEnv, pool: Pool | null): Koa {
  const token = env.WECOM_TOKEN!;
  const aesKey = env.WECOM_ENCODING_AES_KEY!;
  const app = new Koa();
  app.use(async (ctx) => {
    const body = await getRawBody(ctx.req, { limit: 64 * 1024, encoding: 'utf8' });
    const encrypted = String(xml.parse(body).xml.Encrypt);
    const q = ctx.query as Record<string, string>;
    if (getSignature(token, q.timestamp, q.nonce, encrypted) !== q.msg_signature) ctx.throw(401);
    const msg = xml.parse(decrypt(aesKey, encrypted).message).xml;
    if (pool) {
      await pool.query(
        `INSERT INTO ${FLOOR_TABLE} (msg_id, from_user, raw_xml) VALUES ($1, $2, $3) ON CONFLICT (msg_id) DO NOTHING`,
        [String(msg.MsgId), String(msg.FromUserName), body],
      );
    }
    ctx.status = 200;
    ctx.body = '';
  });
  return app;
}

async function start(stage: Stage | 'worker'): Promise<{ server?: Server; close: () => Promise<void> }> {
  const env = process.env;
  if (stage === 'floor' || stage === 'insert') {
    const pool = stage === 'insert' ? new Pool({ connectionString: env.DATABASE_URL, max: POOL_SIZE }) : null;
    const server = floorApp(stage, env, pool).listen(0, '127.0.0.1');
    return { server, close: async () => { await pool?.end(); } };
  }
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  // Named per stage: the parent reads the CPU of each stage's PostgreSQL backends.
  const db = createDataSource({ url: config.databaseUrl, applicationName: `bench-chat-${stage}` });
  // --now: the app's clock runs from that instant (check-ins recorded in January or November).
  const offset = Number(env.BENCH_CLOCK_OFFSET_MS ?? 0);
  const clock = () => new Date(Date.now() + offset);
  await db.initialize();
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  const metrics = createMetrics();
  // as src/main.ts wires it, minus the photo queue (no pictures in this benchmark)
  const bot = createBot({ redis, logger, metrics, keyPrefix: 'bench:chat:' });
  // Replies are written to the outbox and handed to BullMQ; nothing delivers them in this benchmark.
  const outbox = createOutboxDispatcher({ db, redisUrl: config.redisUrl, logger, prefix: INBOUND_PREFIX });
  if (stage === 'worker') {
    // --worker-nice: the worker yields the CPU to the callbacks (a burst's backlog can wait; WeCom's 5 s cannot).
    setPriority(Number(env.BENCH_WORKER_NICE ?? 0));
    const worker = startInboundWorker({
      db, bot, logger, dispatch: outbox.dispatch, concurrency: Number(env.BENCH_WORKER_CONCURRENCY ?? 4),
    });
    return {
      close: async () => {
        await worker.close();
        await outbox.close();
        redis.disconnect();
        await db.destroy();
      },
    };
  }
  const app = createApp({ config, db, redis, logger, metrics, bot, dispatch: outbox.dispatch, deferInbound: true, clock });
  const server = app.listen(0, '127.0.0.1');
  return {
    server,
    close: async () => {
      await outbox.close();
      redis.disconnect();
      await db.destroy();
    },
  };
}

async function main(): Promise<void> {
  const stage = process.argv[2] as Stage | 'worker';
  if (!['floor', 'insert', 'full', 'worker'].includes(stage)) throw new Error(`unknown stage ${stage}`);
  const { server, close } = await start(stage);
  const report = () => {
    const addr = server?.address();
    process.send?.({ port: typeof addr === 'object' && addr ? addr.port : 0 });
  };
  if (!server || server.listening) report();
  else server.once('listening', report);
  process.once('SIGTERM', () => {
    server?.close();
    server?.closeAllConnections();
    void close().finally(() => process.exit(0));
  });
}

main().catch((err) => {
  process.stderr.write(`bench server: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
