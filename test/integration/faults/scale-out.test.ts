import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startSimulator, type RunningSimulator } from '../../../src/demo/simulator';
import { JOBS_QUEUE, QUEUE_PREFIX } from '../../../src/lib/queue-names';
import { SCHEDULE_IDS } from '../../../jobs/schedules';
import { createTestDb, type TestDb } from '../../support/db';
import { buildCadre } from '../../support/factories';
import { seedRoster } from '../../support/scenarios/roster';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-redis';
import { buildServer, freePort, startServerProcess, startWorkerProcess, type ServerProcess } from '../../support/built-server';
import { generateCreds, openReply, signedPost, textXml } from '../../support/wecom-callback';
import { until } from '../../support/until';

/**
 * Scaling out (docs/operations.md#scaling-out): two server processes
 * (`main.js --server`) and two worker processes (`main.js --worker`), real
 * child processes of the built app, on one PostgreSQL and one Redis. A burst
 * of callbacks is split across the servers (beyond each server's inline
 * limit, so most go to the inbound workers and their replies through the
 * outbox); some are retried, as WeCom does, on the other server, at once or
 * later; one worker is SIGKILLed mid-burst. The daily digest's scheduler fires
 * every second meanwhile. Every message is recorded once and answered once
 * (passively, or by one outbox row sent once); the digest runs once for its
 * period across both workers, and each leader gets it once.
 */

const MESSAGES = 360;
const SENDERS = 60; // 6 messages each: under WeCom's 30 a minute per member
const creds = generateCreds('wwscaleout000001');
const SECRET = 'scale-out-secret';
let t: TestDb;
let redis: PrivateRedis;
let sim: RunningSimulator;
let mainJs: string;
let dataDir: string;
const procs: ServerProcess[] = [];
let connection: Redis | undefined;
let jobs: Queue | undefined;

