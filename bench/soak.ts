import 'reflect-metadata';
import { randomBytes, randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/lib/logger';
import { createMetrics } from '../src/metrics';
import { createBot } from '../bots';
import { openDatabase, migrate } from '../entities/data-source';
import { importRoster } from '../src/services/roster';
import { projectRoot } from '../src/lib/project-root';
import { startInboundRetryLoop } from '../src/services/inbound/retry';
import { createOutboxDispatcher } from '../src/services/outbox/dispatch';
import { createWecomClient } from '../src/wecom/client';
import { CALLBACK_PATH } from '../src/routes/callback';
import { callbackRequest, inboundMessageXml } from '../src/wecom/callback-sender';
import { startSimulator } from '../src/demo/simulator';
import { startOutboxWorker } from '../jobs/outbox-worker';
import { startWorker } from '../jobs/worker';
import type { JobName } from '../jobs/queues';
import { numberFlag, parseFlags, stringFlag } from './lib/args';

/**
 * Soak: `node dist/bench/soak.js [--minutes 30] [--rate 10] [--database-url …] [--redis-url …]`.
 * Loopback only and bounded: a fresh database with the demo roster, the app,
 * the WeCom simulator, the outbox and jobs workers in this process; mixed
 * chat traffic at a steady rate through real encrypted, signed callbacks;
 * every scheduled job run once a minute (each for a new day). At the end it
 * drains and reports memory at start and end, errors, and messages lost or
 * sent twice. The database is dropped afterwards unless --keep.
 */

const flags = parseFlags(process.argv.slice(2));
const MINUTES = numberFlag(flags, 'minutes', 30);
const RATE = numberFlag(flags, 'rate', 10);
const PG_BASE = stringFlag(flags, 'database-url', 'postgres://postgres@127.0.0.1:5432');
const REDIS_URL = stringFlag(flags, 'redis-url', 'redis://127.0.0.1:6379');
const JOBS: JobName[] = ['digest', 'quota-reminders', 'festival-reminders', 'notice-followup', 'overdue-problems', 'auto-checkout'];
const mb = (n: number) => Math.round(n / 1048576);

async function main(): Promise<void> {
  const dbName = `sl_soak_${randomBytes(4).toString('hex')}`;
  const url = `${PG_BASE}/${dbName}`;
  const prefix = `slsoak:${randomBytes(4).toString('hex')}`;
  const logger = createLogger(stringFlag(flags, 'log-level', 'warn'));
  const db = await openDatabase({ url, applicationName: 'shuanglian-soak', poolSize: 20 });
  await migrate(db);
  const roster = await importRoster(db, join(projectRoot(), 'demo', 'roster'));
  if (!roster.ok) throw new Error(`demo roster: ${roster.errors.length} errors`);

  const secret = `soak-${randomBytes(8).toString('hex')}`;
  const sim = await startSimulator({ creds: { corpId: 'wwsoak0000000001', secret, agentId: 1000002 } });
  const token = randomBytes(10).toString('hex');
  const encodingAesKey = randomBytes(32).toString('base64').replace(/[^A-Za-z0-9]/g, 'a').slice(0, 43);
  const config = loadConfig({
    WECOM_CORP_ID: 'wwsoak0000000001', WECOM_AGENT_ID: '1000002', WECOM_SECRET: secret, WECOM_TOKEN: token,
    WECOM_ENCODING_AES_KEY: encodingAesKey, WECOM_API_BASE: sim.url, ADMIN_TOKEN: 'soak-admin-token', PUBLIC_URL: 'https://sl.example.gov.cn', DATABASE_URL: url, REDIS_URL,
  });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  const metrics = createMetrics();
  const bot = createBot({ redis, logger, metrics, keyPrefix: `${prefix}:` });
  const wecom = createWecomClient({ config: config.wecom, redis, logger, keyPrefix: `${prefix}:` });
  const outbox = createOutboxDispatcher({ db, redisUrl: REDIS_URL, prefix, logger });
  const delivery = startOutboxWorker({ db, redisUrl: REDIS_URL, prefix, logger, metrics, dispatcher: outbox, wecom, sweepIntervalMs: 5000 });
  const retry = startInboundRetryLoop({ db, bot, logger, dispatch: outbox.dispatch });
  const jobs = await startWorker({
    db, logger, redisUrl: REDIS_URL, prefix, schedule: false, dispatch: outbox.dispatch,
  });
  const server = createApp({ config, db, redis, logger, metrics, bot, dispatch: outbox.dispatch }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const pairs: { userid: string; householder: string; village: string }[] = await db.query(
    `SELECT c.userid, h.householder, r.name AS village FROM cadre_household_links l
       JOIN cadres c ON c.id = l.cadre_id JOIN households h ON h.id = l.household_id JOIN regions r ON r.id = h.village_id
      WHERE l.valid_to IS NULL`);
  const leaders: { userid: string }[] = await db.query(`SELECT userid FROM cadres WHERE role = '领导' AND scope_region_id IS NOT NULL`);
  let seq = 0;
  const nextMessage = (): { from: string; content: string } => {
    const p = pairs[randomInt(pairs.length)];
    const roll = randomInt(100);
    if (roll < 20) return { from: p.userid, content: `签到 ${p.village}` };
    if (roll < 45) return { from: p.userid, content: `走访 ${p.householder} 谈心了解生产生活情况` };
    if (roll < 55) return { from: p.userid, content: `日记 今天走访${p.householder}家，第${seq}条` };
    if (roll < 65) return { from: p.userid, content: '进度' };
    if (roll < 72) return { from: p.userid, content: '问题' };
    if (roll < 76) return { from: p.userid, content: `上报 ${p.village} 村道路灯损坏需维修${seq}` };
    if (roll < 82) return { from: p.userid, content: '签退' };
    if (roll < 86 && leaders.length) return { from: leaders[randomInt(leaders.length)].userid, content: '日报' };
    if (roll < 88 && leaders.length) return { from: leaders[randomInt(leaders.length)].userid, content: `通知 明早九点开会 第${seq}号` };
    if (roll < 94) return { from: p.userid, content: '帮助' };
    return { from: `stranger${randomInt(50)}`, content: '你好' };
  };

  const stats = { sent: 0, acked: 0, errors: 0, slow: 0, maxMs: 0, jobsRun: 0, jobErrors: 0 };
  const ackedKeys: string[] = [];
  const send = async () => {
    const id = String(7_000_000_000_000 + ++seq);
    const m = nextMessage();
    const xml = inboundMessageXml({
      corpId: config.wecom.corpId, agentId: 1000002, fromUser: m.from, createTime: Math.floor(Date.now() / 1000), msgId: id, content: m.content,
    });
    const req = callbackRequest(config.wecom, xml, {
      timestamp: String(Math.floor(Date.now() / 1000)), nonce: String(randomInt(1e9)), random: randomBytes(16), agentId: 1000002,
    });
    const started = Date.now();
    stats.sent++;
    try {
      const res = await fetch(`${base}${CALLBACK_PATH}?${new URLSearchParams(req.query)}`, { method: 'POST', body: req.body, signal: AbortSignal.timeout(5000) });
      await res.text();
      const ms = Date.now() - started;
      stats.maxMs = Math.max(stats.maxMs, ms);
      if (ms > 2500) stats.slow++;
      if (res.status === 200) { stats.acked++; ackedKeys.push(id); } else stats.errors++;
    } catch {
      stats.errors++;
    }
  };

  const memory = (label: string) => {
    const m = process.memoryUsage();
    return { label, rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), at: new Date().toISOString() };
  };
  const samples = [memory('start')];
  const endAt = Date.now() + MINUTES * 60_000;
  let day = 0;
  const traffic = setInterval(() => void send(), Math.max(1, Math.round(1000 / RATE)));
  const jobTimer = setInterval(() => {
    day++;
    const now = new Date(Date.now() + day * 86_400_000).toISOString();
    for (const name of JOBS) {
      jobs.queue.add(name, { now }).then(() => stats.jobsRun++, () => stats.jobErrors++);
    }
    samples.push(memory(`minute ${day}`));
    process.stderr.write(`soak: ${day} min, sent ${stats.sent}, acked ${stats.acked}, errors ${stats.errors}, rss ${samples.at(-1)!.rssMb} MB\n`);
  }, 60_000);
  await new Promise((resolve) => setTimeout(resolve, endAt - Date.now()));
  clearInterval(traffic);
  clearInterval(jobTimer);
  await new Promise((resolve) => setTimeout(resolve, 6000)); // in-flight callbacks answer

  // Drain: every stored message processed, every outbox row settled.
  const drainUntil = Date.now() + 120_000;
  let open = -1;
  while (Date.now() < drainUntil) {
    [{ open }] = await db.query(
      `SELECT (SELECT count(*) FROM inbound_messages WHERE status = 'received') + (SELECT count(*) FROM outbox_messages WHERE status NOT IN ('sent', 'failed'))::int AS open`);
    if (Number(open) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  samples.push(memory('end'));
  const [{ stored }] = await db.query('SELECT count(*)::int AS stored FROM inbound_messages WHERE dedup_key = ANY($1)', [ackedKeys]);
  const [inbound] = await db.query(
    `SELECT count(*) FILTER (WHERE status = 'done')::int AS done, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM inbound_messages`);
  const [out] = await db.query(
    `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'failed')::int AS failed, count(*)::int AS total FROM outbox_messages`);
  const report = {
    minutes: MINUTES, ratePerSecond: RATE, callbacks: stats.sent, acknowledged: stats.acked, httpErrors: stats.errors,
    over2500ms: stats.slow, maxLatencyMs: stats.maxMs, jobsEnqueued: stats.jobsRun, jobErrors: stats.jobErrors,
    inbound, outbox: out, simulatorAccepted: sim.sent.length,
    lost: stats.acked - Number(stored) + Number(open),
    sentTwice: Math.max(0, sim.sent.length - Number(out.sent)),
    memory: samples,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);

  clearInterval(traffic);
  server.close();
  await retry.stop();
  await jobs.close();
  await delivery.close();
  await outbox.close();
  await sim.close();
  redis.disconnect();
  await db.destroy();
  if (!flags.keep) {
    const admin = new Client({ connectionString: `${PG_BASE}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  process.exit(report.lost === 0 && report.sentTwice === 0 ? 0 : 1);
}

main().catch((err) => {
  process.stderr.write(`soak failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(2);
});
