import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { BENCH_DATABASE_URL, numberFlag, parseFlags, stringFlag } from './lib/args';
import { runLoad, type LoadResult } from './lib/cannon';
import { FLOOR_TABLE, benchCreds, callbackPost, wecomEnv, type BenchCreds, type Stage } from './chat/payloads';

/**
 * npm run bench:chat [-- --duration 10 --connections 4,16,64 --worker-nice 0 --worker-concurrency 4 --worker-paused --now <ISO> --database-url …]
 *
 * Chat path throughput on loopback: autocannon (this process) posts real
 * encrypted `签到 <village>` callbacks, every one from a different cadre of the
 * seeded province with a unique MsgId, to one server process per stage (a
 * forked child, so load generator and server do not share an event loop).
 * Stages: the verify+decrypt floor, the floor plus one INSERT … ON CONFLICT DO
 * NOTHING, and the real app as deployed: a server process and an inbound worker
 * process (CHAT_INLINE_LIMIT default). After each load level of the full stage
 * it waits until the worker has processed every deferred message and reports
 * the drain and the end-to-end rate, and the worker's CPU per check-in (its Node
 * process and its PostgreSQL backends). `--now` runs the app's clock from that
 * instant, so a run in late January and one in late November on the same seed
 * show whether a check-in costs more as the year fills. Rows the full stage
 * writes are deleted afterwards.
 */
const TARGET_RATIO = 0.6;
const TARGET_PROCESSED_RATIO = 0.3;
const TARGET_P99_MS = 50;
const WARMUP_SECONDS = 2;

interface Row { stage: Stage; result: LoadResult; drain?: Drain }

/** After a load level of the full stage: how long the worker took to finish what the callbacks left it. */
interface Drain { deferred: number; seconds: number; processedPerSecond: number; workerNodeMs?: number; workerPgMs?: number }

/**
 * Waits until no inbound row of this run is still 'received'. processedPerSecond
 * = rows done during the level and the drain / (level + drain seconds): the rate
 * the server and worker together turn messages into recorded check-ins.
 */
