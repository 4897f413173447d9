import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createTestDb, testPrefix, type TestDb } from '../../support/db';
import { seedDigestDataset } from '../../support/scenarios/digest';
import { createLogger } from '../../../src/lib/logger';
import { createJobsQueue, JOBS_QUEUE } from '../../../jobs/queues';
import { SCHEDULES, SCHEDULE_TZ, resolveSchedules, upsertSchedules } from '../../../jobs/schedules';
import { startWorker } from '../../../jobs/worker';

const REDIS_URL = 'redis://127.0.0.1:6379';
let t: TestDb;
let db: DataSource;
let redis: Redis;

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  redis.disconnect();
  await t.drop();
});

it('upserts every schedule with stable ids in Asia/Shanghai, from policy_rules', async () => {
  const prefix = testPrefix();
  const queue = createJobsQueue({ connection: redis, prefix });
  try {
    await db.query(`UPDATE policy_rules SET value = '"30 19 * * *"' WHERE key = 'schedule.digest'`);
    await db.query(`UPDATE policy_rules SET value = '"not a cron"' WHERE key = 'schedule.auto_checkout'`);
    const schedules = await resolveSchedules(db);
    await upsertSchedules(queue, schedules);
    await upsertSchedules(queue, schedules); // boot twice: nothing doubles
    const found = await queue.getJobSchedulers();
    expect(found.map((s) => s.key).sort()).toEqual(SCHEDULES.map((s) => s.id).sort());
    const byId = Object.fromEntries(found.map((s) => [s.key, s]));
    expect(byId['digest-daily']).toMatchObject({ name: 'digest', pattern: '30 19 * * *', tz: SCHEDULE_TZ });
    expect(byId['auto-checkout']).toMatchObject({ pattern: '0 * * * *' });
    expect(byId['digest-quarterly']).toMatchObject({ pattern: '0 8 1 1,4,7,10 *' });
    // The next daily digest fires at 19:30 Shanghai = 11:30 UTC.
    expect(new Date(byId['digest-daily'].next!).getUTCHours()).toBe(11);
    expect(new Date(byId['digest-daily'].next!).getUTCMinutes()).toBe(30);
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
  }
});

it('runs a job added to the queue through its processor', async () => {
  await seedDigestDataset(db);
  const prefix = testPrefix();
  const running = await startWorker({ db, logger: createLogger('silent'), redisUrl: REDIS_URL, prefix, schedule: false });
  const eventsConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const events = new QueueEvents(JOBS_QUEUE, { connection: eventsConnection, prefix });
  try {
    await events.waitUntilReady();
    const job = await running.queue.add('digest', { period: 'day', now: '2026-11-23T20:00:00+08:00' });
    expect(await job.waitUntilFinished(events, 15_000)).toMatchObject({ leaders: 4, queued: 4 });
    const bad = await running.queue.add('auto-checkout', { now: 'yesterday' });
    await expect(bad.waitUntilFinished(events, 15_000)).rejects.toThrow(/bad "now"/);
    expect((await running.queue.getJob(bad.id!))!.attemptsMade).toBe(1); // unrecoverable: not retried
  } finally {
    await events.close();
    eventsConnection.disconnect();
    await running.queue.obliterate({ force: true });
    await running.close();
  }
});
