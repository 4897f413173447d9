import type { DataSource } from 'typeorm';
import { createTestDb, type TestDb } from '../../support/db';
import { IDS, addProblem, addVisit, seedJobsRoster } from '../../support/scenarios/jobs';
import { createLogger } from '../../../src/lib/logger';
import type { LinkJobDeps } from '../../../src/services/jobs/job-runs';
import { runNoticeFollowup } from '../../../jobs/notice-followup';
import { runOverdueProblems } from '../../../jobs/overdue-problems';
import { escalationLevel } from '../../../src/services/problems/overdue';

let t: TestDb;
let db: DataSource;
let deps: LinkJobDeps;

type Row = { idempotency_key: string; recipient: string; payload: { text: { content: string } } };
const outbox = async (like: string): Promise<Row[]> =>
  // A card's text fallback stands for the card.
  db.query(`SELECT idempotency_key, recipient, COALESCE(payload->'fallback', payload) AS payload FROM outbox_messages WHERE idempotency_key LIKE $1 ORDER BY id`, [like]);

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await seedJobsRoster(db);
  deps = { db, logger: createLogger('silent'), publicUrl: 'https://sl.example.gov.cn' };
});
afterAll(() => t.drop());

describe('notice follow-up', () => {
  beforeAll(async () => {
    await db.query(`INSERT INTO notices (id, sender_id, scope_region_id, content, created_at)
                    VALUES (1, $1, $2, '今晚有暴雨，请各村做好防汛准备', '2026-11-23T09:00:00+08:00')`, [IDS.countyLeader, IDS.yuanyang]);
    await db.query(`INSERT INTO notice_recipients (notice_id, cadre_id, acked_at) VALUES
                    (1, $1, '2026-11-23T09:10:00+08:00'), (1, $2, NULL), (1, $3, NULL)`, [IDS.zhangwei, IDS.lina, IDS.wanggang]);
    // 李娜 did not answer but checked in at 王门村 (in the notice's scope) that afternoon.
    await addVisit(db, IDS.lina, IDS.wangmen, '2026-11-23T15:00:00+08:00', '2026-11-23T17:00:00+08:00');
  });

  it('waits until notice.followup_hours (2 h) have passed', async () => {
    await runNoticeFollowup(deps, new Date('2026-11-23T10:59:00+08:00'));
    expect(await outbox('notice-%')).toEqual([]);
  });

  it('follows up after 2 h, and gives the sender who has not acknowledged', async () => {
    await runNoticeFollowup(deps, new Date('2026-11-23T11:00:00+08:00'));
    await runNoticeFollowup(deps, new Date('2026-11-23T11:15:00+08:00'));
    const rows = await outbox('notice-%');
    expect(rows.map((r) => [r.idempotency_key, r.recipient])).toEqual([
      ['notice-followup:1:1', 'lina|wanggang'], ['notice-report:1:1', 'zhaoxz']]);
    expect(rows[0].payload.text.content).toContain('【通知提醒】11月23日 09:00的紧急通知您还没有回复“收到”');
    expect(rows[1].payload.text.content.split('\n')).toEqual([
      '【通知回执】您11月23日 09:00发出的紧急通知“今晚有暴雨，请各村做好防汛准备”：共3人，已回复“收到”1人，已到村签到0人。',
      '未回复（2人）：李娜、王刚',
    ]);
  });

  it('follows up again each morning at 08:00 until the notice\'s third day, with who checked in since', async () => {
    await db.query(`UPDATE notice_recipients SET acked_at = '2026-11-23T16:00:00+08:00' WHERE notice_id = 1 AND cadre_id = $1`, [IDS.wanggang]);
    await runNoticeFollowup(deps, new Date('2026-11-24T07:59:00+08:00'));
    expect(await outbox('notice-%')).toHaveLength(2);
    await runNoticeFollowup(deps, new Date('2026-11-24T08:00:00+08:00'));
    await runNoticeFollowup(deps, new Date('2026-11-24T09:00:00+08:00'));
    const day2 = (await outbox('notice-%')).slice(2);
    expect(day2.map((r) => [r.idempotency_key, r.recipient])).toEqual([
      ['notice-followup:1:2', 'lina'], ['notice-report:1:2', 'zhaoxz']]);
    expect(day2[1].payload.text.content.split('\n')).toEqual([
      '【通知回执】您11月23日 09:00发出的紧急通知“今晚有暴雨，请各村做好防汛准备”：共3人，已回复“收到”2人，已到村签到1人。',
      '未回复（1人）：李娜',
      '期间到村签到（1人）：李娜',
    ]);
    await runNoticeFollowup(deps, new Date('2026-11-25T08:15:00+08:00'));
    await runNoticeFollowup(deps, new Date('2026-11-26T08:00:00+08:00'));
    const later = (await outbox('notice-%')).slice(4);
    expect(later.map((r) => [r.idempotency_key, r.recipient])).toEqual([
      ['notice-followup:1:3', 'lina'], ['notice-report:1:3', 'zhaoxz']]);
  });

  it('keeps the rhythm as rules (first after hours, daily hour, days)', async () => {
    const rows = await db.query(`SELECT key, value FROM policy_rules WHERE key LIKE 'notice.followup%' ORDER BY key`);
    expect(rows).toEqual([
      { key: 'notice.followup_daily_hour', value: 8 }, { key: 'notice.followup_days', value: 3 },
      { key: 'notice.followup_hours', value: 2 },
    ]);
  });
});

