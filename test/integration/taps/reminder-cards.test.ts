import { Redis } from 'ioredis';
import { deliverOutboxRow, type DeliverDeps } from '../../../jobs/outbox-deliver';
import { PROCESSORS } from '../../../jobs/processors';
import { runFestivalReminders } from '../../../jobs/festival-reminders';
import { runMustVisitReminders } from '../../../jobs/must-visit-reminders';
import { runOverdueProblems } from '../../../jobs/overdue-problems';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/lib/logger';
import type { LinkJobDeps } from '../../../src/services/jobs/job-runs';
import { createWecomClient } from '../../../src/wecom/client';
import { createRateLimiter } from '../../../src/wecom/rate-limit';
import { startSimulator, type RunningSimulator } from '../../../src/demo/simulator';
import { buildMustVisit } from '../../support/factories';
import { createTestDb, testPrefix, type TestDb } from '../../support/db';
import { IDS, addProblem, seedJobsRoster } from '../../support/scenarios/jobs';
import { REDIS_URL } from '../../support/urls';
import { generateCreds, wecomEnv } from '../../support/wecom-callback';

/**
 * Festival, must-visit and overdue-problem reminders as text-notice cards over
 * the simulator: the card WeCom receives, its jump URL built from PUBLIC_URL
 * (the H5 check-in page, the problem in the console's ledger), and the text
 * the same outbox row sends when WeCom refuses the card type.
 */

const creds = generateCreds();
const PUBLIC_URL = 'https://sl.example.gov.cn';
let t: TestDb;
let sim: RunningSimulator;
let redis: Redis;
let deps: LinkJobDeps;
let deliver: DeliverDeps;

beforeAll(async () => {
  t = await createTestDb();
  await seedJobsRoster(t.db);
  sim = await startSimulator({ creds: { corpId: creds.corpId, secret: 'test-secret', agentId: 1000002 } });
  // The trailing slash shows the URL is PUBLIC_URL as config normalises it.
  const config = loadConfig({ ...wecomEnv(creds), WECOM_API_BASE: sim.url, PUBLIC_URL: `${PUBLIC_URL}/` });
  redis = new Redis(REDIS_URL);
  const logger = createLogger('silent');
  const prefix = `${testPrefix()}:`;
  deps = { db: t.db, logger, publicUrl: config.publicUrl };
  deliver = {
    db: t.db, logger, limiter: createRateLimiter(redis, prefix),
    wecom: createWecomClient({ config: config.wecom, redis, logger, keyPrefix: prefix }),
  };
});
afterAll(async () => {
  await sim.close();
  redis.disconnect();
  await t.drop();
});

/** Delivers the app rows waiting in the outbox, as the outbox worker would. */
async function deliverAll(): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const rows: { id: number }[] = await t.db.query(
      `SELECT id FROM outbox_messages WHERE status IN ('pending', 'queued') AND channel = 'app' ORDER BY id`);
    if (rows.length === 0) return;
    for (const r of rows) await deliverOutboxRow(deliver, r.id, new Date());
  }
}

const sentTo = (userid: string) => sim.state.query({ api: 'message/send', touser: userid });

test('a festival reminder is a text-notice card that opens the H5 check-in page', async () => {
  const before = sentTo('zhangwei').length;
  await runFestivalReminders(deps, new Date('2026-09-22T08:00:00+08:00'));
  await deliverAll();
  const got = sentTo('zhangwei').slice(before);
  expect(got.map((s) => s.msgtype)).toEqual(['template_card']);
  expect(got[0].body).toMatchObject({
    card_type: 'text_notice',
    main_title: { title: '重要节日必到', desc: '中秋节（9月25日）将至' },
    card_action: { type: 1, url: `${PUBLIC_URL}/h5/checkin` },
  });
  expect(String(got[0].body.sub_title_text)).toContain('请在节前走访您的联系户');
});

