import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createBot } from '../../../bots';
import { runDigest } from '../../../jobs/digest';
import { startOutboxWorker } from '../../../jobs/outbox-worker';
import { addToOutbox, textMessage } from '../../../src/services/outbox/write';
import { createOutboxDispatcher } from '../../../src/services/outbox/dispatch';
import { processPending } from '../../../src/services/inbound/retry';
import { createWecomClient } from '../../../src/wecom/client';
import { startSimulator } from '../../../src/demo/simulator';
import { createTestDb, testPrefix } from '../../support/db';
import { seedRoster } from '../../support/scenarios/roster';
import { captureLog } from '../../support/log-capture';
import { startCallbackServer } from '../../support/callback-server';
import { generateCreds, eventXml, signedPost, textXml } from '../../support/wecom-callback';
import { REDIS_URL } from '../../support/urls';
import { until } from '../../support/until';

/**
 * A full flow with every logger at trace level writing into one buffer:
 * callbacks (a cadre's diary, a stranger, a forged one, a retry, an event),
 * a bot failure, replies and a robot message through the outbox to the
 * simulator with a token expiring in between, and the digest job. Afterwards
 * the buffer holds none of the secrets nor any message text.
 */

const SECRET = `sec${randomBytes(12).toString('hex')}`;
const ROBOT_KEY = `rk${randomBytes(12).toString('hex')}`;
const SAMPLE = `走访手记甲${randomBytes(4).toString('hex')}`;
const STRANGER_TEXT = `陌生人来信乙${randomBytes(4).toString('hex')}`;
const FAILING_TEXT = `失败的消息丙${randomBytes(4).toString('hex')}`;

test('no access token, EncodingAESKey, Token, secret, robot key or message text reaches the logs', async () => {
  const log = captureLog('trace');
  const logger = log.logger;
  const creds = generateCreds('wwsecretlogs0001');
  const t = await createTestDb();
  await seedRoster(t.db);
  await t.db.query('UPDATE groups SET robot_key = $1', [ROBOT_KEY]);
  const [{ id: groupId }] = await t.db.query('SELECT id FROM groups');
  const sim = await startSimulator({ creds: { corpId: creds.corpId, secret: SECRET, agentId: 1000002 }, robotKeys: [ROBOT_KEY] });
  const redis = new Redis(REDIS_URL);
  const prefix = testPrefix();
  const wecom = createWecomClient({
    config: { corpId: creds.corpId, agentId: 1000002, secret: SECRET, token: creds.token, encodingAesKey: creds.encodingAesKey, apiBase: sim.url },
    redis, logger, keyPrefix: `${prefix}:`, timeoutMs: 2000,
  });
  const dispatcher = createOutboxDispatcher({ db: t.db, redisUrl: REDIS_URL, prefix, logger });
  const worker = startOutboxWorker({ db: t.db, redisUrl: REDIS_URL, prefix, wecom, dispatcher, logger, sweepIntervalMs: 0 });
  const realBot = createBot({ redis, logger, keyPrefix: `${prefix}:` });
  // The chat, except that one message makes it throw (with the text in the error, as a careless bug would).
  const bot = {
    async handle(...args: Parameters<typeof realBot.handle>) {
      if (args[0].content === FAILING_TEXT) throw new Error(`cannot handle ${FAILING_TEXT}`);
      return realBot.handle(...args);
    },
  };
  const srv = await startCallbackServer({
    db: t.db, creds, logger, bot, env: { WECOM_SECRET: SECRET, WECOM_API_BASE: sim.url, LOG_LEVEL: 'trace' }, dispatch: (ids) => dispatcher.dispatch(ids),
  });
  const tokensSeen = new Set<string>();
  const noteTokens = () => {
    for (const k of (sim.state as unknown as { tokens: Map<string, number> }).tokens.keys()) tokensSeen.add(k);
  };
  try {
    const posts = [
      signedPost(creds, textXml('zhangwei', `日记 ${SAMPLE}`, '7100000000000000001')),
      signedPost(creds, textXml('stranger', STRANGER_TEXT, '7100000000000000002')),
      signedPost(creds, textXml('zhangwei', FAILING_TEXT, '7100000000000000003')),
      signedPost(creds, eventXml('zhangwei', 'enter_agent')),
    ];
    for (const p of posts) expect((await srv.post(p)).status).toBe(200);
    expect((await srv.post(posts[0])).status).toBe(200); // WeCom's retry
    const forged = signedPost(creds, textXml('zhangwei', SAMPLE, '7100000000000000004'), { signWith: 'NotTheToken' });
    expect((await srv.post(forged)).status).toBe(403);
    await processPending({ db: t.db, bot, logger, dispatch: (ids) => dispatcher.dispatch(ids) }, new Date(Date.now() + 3600_000));

    const ids = await t.db.transaction((m) => addToOutbox(m, [
      textMessage('secret-test:app', 'zhangwei', `提醒：${SAMPLE}`),
      { key: 'secret-test:robot', channel: 'robot', to: String(groupId), payload: { msgtype: 'text', text: { content: SAMPLE } } },
    ]));
    await dispatcher.dispatch(ids);
    await until(async () => (await pendingCount(t.db)) === 0, { what: 'nothing pending', timeoutMs: 20_000 });
    noteTokens();
    sim.state.expireTokens(); // the cached token now answers 42001: the client refreshes it
    await runDigest({ db: t.db, logger, dispatch: (i) => dispatcher.dispatch(i) }, new Date());
    await until(async () => (await pendingCount(t.db)) === 0, { what: 'nothing pending', timeoutMs: 20_000 });
    noteTokens();

    expect(sim.sent.length).toBeGreaterThanOrEqual(3);
    expect(tokensSeen.size).toBeGreaterThanOrEqual(2);
    const text = log.text();
    expect(text).toContain('callback received'); // the buffer did capture the flow
    expect(text).toContain('outbox row sent');
    expect(text).toContain('access token refreshed');
    const leaked = [...tokensSeen, creds.encodingAesKey, creds.token, SECRET, ROBOT_KEY, SAMPLE, STRANGER_TEXT, FAILING_TEXT]
      .filter((s) => text.includes(s));
    expect(leaked).toEqual([]);
  } finally {
    await srv.close();
    await worker.close();
    await dispatcher.close();
    await sim.close();
    redis.disconnect();
    await t.drop();
  }
}, 60_000);

async function pendingCount(db: import('typeorm').DataSource): Promise<number> {
  return (await db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE status NOT IN ('sent', 'failed')`))[0].n;
}