describe('overdue problems', () => {
  it('computes the escalation level per N days overdue', () => {
    expect([0, 7, 8, 14, 15, 21, 22, 100].map((d) => escalationLevel(d, 7))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });

  it('reminds owners daily and escalates township → county → city, recording each once', async () => {
    // Deadline 11-01 at 丁门村 (鸳鸯镇 has 孙镇长), owner 张伟.
    const id = await addProblem(db, { code: 'W2026-0007', villageId: IDS.dingmen, reporterId: IDS.zhangwei,
      ownerId: IDS.zhangwei, deadline: '2026-11-01', reportedAt: '2026-10-01T10:00:00+08:00' });
    const events = async () => (await db.query(
      `SELECT data FROM problem_events WHERE problem_id = $1 AND kind = 'escalated' ORDER BY id`, [id]))
      .map((e: { data: { level: number; regionId: number } }) => [e.data.level, e.data.regionId]);

    await runOverdueProblems(deps, new Date('2026-11-08T09:00:00+08:00')); // 7 days: owner only
    expect((await outbox('problem-overdue:%')).map((r) => r.recipient)).toEqual(['zhangwei']);
    expect(await events()).toEqual([]);

    await runOverdueProblems(deps, new Date('2026-11-09T09:00:00+08:00')); // 8 days: township
    await runOverdueProblems(deps, new Date('2026-11-09T10:00:00+08:00')); // same day: skipped
    expect(await events()).toEqual([[1, IDS.yuanyang]]);
    const esc = await outbox('problem-escalated:%');
    expect(esc.map((r) => [r.idempotency_key, r.recipient])).toEqual([['problem-escalated:2026-11-09:sunzz', 'sunzz']]);
    expect(esc[0].payload.text.content).toContain('· W2026-0007 丁门村 逾期8天：道路塌方');

    await runOverdueProblems(deps, new Date('2026-11-15T09:00:00+08:00')); // 14 days: still township
    expect(await events()).toEqual([[1, IDS.yuanyang]]);
    await runOverdueProblems(deps, new Date('2026-11-16T09:00:00+08:00')); // 15 days: county
    await runOverdueProblems(deps, new Date('2026-11-23T09:00:00+08:00')); // 22 days: city
    expect(await events()).toEqual([[1, IDS.yuanyang], [2, IDS.county], [3, IDS.city]]);
    expect((await outbox('problem-escalated:%')).map((r) => r.recipient)).toEqual(['sunzz', 'zhaoxz', 'mass']);
    expect((await outbox('problem-overdue:%')).length).toBe(5);
  });
});