async function waitForDrain(db: Client, sinceId: number, startedAt: number): Promise<Drain> {
  const deferred = (await db.query(
    `SELECT count(*)::int AS n FROM inbound_messages WHERE id > $1 AND status = 'received'`, [sinceId])).rows[0].n;
  const t0 = Date.now();
  for (;;) {
    const { rows } = await db.query(
      `SELECT count(*) FILTER (WHERE status = 'received')::int AS left, count(*)::int AS all FROM inbound_messages WHERE id > $1`,
      [sinceId]);
    if (rows[0].left === 0) {
      const seconds = (Date.now() - t0) / 1000;
      return { deferred, seconds, processedPerSecond: Math.round(rows[0].all / ((Date.now() - startedAt) / 1000)) };
    }
    if (Date.now() - t0 > 600_000) throw new Error(`inbound rows still 'received' after 10 minutes: ${rows[0].left}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function pickCadres(db: Client, n: number): Promise<{ userid: string; village: string }[]> {
  // 干部 with one of their unit's villages (each cadre once), no open check-in, in a stable pseudo-random order
  const { rows } = await db.query(
    `SELECT c.userid, r.name AS village FROM cadres c
       CROSS JOIN LATERAL (SELECT l.village_id FROM unit_village_links l
                            WHERE l.unit_id = c.unit_id AND l.valid_to IS NULL ORDER BY l.village_id LIMIT 1) l
       JOIN regions r ON r.id = l.village_id
      WHERE c.role = '干部' AND c.active
        AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.cadre_id = c.id AND v.ended_at IS NULL AND v.revoked_at IS NULL)
      ORDER BY md5(c.id::text) LIMIT $1`,
    [n],
  );
  if (rows.length === 0) throw new Error('no cadres in the bench database: run npm run bench:seed first');
  return rows;
}

/** CPU seconds (user + system) the process has used so far, from /proc (Linux clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds of the PostgreSQL backends of one stage's connections (same machine: /proc). */
async function backendCpuSeconds(db: Client, stage: string): Promise<number> {
  const { rows } = await db.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [`bench-chat-${stage}`]);
  return rows.reduce((s: number, r: { pid: number }) => {
    try { return s + cpuSeconds(r.pid); } catch { return s; } // a backend that ended meanwhile
  }, 0);
}

function startServer(stage: Stage | 'worker', env: Record<string, string>, profDir?: string): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(join(__dirname, 'chat', 'server.js'), [stage], {
    env: { ...process.env, ...env },
    execArgv: profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`${stage} server exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const databaseUrl = stringFlag(flags, 'database-url', BENCH_DATABASE_URL);
  const redisUrl = stringFlag(flags, 'redis-url', 'redis://127.0.0.1:6379');
  const seconds = numberFlag(flags, 'duration', 10);
  const levels = stringFlag(flags, 'connections', '4,16,64').split(',').map(Number);
  const maxMessages = numberFlag(flags, 'cadres', 200_000);
  /** --cpu-prof <dir>: each server writes a V8 CPU profile there when it stops. */
  const profDir = flags['cpu-prof'] === undefined ? undefined : stringFlag(flags, 'cpu-prof', '');
  const nowFlag = flags.now === undefined ? undefined : stringFlag(flags, 'now', '');
  const clockOffset = nowFlag === undefined ? 0 : Date.parse(nowFlag) - Date.now();
  if (Number.isNaN(clockOffset)) throw new Error(`--now: not a time: ${nowFlag}`);
  console.log(`# npm run bench:chat -- --duration ${seconds} --connections ${levels.join(',')} --worker-nice ${numberFlag(flags, 'worker-nice', 0)} --worker-concurrency ${numberFlag(flags, 'worker-concurrency', 4)}${flags['worker-paused'] !== undefined ? ' --worker-paused' : ''}${nowFlag ? ` --now ${nowFlag}` : ''} --database-url ${databaseUrl}`);

  console.log(`load average at the start: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query(`CREATE TABLE IF NOT EXISTS ${FLOOR_TABLE} (msg_id text PRIMARY KEY, from_user text NOT NULL, raw_xml text NOT NULL)`);
  await db.query(`TRUNCATE ${FLOOR_TABLE}`);
  const cadres = await pickCadres(db, maxMessages);
  const before = (await db.query(
    `SELECT (SELECT coalesce(max(id), 0) FROM visits) AS visits, (SELECT coalesce(max(id), 0) FROM inbound_messages) AS inbound,
            (SELECT coalesce(max(id), 0) FROM outbox_messages) AS outbox`,
  )).rows[0];

  const creds: BenchCreds = benchCreds();
  const env = {
    ...wecomEnv(creds), DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, LOG_LEVEL: 'info',
    // --worker-nice N (0–19) and --worker-concurrency N for the inbound worker process of the full stage
    BENCH_WORKER_NICE: String(numberFlag(flags, 'worker-nice', 0)),
    BENCH_WORKER_CONCURRENCY: String(numberFlag(flags, 'worker-concurrency', 4)),
    BENCH_CLOCK_OFFSET_MS: String(clockOffset),
  };
  const msgBase = `${Date.now() % 1e12}`;
  let sent = 0;
  let cadreCursor = 0;
  let wrapped = false;
  const next = () => {
    // the full stage never repeats a cadre while the list lasts; floors reuse it from the start
    if (cadreCursor >= cadres.length) { cadreCursor = 0; wrapped = true; }
    const c = cadres[cadreCursor++];
    return callbackPost(creds, c.userid, `签到 ${c.village}`, `${msgBase}${String(sent++).padStart(7, '0')}`, Date.now() + clockOffset);
  };

  const rows: Row[] = [];
  const stages = stringFlag(flags, 'stages', 'floor,insert,full').split(',') as Stage[];
  const pauseWorker = flags['worker-paused'] !== undefined;
  for (const stage of stages) {
    const { child, port } = await startServer(stage, env, profDir);
    // The full stage runs as deployed: a server process and an inbound worker process.
    const worker = stage === 'full' ? (await startServer('worker', env, profDir)).child : undefined;
    const url = `http://127.0.0.1:${port}`;
    if (stage === 'full') { cadreCursor = 0; wrapped = false; }
    const lastInbound = async () => Number((await db.query('SELECT coalesce(max(id), 0) AS id FROM inbound_messages')).rows[0].id);
    await runLoad(url, levels[0], WARMUP_SECONDS, next);
    if (stage === 'full') await waitForDrain(db, before.inbound, Date.now());
    for (const connections of levels) {
      const cpu0 = cpuSeconds(child.pid!);
      const wcpu0 = worker ? cpuSeconds(worker.pid!) : 0;
      const wpg0 = worker ? await backendCpuSeconds(db, 'worker') : 0;
      const since = stage === 'full' ? await lastInbound() : 0;
      const startedAt = Date.now();
      // --worker-paused: the worker is stopped while the load runs and resumed for the drain, as if
      // it ran on other cores: what the callbacks alone cost this machine (SIGSTOP/SIGCONT).
      if (worker && pauseWorker) worker.kill('SIGSTOP');
      const result = await runLoad(url, connections, seconds, next);
      if (worker && pauseWorker) worker.kill('SIGCONT');
      const cpuMs = ((cpuSeconds(child.pid!) - cpu0) * 1000) / Math.max(1, result.ok);
      const drain = stage === 'full' ? await waitForDrain(db, since, startedAt) : undefined;
      const workerMs = worker ? ((cpuSeconds(worker.pid!) - wcpu0) * 1000) / Math.max(1, drain!.deferred) : 0;
      const workerPgMs = worker ? (((await backendCpuSeconds(db, 'worker')) - wpg0) * 1000) / Math.max(1, drain!.deferred) : 0;
      if (drain) Object.assign(drain, { workerNodeMs: workerMs, workerPgMs });
      rows.push({ stage, result, drain });
      console.log(`${stage.padEnd(6)} c=${String(connections).padStart(3)}  ${String(result.rate).padStart(6)} msg/s  p50 ${result.p50} ms  p99 ${result.p99} ms  errors ${result.errors}  server CPU ${cpuMs.toFixed(2)} ms/msg${
        drain ? `  | left to the worker ${drain.deferred}, drained ${drain.seconds.toFixed(1)} s after the load, worker CPU ${workerMs.toFixed(2)} ms/msg + PostgreSQL ${workerPgMs.toFixed(2)} ms/msg, processed end to end ${drain.processedPerSecond} msg/s` : ''}`);
    }
    for (const c of [child, worker]) {
      if (!c) continue;
      c.kill('SIGTERM');
      await new Promise((r) => c.once('exit', r));
    }
  }

  if (['floor', 'insert', 'full'].every((s) => stages.includes(s as Stage))) await report(db, rows, before, wrapped);
  else console.log('(the ratio needs all three stages)');
  await cleanUp(db, before);
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (2 cores shared with other work)`);
  await db.end();
}

interface Before { visits: number; inbound: number; outbox: number }

/** Peaks, the ratio and what the full stage recorded. */
async function report(db: Client, rows: Row[], before: Before, wrapped: boolean): Promise<void> {
  const peak = (stage: Stage) => rows.filter((r) => r.stage === stage).reduce((a, b) => (b.result.rate > a.result.rate ? b : a));
  const full = peak('full').result;
  const floor = peak('insert').result;
  const ratio = Math.round((full.rate / floor.rate) * 100) / 100;
  const recorded = (await db.query(`SELECT count(*)::int AS n FROM visits WHERE id > $1`, [before.visits])).rows[0].n;
  const inbound = (await db.query(
    `SELECT status, coalesce(left(error, 100), '') AS error, count(*)::int AS n FROM inbound_messages WHERE id > $1 GROUP BY 1, 2`,
    [before.inbound],
  )).rows;
  console.log(`\nfloor (verify+decrypt) peak ${peak('floor').result.rate} msg/s; floor + insert peak ${floor.rate} msg/s`);
  console.log(`full chat path peak ${full.rate} msg/s at c=${full.connections}: p50 ${full.p50} ms, p99 ${full.p99} ms, errors ${rows.reduce((n, r) => n + r.result.errors, 0)} (all stages)`);
  console.log(`ratio full / (decrypt + one insert) = ${ratio} (target ≥ ${TARGET_RATIO}); p99 at peak ${full.p99} ms (target < ${TARGET_P99_MS} ms)${wrapped ? '; NOTE cadre list wrapped' : ''}`);
  const fullRows = rows.filter((r) => r.stage === 'full' && r.drain);
  const e2e = fullRows.reduce((a, b) => (b.drain!.processedPerSecond > a.drain!.processedPerSecond ? b : a));
  console.log(`processed end to end (server inline + worker, until nothing is left 'received'): peak ${e2e.drain!.processedPerSecond} msg/s at c=${e2e.result.connections}`);
  console.log(`ratio processed / insert floor = ${Math.round((e2e.drain!.processedPerSecond / floor.rate) * 100) / 100} (target ≥ ${TARGET_PROCESSED_RATIO})`);
  const deferred = fullRows.filter((r) => r.drain!.deferred > 0);
  const perCheckin = (f: (d: Drain) => number) => deferred.reduce((s, r) => s + f(r.drain!) * r.drain!.deferred, 0)
    / Math.max(1, deferred.reduce((s, r) => s + r.drain!.deferred, 0));
  console.log(`worker CPU per check-in = ${perCheckin((d) => d.workerNodeMs ?? 0).toFixed(2)} ms Node + ${perCheckin((d) => d.workerPgMs ?? 0).toFixed(2)} ms PostgreSQL (weighted over the levels)`);
  console.log(`check-ins recorded by the full stage: ${recorded}; inbound rows: ${inbound.map((r) => `${r.status} ${r.n}${r.error ? ` (${r.error})` : ''}`).join(', ')}`);
}

/**
 * Leaves the province as seeded, whichever stages ran. The new rows have no dependants, so
 * the FK triggers are skipped (household_visits.visit_id has no index: each deleted visit
 * would scan 5 M rows).
 */
async function cleanUp(db: Client, before: Before): Promise<void> {
  // Revoked first, through the counting triggers, so the counts lose exactly what the run added;
  // a revoked check-in counts nothing, so the deletes may then bypass every trigger.
  // In batches: each revocation takes its links' day locks until its statement's transaction ends.
  for (;;) {
    const { rowCount } = await db.query(
      `UPDATE visits SET revoked_at = now()
        WHERE id IN (SELECT id FROM visits WHERE id > $1 AND revoked_at IS NULL ORDER BY id LIMIT 1000)`, [before.visits]);
    if (!rowCount) break;
  }
  await db.query('SET session_replication_role = replica');
  await db.query('DELETE FROM outbox_messages WHERE id > $1', [before.outbox]);
  await db.query('DELETE FROM inbound_messages WHERE id > $1', [before.inbound]);
  await db.query('DELETE FROM visits WHERE id > $1', [before.visits]);
  await db.query('SET session_replication_role = origin');
  await db.query(`DROP TABLE ${FLOOR_TABLE}`);
  // The next run starts from the same state: without this, a few runs leave hundreds of
  // thousands of dead inbound and outbox rows in their indexes for autovacuum to find.
  await db.query('VACUUM (ANALYZE) inbound_messages, outbox_messages, visits, cadre_days, cadre_tallies, unit_link_cadre_days, unit_link_days, unit_link_tallies');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
