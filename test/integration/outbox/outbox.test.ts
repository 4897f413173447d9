import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createLogger } from '../../../src/lib/logger';
import { addToOutbox, textMessage, type OutboundMessage } from '../../../src/services/outbox/write';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../../src/services/outbox/dispatch';
import { createWecomClient } from '../../../src/wecom/client';
import { startSimulator, type RunningSimulator } from '../../../src/demo/simulator';
import { startOutboxWorker } from '../../../jobs/outbox-worker';
import { sweepOutbox } from '../../../jobs/outbox-sweeper';
import { createTestDb, testPrefix, type TestDb } from '../../support/db';

const creds = { corpId: 'wwoutboxtest', secret: 'outbox-secret', agentId: 1000002 };
const logger = createLogger('silent');
const USERS = Array.from({ length: 2600 }, (_, i) => `u${i}`);
let t: TestDb;
let db: DataSource;
let sim: RunningSimulator;
let redis: Redis;
let prefix: string;
let dispatcher: OutboxDispatcher;
let worker: { close(): Promise<void> };
let groupOk: number;
let groupBadKey: number;

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  redis = new Redis('redis://127.0.0.1:6379');
  sim = await startSimulator({ creds, users: USERS, robotKeys: ['good-key'] });
  prefix = testPrefix();
  const [{ id: regionId }] = await db.query(
    `INSERT INTO regions (parent_id, level, name, full_name, path) VALUES (NULL, 0, '甘肃省', '甘肃省', '/') RETURNING id`,
  );
  [{ id: groupOk }] = await db.query(`INSERT INTO groups (scope_region_id, name, robot_key) VALUES ($1, '好群', 'good-key') RETURNING id`, [regionId]);
  [{ id: groupBadKey }] = await db.query(`INSERT INTO groups (scope_region_id, name, robot_key) VALUES ($1, '坏群', 'revoked-key') RETURNING id`, [regionId]);
  const wecom = createWecomClient({
    config: { ...creds, token: 't', encodingAesKey: 'k'.repeat(43), apiBase: sim.url },
    redis, logger, keyPrefix: `${prefix}:`, timeoutMs: 300,
  });
  dispatcher = createOutboxDispatcher({ db, redisUrl: 'redis://127.0.0.1:6379', prefix, logger });
  worker = startOutboxWorker({
    db, redisUrl: 'redis://127.0.0.1:6379', prefix, wecom, dispatcher, logger, sweepIntervalMs: 0, concurrency: 8,
    policy: { baseBackoffMs: 20, maxBackoffMs: 200, rateLimitBackoffMs: 100, maxAttempts: 8 },
  });
});

afterAll(async () => {
  await worker.close();
  await dispatcher.close();
  await sim.close();
  redis.disconnect();
  await t.drop();
});

beforeEach(() => sim.state.reset());

async function write(messages: OutboundMessage[]): Promise<number[]> {
  return db.transaction((m) => addToOutbox(m, messages));
}

interface Row { id: number; status: string; attempts: number; last_error: string | null; sent_at: Date | null }

