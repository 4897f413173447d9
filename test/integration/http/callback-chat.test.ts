import request from 'supertest';
import { Redis } from 'ioredis';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/lib/logger';
import { createMetrics } from '../../../src/metrics';
import { createBot } from '../../../bots';
import { createTestDb, testPrefix, type TestDb } from '../../support/db';
import { REDIS_URL } from '../../support/urls';
import { generateCreds, openReply, signedPost, textXml, wecomEnv } from '../../support/wecom-callback';

/** The callback wired to the real chat, as main.ts wires it. */
let t: TestDb;
let redis: Redis;
const creds = generateCreds();

beforeAll(async () => {
  t = await createTestDb();
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  redis.disconnect();
  await t.drop();
});

test('a sender not on the roster gets the chat’s refusal as a passive reply, recorded once', async () => {
  const logger = createLogger('silent');
  const bot = createBot({ redis, logger, keyPrefix: testPrefix() });
  const app = createApp({ config: loadConfig(wecomEnv(creds)), db: t.db, redis, logger, metrics: createMetrics(), bot });
  const p = signedPost(creds, textXml('stranger', '帮助', '9001000000000000001'));
  const res = await request(app.callback()).post(p.url).type('text/xml').send(p.body);
  expect(res.status).toBe(200);
  expect(openReply(creds, res.text)).toContain('花名册');
  const rows = await t.db.query('SELECT status, reply FROM inbound_messages');
  expect(rows).toHaveLength(1);
  expect(rows[0].status).toBe('done');
  expect(rows[0].reply).toContain('花名册');
});