beforeAll(async () => {
  [mainJs, t, redis] = await Promise.all([buildServer(), createTestDb(), startPrivateRedis()]);
  await seedRoster(t.db);
  for (let i = 0; i < SENDERS; i++) await buildCadre(t.db, { userid: sender(i), name: `干部${i}` });
  sim = await startSimulator({ creds: { corpId: creds.corpId, secret: SECRET, agentId: 1000002 } });
  dataDir = mkdtempSync(join(tmpdir(), 'sl-scale-'));
}, 240_000);
afterAll(async () => {
  await jobs?.close();
  connection?.disconnect();
  for (const p of procs) await p.kill();
  await sim?.close();
  await redis?.kill();
  await t?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function sender(i: number): string {
  return `burst${String(i % SENDERS).padStart(2, '0')}`;
}
const msgId = (i: number) => String(9_400_000_000 + i);
const message = (i: number) => textXml(sender(i), `日记 第${i}条 今天走访了农户`, msgId(i));

test('two servers and two workers: a split burst with cross-server retries and a worker SIGKILLed: every message once, the digest once', async () => {
  const started = Date.now();
  const env = {
    DATABASE_URL: t.url, REDIS_URL: redis.url, WECOM_CORP_ID: creds.corpId, WECOM_AGENT_ID: '1000002', WECOM_SECRET: SECRET,
    WECOM_TOKEN: creds.token, WECOM_ENCODING_AES_KEY: creds.encodingAesKey, WECOM_API_BASE: sim.url, ADMIN_TOKEN: 'scale-out-admin',
    PUBLIC_URL: 'https://sl.example.gov.cn', DATA_DIR: dataDir, TZ: 'Asia/Shanghai',
    // A killed worker's in-flight send is taken again after the shortest lease, not the default 2 minutes.
    OUTBOX_SENDING_LEASE_SECONDS: '30',
  };
  const workers = [await startWorkerProcess(mainJs, { ...env, LOG_LEVEL: 'info' }), await startWorkerProcess(mainJs, { ...env, LOG_LEVEL: 'info' })];
  const ports = [await freePort(), await freePort()];
  const servers = await Promise.all(ports.map((port) => startServerProcess(mainJs, { ...env, LOG_LEVEL: 'warn' }, port, ['--server'])));
  procs.push(...workers, ...servers);

  // Both workers upserted the same schedulers: one each, not two. The digest now fires every second.
  connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  jobs = new Queue(JOBS_QUEUE, { connection, prefix: QUEUE_PREFIX });
  expect((await jobs.getJobSchedulers()).map((s) => s.key).sort()).toEqual([...SCHEDULE_IDS].sort());
  await jobs.upsertJobScheduler('digest-daily', { pattern: '* * * * * *', tz: 'Asia/Shanghai' }, { name: 'digest', data: { period: 'day' } });

  const answers = new Map<number, string[]>();
  let posts = 0;
  let killed: Promise<void> | undefined;
  const post = async (i: number, server: number): Promise<boolean> => {
    posts++;
    const p = signedPost(creds, message(i));
    const r = await fetch(`http://127.0.0.1:${ports[server]}${p.url}`, { method: 'POST', body: p.body, signal: AbortSignal.timeout(6000) })
      .then(async (res) => ({ status: res.status, text: await res.text() }), () => ({ status: 0, text: '' }));
    if (r.status !== 200) return false;
    answers.set(i, [...(answers.get(i) ?? []), r.text]);
    return true;
  };
  // 20 connections, as WeCom opens; message i to server i % 2. Every 10th is retried at once on the other
  // server (the first answer was slow to come), every 7th again later; the first worker dies halfway.
  let next = 0;
  const later: number[] = [];
  await Promise.all(Array.from({ length: 20 }, async () => {
    while (next < MESSAGES) {
      const i = next++;
      const tries = [post(i, i % 2)];
      if (i % 10 === 0) tries.push(post(i, (i + 1) % 2));
      await Promise.all(tries);
      if (i % 7 === 0) later.push(i);
      if (i === MESSAGES / 2) killed = workers[0].kill();
    }
  }));
  await killed;
  for (const i of later) await post(i, (i + 1) % 2);
  // WeCom retries what it did not see answered 200 (none expected), on the other server.
  for (let i = 0; i < MESSAGES; i++) if (!answers.has(i)) await post(i, (i + 1) % 2);
  expect(answers.size).toBe(MESSAGES);
  const burstMs = Date.now() - started;

  await until(async () => (await t.db.query(`SELECT count(*)::int AS n FROM inbound_messages WHERE status <> 'done'`))[0].n === 0,
    { what: 'every inbound row done', timeoutMs: 60_000, pollMs: 250 });
  const inboundMs = Date.now() - started;
  const [{ n: digestRows }] = await t.db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE idempotency_key LIKE 'digest:%'`);
  expect(digestRows).toBeGreaterThan(0);
  // A row the killed worker was sending waits for its lease (2 min) to run out, then goes once.
  await until(async () => (await t.db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE status <> 'sent'`))[0].n === 0,
    { what: 'every outbox row sent', timeoutMs: 150_000, pollMs: 250 });
  const outboxMs = Date.now() - started;
  process.stdout.write(`scale-out: burst ${burstMs} ms, inbound done ${inboundMs} ms, outbox sent ${outboxMs} ms\n`);
  await new Promise((r) => setTimeout(r, 1500)); // a late duplicate would show here

  // Recorded once.
  const rows: { id: number; dedup_key: string; reply: string }[] = await t.db.query(`SELECT id, dedup_key, reply FROM inbound_messages ORDER BY id`);
  expect(rows).toHaveLength(MESSAGES);
  expect(new Set(rows.map((r) => r.dedup_key)).size).toBe(MESSAGES);
  expect(await t.db.query(`SELECT count(*)::int AS n, count(DISTINCT content)::int AS distinct FROM diary_entries`)).toEqual([{ n: MESSAGES, distinct: MESSAGES }]);

  // Answered once: passively (every answer with a body is that reply), or by one outbox row, never both.
  const outbox: { idempotency_key: string }[] = await t.db.query(`SELECT idempotency_key FROM outbox_messages WHERE idempotency_key LIKE 'reply:%'`);
  const byOutbox = new Set(outbox.map((o) => o.idempotency_key));
  let passive = 0;
  for (const row of rows) {
    const i = Number(row.dedup_key) - 9_400_000_000;
    const bodies = answers.get(i)!.filter((a) => a !== '').map((a) => openReply(creds, a));
    const viaOutbox = byOutbox.has(`reply:${row.id}`);
    expect([i, viaOutbox, viaOutbox ? bodies.length : bodies.length > 0]).toEqual([i, viaOutbox, viaOutbox ? 0 : true]);
    for (const b of bodies) expect(b).toContain(`<![CDATA[${row.reply}]]>`);
    if (!viaOutbox) passive++;
  }
  // Every outbox row reached WeCom once: the sends (app and group robot) are exactly the rows, by recipient and
  // text (two diaries of one cadre in one minute have the same reply, so they are compared as multisets).
  const sent = sim.sent;
  const tally = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const rowsOut: { channel: string; recipient: string; text: string; attempts: number }[] = await t.db.query(
    `SELECT channel, recipient, coalesce(payload #>> '{text,content}', payload #>> '{markdown,content}') AS text, attempts FROM outbox_messages`);
  const outboxRows = rowsOut.length;
  const keyOf = (r: { channel: string; recipient: string; text: string }) => `${r.channel === 'app' ? r.recipient : 'robot'}|${r.text}`;
  const wanted = tally(rowsOut.map(keyOf));
  // A row sent again after the killed worker's lease asks WeCom to drop a duplicate (enable_duplicate_check):
  // when the same text already went to the same person (two diaries in one minute), WeCom sends it once.
  const retried = tally(rowsOut.filter((r) => r.attempts > 1).map(keyOf));
  const got = tally(sent.map((s) => `${s.api === 'message/send' ? s.touser.join('|') : 'robot'}|${String(s.body.content)}`));
  const keys = new Set([...wanted.keys(), ...got.keys()]);
  const off = [...keys].filter((k) => {
    const [w, g] = [wanted.get(k) ?? 0, got.get(k) ?? 0];
    return !(g === w || (g >= 1 && g < w && w - g <= (retried.get(k) ?? 0)));
  });
  expect(off).toEqual([]);
  expect(sent.length).toBeLessThanOrEqual(outboxRows);

  // The digest: fired every second across both workers, run once for its period; each leader got it once.
  const fired = (await jobs!.getJobs(['completed'])).filter((j) => j.name === 'digest').length;
  expect(fired).toBeGreaterThan(3);
  // Once per period: one job_runs row per Shanghai day the test touched (two only across midnight).
  const [{ runs, periods }] = await t.db.query(`SELECT count(*)::int AS runs, count(DISTINCT period_key)::int AS periods FROM job_runs WHERE job = 'digest'`);
  expect(runs).toBe(periods);
  expect(periods).toBeLessThanOrEqual(2);
  const [{ n: leaders }] = await t.db.query(`SELECT count(*)::int AS n FROM cadres WHERE role = '领导' AND active`);
  const [{ n: digestsNow }] = await t.db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE idempotency_key LIKE 'digest:%'`);
  const digestSends = sent.filter((s) => String(s.body.content).includes('双联日报')).length;
  expect([digestsNow, digestSends]).toEqual([leaders * periods, leaders * periods]);

  process.stdout.write(`scale-out: ${MESSAGES} messages in ${posts} POSTs over 2 servers (${burstMs} ms), ${passive} answered passively, `
    + `${byOutbox.size} by outbox; worker 1 SIGKILLed after message ${MESSAGES / 2}; ${outboxRows} outbox rows sent once; `
    + `digest fired ${fired}× and ran once; ${Date.now() - started} ms in all\n`);
}, 300_000);
