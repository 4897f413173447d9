import { createLogger } from '../../../src/lib/logger';
import { clearExpiredContent } from '../../../src/services/ops/retention';
import { parseJobArgs } from '../../../src/cli/job';
import { PROCESSORS } from '../../../jobs/processors';
import { SCHEDULES } from '../../../jobs/schedules';
import { createTestDb, type TestDb } from '../../support/db';

/**
 * Retention (docs/design.md §2): the content of handled inbound messages and
 * sent outbox rows older than 'retention.raw_days' (180) is cleared in small
 * batches; the rows stay, so dedup still holds; rows still to be processed or
 * delivered, and rows a worker holds, are never touched or waited for.
 */

const logger = createLogger('silent');
const NOW = new Date('2026-11-23T03:30:00+08:00');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.drop());

async function inbound(key: string, status: string, receivedDaysAgo: number): Promise<number> {
  const [{ id }] = await t.db.query(
    `INSERT INTO inbound_messages (dedup_key, from_user, msg_type, create_time, raw_xml, status, reply, received_at)
     VALUES ($1, 'zhangwei', 'text', 1, '<xml><Content>私人内容</Content></xml>', $2, '已记录', $3) RETURNING id`,
    [key, status, daysAgo(receivedDaysAgo)]);
  return id;
}

async function outbox(key: string, status: string, sentDaysAgo: number | null, createdDaysAgo: number): Promise<number> {
  const [{ id }] = await t.db.query(
    `INSERT INTO outbox_messages (idempotency_key, channel, recipient, payload, status, sent_at, created_at)
     VALUES ($1, 'app', 'zhangwei', '{"msgtype":"text","text":{"content":"私人内容"}}', $2, $3, $4) RETURNING id`,
    [key, status, sentDaysAgo === null ? null : daysAgo(sentDaysAgo), daysAgo(createdDaysAgo)]);
  return id;
}

const kept = async (table: 'inbound_messages' | 'outbox_messages', id: number): Promise<boolean> =>
  (await t.db.query(
    table === 'inbound_messages' ? `SELECT raw_xml <> '' AS kept FROM inbound_messages WHERE id = $1` : `SELECT payload <> '{}'::jsonb AS kept FROM outbox_messages WHERE id = $1`,
    [id]))[0].kept;

test('the rule and its schedule are seeded; npm run job -- retention is known', async () => {
  expect(await t.db.query(`SELECT key, value FROM policy_rules WHERE key IN ('retention.raw_days', 'schedule.retention') ORDER BY key`))
    .toEqual([{ key: 'retention.raw_days', value: 180 }, { key: 'schedule.retention', value: '30 3 * * *' }]);
  expect(SCHEDULES.find((s) => s.id === 'retention')).toMatchObject({ job: 'retention', ruleKey: 'schedule.retention' });
  expect(parseJobArgs(['retention'])).toMatchObject({ name: 'retention' });
});

test('clears old content in batches, keeps the rows, skips what is pending or held, and never waits for a lock', async () => {
  const oldDone = await Promise.all(Array.from({ length: 7 }, (_, i) => inbound(`old-${i}`, i % 3 === 0 ? 'failed' : i % 3 === 1 ? 'ignored' : 'done', 200 + i)));
  const oldReceived = await inbound('old-received', 'received', 300);
  const recent = await inbound('recent', 'done', 179);
  const held = await inbound('held', 'done', 250);
  const sentOld = await Promise.all(Array.from({ length: 5 }, (_, i) => outbox(`sent-${i}`, 'sent', 181 + i, 190)));
  const sentRecent = await outbox('sent-recent', 'sent', 10, 200);
  const failedOld = await outbox('failed-old', 'failed', null, 400);
  const pendingOld = await outbox('pending-old', 'pending', null, 400);

  // A worker holds one old row in a transaction the whole time.
  const runner = t.db.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  await runner.query('SELECT id FROM inbound_messages WHERE id = $1 FOR UPDATE', [held]);
  try {
    const started = Date.now();
    const r = await clearExpiredContent(t.db, NOW, { days: 180, batchSize: 2 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r).toMatchObject({ before: daysAgo(180).toISOString(), inboundCleared: 7, outboxCleared: 5 });
    expect(r.batches).toBe(4 + 3);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
  for (const id of oldDone) expect(await kept('inbound_messages', id)).toBe(false);
  for (const id of [oldReceived, recent, held]) expect(await kept('inbound_messages', id)).toBe(true);
  for (const id of sentOld) expect(await kept('outbox_messages', id)).toBe(false);
  for (const id of [sentRecent, failedOld, pendingOld]) expect(await kept('outbox_messages', id)).toBe(true);
  // The rows stay, with what dedup and the record need.
  expect(await t.db.query(`SELECT count(*)::int AS n, count(reply)::int AS replies FROM inbound_messages WHERE dedup_key LIKE 'old-%'`))
    .toEqual([{ n: 8, replies: 1 }]);
  expect(await t.db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE idempotency_key LIKE 'sent-%' AND status = 'sent'`)).toEqual([{ n: 6 }]);

  // The scheduled job, as the worker and npm run job run it: the held row's turn comes; a second run finds nothing.
  const first = await PROCESSORS.retention({ db: t.db, logger }, NOW, {});
  expect(first).toMatchObject({ inboundCleared: 1, outboxCleared: 0 });
  expect(await kept('inbound_messages', held)).toBe(false);
  expect(await PROCESSORS.retention({ db: t.db, logger }, NOW, {}))
    .toMatchObject({ inboundCleared: 0, outboxCleared: 0 });
});

test('the rule never clears what WeCom may still retry: at least a day is kept', async () => {
  const fresh = await inbound('fresh', 'done', 0.5);
  await t.db.query(`UPDATE policy_rules SET value = '0' WHERE key = 'retention.raw_days'`);
  expect(await PROCESSORS.retention({ db: t.db, logger }, NOW, {}))
    .toMatchObject({ before: daysAgo(1).toISOString(), inboundCleared: 1 }); // the 179-day-old one, not the fresh one
  expect(await kept('inbound_messages', fresh)).toBe(true);
});