async function settled(ids: number[], timeoutMs = 15_000): Promise<Row[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows: Row[] = await db.query(
      'SELECT id, status, attempts, last_error, sent_at FROM outbox_messages WHERE id = ANY($1) ORDER BY id', [ids],
    );
    if (rows.every((r) => r.status === 'sent' || r.status === 'failed')) return rows;
    if (Date.now() > deadline) throw new Error(`not settled: ${JSON.stringify(rows.filter((r) => r.status !== 'sent' && r.status !== 'failed'))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const contents = () => sim.state.query({ api: 'message/send' }).map((s) => (s.body as { content: string }).content);

test('every row is sent exactly once through HTTP 500s, timeouts, a 45009 storm and an expired token', async () => {
  const msgs = USERS.slice(0, 60).map((u, i) => textMessage(`storm:${i}`, u, `第${i}条`));
  sim.faults.add({ api: 'message/send', kind: 'http500', count: 6 });
  sim.faults.add({ api: 'message/send', kind: 'timeout', delayMs: 600, count: 2, recordFirst: true });
  sim.faults.add({ api: 'message/send', kind: 'timeout', delayMs: 600, count: 2 });
  sim.faults.add({ api: 'message/send', kind: 'errcode', errcode: 45009, count: 15 });
  sim.faults.add({ api: 'message/send', kind: 'errcode', errcode: -1, count: 3 });
  const first = await write(msgs.slice(0, 30));
  await dispatcher.dispatch(first);
  while (sim.sent.length < 5) await new Promise((r) => setTimeout(r, 20));
  sim.state.expireTokens();
  const second = await write(msgs.slice(30));
  await dispatcher.dispatch(second);
  const rows = await settled([...first, ...second]);
  expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
  const sent = contents().sort();
  expect(sent).toEqual(msgs.map((m) => (m.payload as { text: { content: string } }).text.content).sort());
  expect(sim.state.calls.get('gettoken')).toBeGreaterThanOrEqual(2);
  expect(rows.some((r) => r.attempts > 1)).toBe(true);
});

test('a message to 2,600 people goes out as three calls of at most 1,000', async () => {
  const ids = await write([textMessage('notice:big', USERS, '紧急通知')]);
  await dispatcher.dispatch(ids);
  const rows = await settled(ids);
  expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  const calls = sim.state.query({ api: 'message/send' });
  expect(calls.map((c) => c.touser.length).sort()).toEqual([1000, 1000, 600]);
  expect(new Set(calls.flatMap((c) => c.touser)).size).toBe(2600);
});

test('permanent errors fail with the reason; partial invalids count as sent', async () => {
  const ids = await write([
    textMessage('perm:ghost', ['ghost', 'nobody'], '无人'),
    textMessage('perm:partial', ['u1', 'ghost'], '部分'),
    { key: 'perm:robot-bad', channel: 'robot', to: String(groupBadKey), payload: { msgtype: 'text', text: { content: '坏' } } },
    { key: 'perm:robot-missing', channel: 'robot', to: '999999', payload: { msgtype: 'text', text: { content: '无' } } },
    { key: 'perm:robot-ok', channel: 'robot', to: String(groupOk), payload: { msgtype: 'markdown', markdown: { content: '**好**' } } },
  ]);
  await dispatcher.dispatch(ids);
  const rows = await settled(ids);
  expect(rows.map((r) => r.status)).toEqual(['failed', 'sent', 'failed', 'failed', 'sent']);
  expect(rows[0].last_error).toContain('81013');
  expect(rows[0].last_error).toContain('ghost|nobody');
  expect(rows[1].last_error).toBe('invaliduser: ghost');
  expect(rows[2].last_error).toContain('93000');
  expect(rows[2].last_error).not.toContain('revoked-key');
  expect(rows[3].last_error).toContain('not found');
  expect(sim.state.query({ robotKey: 'good-key' })).toHaveLength(1);
  expect(rows.every((r) => r.attempts === 1)).toBe(true);
});

test('rows written while Redis was unreachable wait in PostgreSQL until the sweeper enqueues them', async () => {
  const offline = createOutboxDispatcher({ db, redisUrl: 'redis://127.0.0.1:1', prefix, logger });
  const ids = await write([textMessage('offline:1', 'u5', '离线一'), textMessage('offline:2', 'u6', '离线二')]);
  const started = Date.now();
  await offline.dispatch(ids); // never throws
  expect(Date.now() - started).toBeLessThan(3000);
  await offline.close().catch(() => undefined);
  const pending: { status: string }[] = await db.query('SELECT status FROM outbox_messages WHERE id = ANY($1)', [ids]);
  expect(pending.map((r) => r.status)).toEqual(['pending', 'pending']);
  await new Promise((r) => setTimeout(r, 300));
  expect(sim.sent).toHaveLength(0);

  // A row stuck in 'sending' past its lease (the worker died mid-send) is retried too.
  const [stuck] = await write([textMessage('stuck:1', 'u7', '卡住')]);
  await db.query(`UPDATE outbox_messages SET status = 'sending', attempts = 1, next_attempt_at = now() - interval '1 minute' WHERE id = $1`, [stuck]);

  expect(await sweepOutbox({ db, dispatcher, logger }, new Date())).toBeGreaterThanOrEqual(3);
  const rows = await settled([...ids, stuck]);
  expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  expect(contents().sort()).toEqual(['离线一', '离线二', '卡住'].sort());
  // Sweeping again finds nothing due and sends nothing twice.
  await sweepOutbox({ db, dispatcher, logger }, new Date());
  await new Promise((r) => setTimeout(r, 200));
  expect(sim.sent).toHaveLength(3);
});

test('dispatching the same ids twice sends once', async () => {
  const ids = await write([textMessage('twice:1', 'u8', '一次')]);
  await Promise.all([dispatcher.dispatch(ids), dispatcher.dispatch(ids), sweepOutbox({ db, dispatcher, logger }, new Date())]);
  await settled(ids);
  await new Promise((r) => setTimeout(r, 200));
  expect(contents()).toEqual(['一次']);
});
