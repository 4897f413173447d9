import 'reflect-metadata';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { runFestivalReminders } from '../jobs/festival-reminders';
import { OUTBOX_QUEUE } from '../src/services/outbox/queue';
import { startOutboxWorker } from '../jobs/outbox-worker';
import { createDataSource } from '../entities/data-source';
import { createLogger } from '../src/lib/logger';
import { createOutboxDispatcher } from '../src/services/outbox/dispatch';
import { createWecomClient } from '../src/wecom/client';
import { API_PER_MINUTE } from '../src/wecom/rate-limit';
import { startSimulator } from '../src/demo/simulator';
import { BENCH_DATABASE_URL, numberFlag, parseFlags, stringFlag } from './lib/args';
import { timed } from './lib/queries';

/**
 * npm run bench:fanout [-- --now 2026-09-28T01:00:00Z --concurrency 10]
 *
 * A festival reminder (国庆节, reminded 3 days before) to every linked cadre of
 * the seeded province through the real path: jobs/festival-reminders.ts
 * writes the outbox rows (1,000 recipients a row), the outbox
 * dispatcher puts them on the BullMQ queue, and the outbox worker delivers
 * them to the WeCom simulator (loopback). Measures enqueue time, drain rate
 * against the configured limits, and this process's peak RSS (worker and
 * simulator share it). Outbox rows, the job_runs row and the queue are removed afterwards.
 */
const TARGET_ENQUEUE_MS = 60_000;
const TARGET_RSS_MB = 512;

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const url = stringFlag(flags, 'database-url', BENCH_DATABASE_URL);
  const redisUrl = stringFlag(flags, 'redis-url', 'redis://127.0.0.1:6379');
  const now = new Date(stringFlag(flags, 'now', '2026-09-28T01:00:00Z'));
  const concurrency = numberFlag(flags, 'concurrency', 10);
  const limitSeconds = numberFlag(flags, 'max-seconds', 600);
  console.log(`# npm run bench:fanout -- --now ${now.toISOString()} --concurrency ${concurrency} --database-url ${url}`);

  const logger = createLogger('warn');
  const prefix = `bench-fanout-${Date.now()}`;
  const ds = createDataSource({ url, applicationName: 'bench-fanout' });
  await ds.initialize();
  const creds = { corpId: 'wwbenchfanout0001', secret: 'bench-secret', agentId: 1000002 };
  const sim = await startSimulator({ creds });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  const wecom = createWecomClient({
    config: { ...creds, token: 'BenchToken', encodingAesKey: 'a'.repeat(43), apiBase: sim.url },
    redis, logger, keyPrefix: `${prefix}:`,
  });
  const dispatcher = createOutboxDispatcher({ db: ds, logger, redisUrl, prefix });
  const [{ before }] = await ds.query('SELECT coalesce(max(id), 0) AS before FROM outbox_messages');
  await ds.query("DELETE FROM job_runs WHERE job = 'festival-reminders'");
  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  try {
    // 1. enqueue: the job's SQL and outbox inserts, then the hand-off to BullMQ (the job's own dispatch step)
    const job = await timed(() => runFestivalReminders({ db: ds, logger, publicUrl: 'http://127.0.0.1' }, now));
    const ids: { id: number }[] = await ds.query('SELECT id FROM outbox_messages WHERE id > $1 ORDER BY id', [before]);
    const handoff = await timed(() => dispatcher.enqueue(ids.map((r) => r.id)));
    const persons = (await ds.query(
      `SELECT coalesce(sum(array_length(string_to_array(recipient, '|'), 1)) FILTER (WHERE channel = 'app'), 0)::int AS n
         FROM outbox_messages WHERE id > $1`, [before]))[0].n;
    console.log(`enqueue: job ${Math.round(job.ms)} ms (${JSON.stringify(job.value)}), BullMQ hand-off ${Math.round(handoff.ms)} ms; ` +
      `${ids.length} outbox rows for ${persons} person-sends`);
    const enqueueMs = job.ms + handoff.ms;

    // 2. drain: the worker delivers to the simulator
    const t0 = performance.now();
    const worker = startOutboxWorker({ db: ds, redisUrl, prefix, wecom, dispatcher, logger, concurrency, sweepIntervalMs: 0 });
    let sent = 0;
    for (;;) {
      const [s] = await ds.query(
        `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'failed')::int AS failed
           FROM outbox_messages WHERE id > $1`, [before]);
      sent = s.sent;
      if (s.sent + s.failed >= ids.length || performance.now() - t0 > limitSeconds * 1000) {
        if (s.failed) console.log(`failed rows: ${s.failed}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const drainS = (performance.now() - t0) / 1000;
    await worker.close();
    const calls = sim.sent.filter((r) => r.api === 'message/send').length;
    const perMinute = Math.round((calls / drainS) * 60);
    console.log(`drain: ${sent}/${ids.length} rows in ${drainS.toFixed(1)} s; simulator accepted ${sim.sent.length} sends ` +
      `(${calls} message/send); ${perMinute} message/send calls/min vs the configured ${API_PER_MINUTE}/min per API (up to 1,000 recipients a call)`);
    const rssMb = Math.round(peakRss / 2 ** 20);
    console.log(`\nenqueue ${Math.round(enqueueMs)} ms (target < ${TARGET_ENQUEUE_MS} ms): ${enqueueMs < TARGET_ENQUEUE_MS ? 'met' : 'MISSED'}; ` +
      `rate ${perMinute}/min ${perMinute <= API_PER_MINUTE ? 'never above' : 'ABOVE'} the limit; ` +
      `peak RSS ${rssMb} MB (worker + simulator + job in one process; target < ${TARGET_RSS_MB} MB): ${rssMb < TARGET_RSS_MB ? 'met' : 'MISSED'}`);
  } finally {
    clearInterval(rssTimer);
    await ds.query('DELETE FROM outbox_messages WHERE id > $1', [before]);
    await ds.query("DELETE FROM job_runs WHERE job = 'festival-reminders'");
    const q = new Queue(OUTBOX_QUEUE, { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }), prefix });
    await q.obliterate({ force: true }).catch(() => undefined);
    await q.close();
    await dispatcher.close();
    await sim.close();
    redis.disconnect();
    await ds.destroy();
  }
}

main().then(() => process.exit(0), (err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
