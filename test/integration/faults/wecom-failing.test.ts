import { Redis } from 'ioredis';
import { startOutboxWorker } from '../../../jobs/outbox-worker';
import { parseOutboxArgs } from '../../../src/cli/outbox';
import { createLogger } from '../../../src/lib/logger';
import { addToOutbox, textMessage } from '../../../src/services/outbox/write';
import { createOutboxDispatcher } from '../../../src/services/outbox/dispatch';
import { formatFailedOutbox, listFailedOutbox, retryFailedOutbox } from '../../../src/services/outbox/failed';
import { createWecomClient } from '../../../src/wecom/client';
import { startSimulator, type RunningSimulator } from '../../../src/demo/simulator';
import { createTestDb, testPrefix, type TestDb } from '../../support/db';
import { REDIS_URL } from '../../support/urls';

/**
 * WeCom misbehaving during a batch — its token expiring, a 45009 storm,
 * HTTP 500s, timeouts after it accepted the message — delays messages but
 * never drops or doubles them; messages WeCom refuses for good are failed
 * with their reason, listed by `npm run outbox -- failed`, and sent once
 * when queued again after the cause is fixed.
 */

const logger = createLogger('silent');
const creds = { corpId: 'wwfaultywecom001', secret: 'faulty-secret', agentId: 1000002 };
const USERS = Array.from({ length: 80 }, (_, i) => `user${i}`);
let t: TestDb;
let sim: RunningSimulator;
let redis: Redis;
let dispatcher: ReturnType<typeof createOutboxDispatcher>;
let worker: { close(): Promise<void> };

beforeAll(async () => {
  t = await createTestDb();
  sim = await startSimulator({ creds, users: USERS });
  redis = new Redis(REDIS_URL);
  const prefix = testPrefix();
  const wecom = createWecomClient({
    config: { ...creds, token: 't', encodingAesKey: 'k'.repeat(43), apiBase: sim.url }, redis, logger, keyPrefix: `${prefix}:`, timeoutMs: 300,
  });
  dispatcher = createOutboxDispatcher({ db: t.db, redisUrl: REDIS_URL, prefix, logger });
  worker = startOutboxWorker({
    db: t.db, redisUrl: REDIS_URL, prefix, wecom, dispatcher, logger, sweepIntervalMs: 200, concurrency: 6,
    policy: { baseBackoffMs: 20, maxBackoffMs: 200, rateLimitBackoffMs: 100, maxAttempts: 10, sendingLeaseMs: 2000 },
  });
});
afterAll(async () => {
  await worker.close();
  await dispatcher.close();
  await sim.close();
  redis.disconnect();
  await t.drop();
});

async function settle(timeoutMs = 20_000): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows: { status: string; n: number }[] = await t.db.query(`SELECT status, count(*)::int AS n FROM outbox_messages GROUP BY status`);
    const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    if (Object.keys(by).every((s) => s === 'sent' || s === 'failed')) return by;
    if (Date.now() > deadline) throw new Error(`not settled: ${JSON.stringify(by)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const delivered = () => sim.state.query({ api: 'message/send' }).map((s) => (s.body as { content: string }).content);

test('faults mid-batch: every message delivered exactly once; permanent refusals listed and retried', async () => {
  const good = USERS.map((u, i) => textMessage(`fault:${i}`, u, `消息${i}`));
  const doomed = [textMessage('fault:ghost', ['ghost1', 'ghost2'], '发给不存在的人')];
  sim.faults.add({ api: 'message/send', kind: 'http500', count: 8 });
  sim.faults.add({ api: 'message/send', kind: 'timeout', delayMs: 500, count: 3, recordFirst: true });
  sim.faults.add({ api: 'message/send', kind: 'errcode', errcode: 45009, count: 20 });
  const first = await t.db.transaction((m) => addToOutbox(m, [...good.slice(0, 40), ...doomed]));
  await dispatcher.dispatch(first);
  while (delivered().length < 5) await new Promise((r) => setTimeout(r, 20));
  sim.state.expireTokens(); // mid-batch
  sim.faults.add({ api: 'gettoken', kind: 'http500', count: 2 });
  const second = await t.db.transaction((m) => addToOutbox(m, good.slice(40)));
  await dispatcher.dispatch(second);

  expect(await settle()).toEqual({ sent: 80, failed: 1 });
  await new Promise((r) => setTimeout(r, 300)); // a late duplicate would show here
  const counts = new Map<string, number>();
  for (const c of delivered()) counts.set(c, (counts.get(c) ?? 0) + 1);
  const lost = good.filter((_, i) => !counts.has(`消息${i}`)).length;
  const doubled = [...counts.values()].filter((n) => n > 1).length;
  expect({ lost, doubled, delivered: counts.size }).toEqual({ lost: 0, doubled: 0, delivered: 80 });

  // The permanent refusal is visible, with WeCom's reason and no message text.
  const failed = await listFailedOutbox(t.db);
  expect(failed.total).toBe(1);
  expect(failed.rows[0]).toMatchObject({ key: 'fault:ghost', channel: 'app', recipients: 2 });
  expect(failed.rows[0].lastError).toContain('81013');
  const table = formatFailedOutbox(failed);
  expect(table).toContain('fault:ghost');
  expect(table).not.toContain('发给不存在的人');

  // The two people join WeCom; the row is queued again and goes out once.
  sim.state.setUsers([...USERS, 'ghost1', 'ghost2']);
  expect(await retryFailedOutbox(t.db, 'all')).toEqual([failed.rows[0].id]);
  expect(await settle()).toEqual({ sent: 81 });
  expect(delivered().filter((c) => c === '发给不存在的人')).toHaveLength(1);
  expect(formatFailedOutbox(await listFailedOutbox(t.db))).toBe('no failed outbox rows\n');
}, 60_000);

test('the CLI parses its arguments', () => {
  expect(parseOutboxArgs(['failed'])).toEqual({ cmd: 'failed', limit: 50 });
  expect(parseOutboxArgs(['failed', '--limit', '5'])).toEqual({ cmd: 'failed', limit: 5 });
  expect(parseOutboxArgs(['retry', '3', '4'])).toEqual({ cmd: 'retry', ids: [3, 4] });
  expect(parseOutboxArgs(['retry', 'all'])).toEqual({ cmd: 'retry', ids: 'all' });
  expect(parseOutboxArgs(['retry'])).toHaveProperty('error');
  expect(parseOutboxArgs(['drop'])).toHaveProperty('error');
});