test('a must-visit reminder lists the overdue visits and opens the H5 check-in page', async () => {
  await buildMustVisit(t.db, { householdId: IDS.zhangsan, reporterId: IDS.lina, cadreId: IDS.zhangwei, kind: '生病住院',
    reportedAt: '2026-11-20T09:00:00+08:00' });
  const before = sentTo('zhangwei').length;
  await runMustVisitReminders(deps, new Date('2026-11-24T09:00:00+08:00'));
  await deliverAll();
  const got = sentTo('zhangwei').slice(before);
  expect(got.map((s) => s.msgtype)).toEqual(['template_card']);
  expect(got[0].body).toMatchObject({
    card_type: 'text_notice', main_title: { title: '五必访逾期提醒' },
    card_action: { type: 1, url: `${PUBLIC_URL}/h5/checkin` },
  });
  expect(String(got[0].body.sub_title_text)).toMatch(/^· 张三（.+）生病住院，期限/);
});

test('an overdue problem opens its page in the console; a refused card goes as the same text once, from the same row', async () => {
  const id = await addProblem(t.db, { code: 'W2026-0007', villageId: IDS.dingmen, reporterId: IDS.zhangwei,
    ownerId: IDS.zhangwei, deadline: '2026-11-01', reportedAt: '2026-10-01T10:00:00+08:00' });
  let before = sentTo('zhangwei').length;
  await runOverdueProblems(deps, new Date('2026-11-08T09:00:00+08:00'));
  await deliverAll();
  let got = sentTo('zhangwei').slice(before);
  expect(got.map((s) => s.msgtype)).toEqual(['template_card']);
  expect(got[0].body).toMatchObject({
    card_type: 'text_notice', main_title: { title: '问题逾期提醒', desc: '您负责的以下问题已超过整改期限' },
    card_action: { type: 1, url: `${PUBLIC_URL}/console#tab=ledger&problem=${id}` },
  });

  before = sentTo('zhangwei').length;
  sim.faults.add({ api: 'message/send', kind: 'errcode', errcode: 40008, count: 1 });
  await runOverdueProblems(deps, new Date('2026-11-09T09:00:00+08:00'));
  await deliverAll();
  got = sentTo('zhangwei').slice(before);
  expect(got.map((s) => s.msgtype)).toEqual(['text']);
  expect(String(got[0].body.content).split('\n')).toEqual([
    '【问题逾期提醒】您负责的以下问题已超过整改期限：',
    expect.stringMatching(/^· W2026-0007 丁门村 逾期8天：/),
    '整改完成后请回复“销号 编号 整改说明”。',
  ]);
  const rows = await t.db.query(`SELECT status, payload->>'msgtype' AS msgtype FROM outbox_messages WHERE idempotency_key = $1`,
    ['problem-overdue:2026-11-09:zhangwei']);
  expect(rows).toEqual([{ status: 'sent', msgtype: 'text' }]);
  // The township leader's card (escalated at 8 days) is not refused: it opens the problem too.
  expect(sentTo('sunzz').map((s) => [s.body.card_type, (s.body.main_title as { title: string }).title, s.body.card_action]))
    .toEqual([['text_notice', '问题逾期上报', { type: 1, url: `${PUBLIC_URL}/console#tab=ledger&problem=${id}` }]]);
});

test('several overdue problems open the ledger', async () => {
  await addProblem(t.db, { code: 'W2026-0008', villageId: IDS.dingmen, reporterId: IDS.zhangwei,
    ownerId: IDS.zhangwei, deadline: '2026-11-08', reportedAt: '2026-10-01T10:00:00+08:00' });
  const before = sentTo('zhangwei').length;
  await runOverdueProblems(deps, new Date('2026-11-10T09:00:00+08:00'));
  await deliverAll();
  const got = sentTo('zhangwei').slice(before);
  expect(got.map((s) => s.body.card_action)).toEqual([{ type: 1, url: `${PUBLIC_URL}/console#tab=ledger` }]);
  expect(String(got[0].body.sub_title_text).split('\n')).toEqual([
    expect.stringMatching(/^· W2026-0007 /), expect.stringMatching(/^· W2026-0008 /),
  ]);
});

test('the reminder jobs refuse to run without the app\'s external URL (a wiring fault, not retried)', () => {
  const bare = { db: t.db, logger: createLogger('silent') };
  for (const job of ['festival-reminders', 'must-visit-reminders', 'overdue-problems'] as const) {
    expect(() => PROCESSORS[job](bare, new Date(), {})).toThrow('no public URL for the reminder cards');
  }
});
