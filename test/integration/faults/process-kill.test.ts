import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../../src/demo/simulator';
import { createTestDb, type TestDb } from '../../support/db';
import { seedRoster } from '../../support/scenarios/roster';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-redis';
import { buildServer, freePort, startServerProcess, type ServerProcess } from '../../support/built-server';
import { generateCreds, signedPost, textXml } from '../../support/wecom-callback';
import { until } from '../../support/until';
import { concurrently } from '../../support/concurrently';

/**
 * The real server+worker process (node main.js) SIGKILLed in the middle of
 * a burst of 500 callbacks, then started again. WeCom retries every
 * callback it did not see answered 200. Afterwards: every acknowledged
 * message is recorded exactly once and processed; every outbox row (notices
 * the burst sent, replies of messages the kill interrupted) is delivered to
 * the simulator: app messages exactly once, group robot messages at least once
 * and twice only when the kill cut their send (docs/reliability.md).
 */

const MESSAGES = 500;
const KILL_AFTER_ACKS = 175;
const creds = generateCreds('wwkilltest000001');
const SECRET = 'kill-test-secret';
let t: TestDb;
let redis: PrivateRedis;
let sim: RunningSimulator;
let mainJs: string;
let dataDir: string;
let proc: ServerProcess | undefined;

beforeAll(async () => {
  [mainJs, t, redis] = await Promise.all([buildServer(), createTestDb(), startPrivateRedis()]);
  await seedRoster(t.db);
  sim = await startSimulator({ creds: { corpId: creds.corpId, secret: SECRET, agentId: 1000002 } });
  dataDir = mkdtempSync(join(tmpdir(), 'sl-kill-'));
}, 240_000);
afterAll(async () => {
  await proc?.kill();
  await sim?.close();
  await redis?.kill();
  await t?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Every 20th message is a leader's 通知 (an outbox fan-out); the rest are diaries, progress checks and strangers. */
function message(i: number): string {
  const id = String(9_300_000_000 + i);
  if (i % 20 === 0) return textXml('wangju', `通知 武山县 第${i}号通知 明早开会`, id);
  if (i % 7 === 0) return textXml('stranger', '帮助', id);
  return textXml(['zhangwei', 'liming', 'zhaoqiang'][i % 3], i % 3 === 0 ? '进度' : `日记 第${i}条民情`, id);
}

test('SIGKILL mid-burst and restart: every acknowledged message once, every app message sent once, robot messages at least once', async () => {
  const port = await freePort();
  const env = {
    DATABASE_URL: t.url, REDIS_URL: redis.url, WECOM_CORP_ID: creds.corpId, WECOM_AGENT_ID: '1000002', WECOM_SECRET: SECRET,
    WECOM_TOKEN: creds.token, WECOM_ENCODING_AES_KEY: creds.encodingAesKey, WECOM_API_BASE: sim.url, ADMIN_TOKEN: 'kill-test-admin', PUBLIC_URL: 'https://sl.example.gov.cn',
    LOG_LEVEL: 'warn', DATA_DIR: dataDir, TZ: 'Asia/Shanghai',
    // Three senders' replies through the outbox would wait on WeCom's 30/min per member;
    // the kill is about inline processing here (deferral: test/integration/inbound/inbound-deferral.test.ts).
    CHAT_INLINE_LIMIT: '1000',
    // A killed worker's in-flight send is taken again after the shortest lease, not the default 2 minutes.
    OUTBOX_SENDING_LEASE_SECONDS: '30',
  };
  proc = await startServerProcess(mainJs, env, port);
  const acked = new Set<number>();
  let attempts = 0;
  let killed: Promise<void> | undefined;
  const send = async (i: number) => {
    attempts++;
    const p = signedPost(creds, message(i));
    const ok = await fetch(`http://127.0.0.1:${port}${p.url}`, { method: 'POST', body: p.body, signal: AbortSignal.timeout(6000) })
      .then(async (r) => { await r.text(); return r.status === 200; }, () => false);
    if (ok) acked.add(i);
    if (acked.size >= KILL_AFTER_ACKS && !killed) killed = proc!.kill();
  };
  // WeCom: 20 connections; the burst runs into the kill.
  const all = Array.from({ length: MESSAGES }, (_, i) => i);
  await concurrently(20, all, send);
  await killed;
  const unanswered = MESSAGES - acked.size;
  expect(unanswered).toBeGreaterThan(0); // the kill did hit the burst

  proc = await startServerProcess(mainJs, env, port);
  // WeCom retries whatever it did not see answered.
  for (let round = 0; acked.size < MESSAGES && round < 5; round++) {
    await concurrently(20, all.filter((i) => !acked.has(i)), send);
  }
  expect(acked.size).toBe(MESSAGES);

  // The retry loop finishes rows the kill interrupted; the outbox worker delivers everything once.
  const t0 = Date.now();
  await until(async () => (await t.db.query(`SELECT count(*)::int AS n FROM inbound_messages WHERE status <> 'done'`))[0].n === 0, { what: 'inbound rows done', timeoutMs: 90_000, pollMs: 250 });
  const t1 = Date.now();
  process.stdout.write(`outbox at restart: ${JSON.stringify(await t.db.query(`SELECT status, count(*)::int AS n FROM outbox_messages GROUP BY status`))}\n`);
  await until(async () => (await t.db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE status <> 'sent'`))[0].n === 0, { what: 'outbox rows sent', timeoutMs: 150_000, pollMs: 250 });

  process.stdout.write(`process-kill waits: inbound ${t1 - t0} ms, outbox ${Date.now() - t1} ms\n`);
  const [{ rows, keys }] = await t.db.query(`SELECT count(*)::int AS rows, count(DISTINCT dedup_key)::int AS keys FROM inbound_messages`);
  expect({ rows, keys }).toEqual({ rows: MESSAGES, keys: MESSAGES });
  const notices = MESSAGES / 20;
  expect(await t.db.query('SELECT count(*)::int AS n FROM notices')).toEqual([{ n: notices }]);
  const [{ n: outboxRows }] = await t.db.query('SELECT count(*)::int AS n FROM outbox_messages');
  await new Promise((r) => setTimeout(r, 1000)); // a late duplicate would show here
  const sent = sim.state.query({ api: 'message/send' });
  // A notice goes as a button card (its text in sub_title_text); a text message carries it in content.
  const textOf = (body: unknown) => {
    const b = body as { content?: string; sub_title_text?: string };
    return String(b.sub_title_text ?? b.content ?? '');
  };
  const noticeSends = sent.filter((s) => textOf(s.body).includes('号通知'));
  const perNotice = new Map<string, number>();
  for (const s of noticeSends) {
    const n = /第(\d+)号通知/.exec(textOf(s.body))![1];
    perNotice.set(n, (perNotice.get(n) ?? 0) + 1);
  }
  expect({ noticesSent: perNotice.size, doubled: [...perNotice.values()].filter((c) => c > 1).length }).toEqual({ noticesSent: notices, doubled: 0 });
  // App and card messages: each row once (a resend carries WeCom's duplicate check).
  const [{ n: appRows }] = await t.db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE channel <> 'robot'`);
  expect(sim.sent.filter((s) => s.api !== 'webhook/send').length).toBe(appRows);
  // Group robots have no duplicate check: a robot row whose send was cut by the kill is sent
  // again when its lease runs out (attempts > 1), and only such a row may reach its group twice.
  const [{ rows: robotRows, resent }] = await t.db.query(
    `SELECT count(*)::int AS rows, count(*) FILTER (WHERE attempts > 1)::int AS resent FROM outbox_messages WHERE channel = 'robot'`);
  const robotSends = sim.sent.filter((s) => s.api === 'webhook/send').length;
  expect(robotSends).toBeGreaterThanOrEqual(robotRows);
  expect(robotSends).toBeLessThanOrEqual(robotRows + resent);
  process.stdout.write(`process-kill: ${attempts} POSTs for ${MESSAGES} messages, ${unanswered} unanswered at the kill, ${outboxRows} outbox rows, lost 0\n`);
}, 300_000);
