import { Redis } from 'ioredis';
import { createLogger } from '../../../src/lib/logger';
import { addToOutbox, textMessage } from '../../../src/services/outbox/write';
import { createWecomClient } from '../../../src/wecom/client';
import { createRateLimiter, memberBuckets, robotBucket } from '../../../src/wecom/rate-limit';
import { startSimulator, type RunningSimulator } from '../../../src/demo/simulator';
import { deliverOutboxRow } from '../../../jobs/outbox-deliver';
import { createTestDb, testPrefix, type TestDb } from '../../support/db';

const creds = { corpId: 'wwratelimit', secret: 'rl-secret', agentId: 1000002 };
const logger = createLogger('silent');
let t: TestDb;
let sim: RunningSimulator;
let redis: Redis;

beforeAll(async () => {
  t = await createTestDb();
  redis = new Redis('redis://127.0.0.1:6379');
  sim = await startSimulator({ creds });
});
afterAll(async () => {
  await sim.close();
  redis.disconnect();
  await t.drop();
});

test('robot buckets allow 20 a minute, then name the wait until the next window', async () => {
  const limiter = createRateLimiter(redis, `${testPrefix()}:`);
  const at = new Date('2026-11-23T08:00:10Z');
  for (let i = 0; i < 20; i++) expect((await limiter.take([robotBucket('7')], at)).ok).toBe(true);
  expect(await limiter.take([robotBucket('7')], at)).toEqual({ ok: false, bucket: 'robot:7:m', retryAfterMs: 50_000 });
  expect((await limiter.take([robotBucket('8')], at)).ok).toBe(true);
  expect((await limiter.take([robotBucket('7')], new Date('2026-11-23T08:01:00Z'))).ok).toBe(true);
});

test('buckets are all-or-nothing: a full member blocks the message without counting the others', async () => {
  const limiter = createRateLimiter(redis, `${testPrefix()}:`);
  const at = new Date('2026-11-23T08:00:00Z');
  for (let i = 0; i < 30; i++) await limiter.take(memberBuckets(['busy']), at);
  const r = await limiter.take(memberBuckets(['idle', 'busy']), at);
  expect(r).toMatchObject({ ok: false, bucket: 'member:busy:m' });
  for (let i = 0; i < 30; i++) expect((await limiter.take(memberBuckets(['idle']), at)).ok).toBe(true);
  // 1,000 an hour: minute windows reset but the hour one does not.
  const hourly = `${testPrefix()}:`;
  const h = createRateLimiter(redis, hourly);
  let sent = 0;
  for (let minute = 0; minute < 40; minute++) {
    for (let i = 0; i < 30; i++) if ((await h.take(memberBuckets(['heavy']), new Date(at.getTime() + minute * 60_000))).ok) sent++;
  }
  expect(sent).toBe(1000);
});

test('a member over 30 a minute delays the row without counting an attempt or calling WeCom', async () => {
  const prefix = `${testPrefix()}:`;
  const limiter = createRateLimiter(redis, prefix);
  const wecom = createWecomClient({
    config: { ...creds, token: 't', encodingAesKey: 'k'.repeat(43), apiBase: sim.url }, redis, logger, keyPrefix: prefix,
  });
  const now = new Date('2026-11-23T08:00:30Z');
  for (let i = 0; i < 30; i++) await limiter.take(memberBuckets(['zhangsan']), now);
  const [id] = await t.db.transaction((m) => addToOutbox(m, [textMessage('rl:1', 'zhangsan', '你好')]));
  const outcome = await deliverOutboxRow({ db: t.db, wecom, limiter, logger }, id, now);
  expect(outcome).toEqual({ kind: 'retry', at: new Date('2026-11-23T08:01:00Z'), reason: 'rate limited: member member:zhangsan:m' });
  const [row] = await t.db.query('SELECT status, attempts, next_attempt_at FROM outbox_messages WHERE id = $1', [id]);
  expect(row).toEqual({ status: 'queued', attempts: 0, next_attempt_at: new Date('2026-11-23T08:01:00Z') });
  expect(sim.state.calls.get('message/send')).toBeUndefined();
  const later = await deliverOutboxRow({ db: t.db, wecom, limiter, logger }, id, new Date('2026-11-23T08:01:00Z'));
  expect(later).toEqual({ kind: 'sent', invalidUsers: [] });
  expect(await deliverOutboxRow({ db: t.db, wecom, limiter, logger }, id, new Date('2026-11-23T08:01:01Z'))).toEqual({ kind: 'skipped' });
  expect(sim.sent).toHaveLength(1);
});
