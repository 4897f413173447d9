import type { DataSource } from 'typeorm';
import { createTestDb, type TestDb } from '../../support/db';
import { IDS, addVisit, seedJobsRoster } from '../../support/scenarios/jobs';
import { buildHouseholdVisit, buildMustVisit, buildNotice, buildNoticeRecipient } from '../../support/factories';
import { createLogger } from '../../../src/lib/logger';
import type { LinkJobDeps } from '../../../src/services/jobs/job-runs';
import { runMustVisitReminders } from '../../../jobs/must-visit-reminders';
import { buildDigest, renderDigestMarkdown } from '../../../src/services/digest/build';

/** 五必访: overdue reminders and escalation (must-visit-reminders); 五必访 and 五必到 in the digests. */

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

describe('must-visit-reminders', () => {
  beforeAll(async () => {
    // 张三: reported 11月20日 09:00, due 11月23日 09:00, not visited; 李四: visited in time; 王五 (李娜): due later.
    await buildMustVisit(db, { householdId: IDS.zhangsan, reporterId: IDS.lina, cadreId: IDS.zhangwei, kind: '生病住院',
      reportedAt: '2026-11-20T09:00:00+08:00' });
    await buildMustVisit(db, { householdId: IDS.lisi, reporterId: IDS.lina, cadreId: IDS.zhangwei, kind: '邻里纠纷',
      reportedAt: '2026-11-20T09:00:00+08:00', doneAt: '2026-11-21T09:00:00+08:00' });
    await buildMustVisit(db, { householdId: IDS.wangwu, reporterId: IDS.zhangwei, cadreId: IDS.lina, kind: '婚丧嫁娶',
      reportedAt: '2026-11-23T08:00:00+08:00' });
  });

  it('reminds nobody before the deadline has passed', async () => {
    await runMustVisitReminders(deps, new Date('2026-11-23T08:59:00+08:00'));
    expect(await outbox('must-visit-%')).toEqual([]);
  });

  it('reminds the cadre of each overdue visit, once a day', async () => {
    await runMustVisitReminders(deps, new Date('2026-11-24T09:00:00+08:00'));
    await runMustVisitReminders(deps, new Date('2026-11-24T10:00:00+08:00'));
    const rows = await outbox('must-visit-%');
    expect(rows.map((r) => [r.idempotency_key, r.recipient])).toEqual([['must-visit-overdue:2026-11-24:zhangwei', 'zhangwei']]);
    expect(rows[0].payload.text.content.split('\n')).toEqual([
      '【五必访逾期提醒】以下联系户的必访事项已超过期限，请尽快入户走访：',
      '· 张三（丁门村）生病住院，期限11月23日 09:00',
      '走访后发送“走访 户主姓名 事由 情况”，例如：走访 张三 住院 已看望。',
    ]);
  });

  it('reports an event 3 days (must_visit.escalate_after_days) past its deadline to the township leader, once', async () => {
    await runMustVisitReminders(deps, new Date('2026-11-26T08:59:00+08:00'));
    expect(await outbox('must-visit-escalated:%')).toEqual([]);
    await runMustVisitReminders(deps, new Date('2026-11-27T09:00:00+08:00'));
    await runMustVisitReminders(deps, new Date('2026-11-28T09:00:00+08:00'));
    const up = await outbox('must-visit-escalated:%');
    expect(up.map((r) => [r.idempotency_key, r.recipient])).toEqual([['must-visit-escalated:2026-11-27:sunzz', 'sunzz']]);
    expect(up[0].payload.text.content.split('\n')).toEqual([
      '【五必访逾期上报】以下必访事项逾期未走访，请督促联户干部：',
      '· 张三（丁门村）生病住院，期限11月23日 09:00，联户干部：张伟',
    ]);
    // the cadre is still reminded each day
    expect((await outbox('must-visit-overdue:%')).map((r) => r.idempotency_key)).toEqual([
      'must-visit-overdue:2026-11-24:zhangwei',
      'must-visit-overdue:2026-11-26:zhangwei', 'must-visit-overdue:2026-11-26:lina',
      'must-visit-overdue:2026-11-27:zhangwei', 'must-visit-overdue:2026-11-27:lina',
      'must-visit-overdue:2026-11-28:zhangwei', 'must-visit-overdue:2026-11-28:lina',
    ]);
  });

  it('keeps its escalation limit as a rule', async () => {
    await db.query(`UPDATE policy_rules SET value = '10'::jsonb WHERE key = 'must_visit.escalate_after_days'`);
    await runMustVisitReminders(deps, new Date('2026-11-29T09:00:00+08:00'));
    expect(await outbox('must-visit-escalated:2026-11-29:%')).toEqual([]);
    await db.query(`UPDATE policy_rules SET value = '3'::jsonb WHERE key = 'must_visit.escalate_after_days'`);
  });
});

describe('the digest', () => {
  it('shows 五必访 due in the period, visited in time and overdue, for the scope and above', async () => {
    // week 11月23日—29日: 张三 due 23rd (overdue), 王五 due 26th (overdue); 李四 was due on the 23rd, visited in time
    const week = await buildDigest(db, IDS.yuanyang, new Date('2026-11-30T08:00:00+08:00'), 'week');
    expect(week.mustVisits).toEqual({ due: 3, inTime: 1, overdue: 2 });
    expect(renderDigestMarkdown(week)).toContain('> 五必访：到期 3 件，按时走访 1 件，逾期未走访 <font color="warning">2</font> 件');
    expect((await buildDigest(db, IDS.county, new Date('2026-11-30T08:00:00+08:00'), 'week')).mustVisits)
      .toEqual({ due: 3, inTime: 1, overdue: 2 });
    expect((await buildDigest(db, IDS.luomen, new Date('2026-11-30T08:00:00+08:00'), 'week')).mustVisits)
      .toEqual({ due: 0, inTime: 0, overdue: 0 });
  });

  it('a visit after the deadline is done, not in time', async () => {
    await buildHouseholdVisit(db, { cadreId: IDS.zhangwei, householdId: IDS.zhangsan, visitedAt: '2026-11-30T10:00:00+08:00' });
    await db.query(`UPDATE must_visits SET done_at = '2026-11-30T10:00:00+08:00' WHERE household_id = $1`, [IDS.zhangsan]);
    const day = await buildDigest(db, IDS.yuanyang, new Date('2026-11-30T20:00:00+08:00'), 'day');
    expect(day.mustVisits).toEqual({ due: 0, inTime: 0, overdue: 1 });
    // the week as it stood at its end is unchanged
    expect((await buildDigest(db, IDS.yuanyang, new Date('2026-11-30T20:00:00+08:00'), 'week')).mustVisits)
      .toEqual({ due: 3, inTime: 1, overdue: 2 });
  });

  it('shows 五必到 attendance per kind of the notices sent in the period, to the scope or below', async () => {
    const meeting = await buildNotice(db, { senderId: IDS.countyLeader, scopeRegionId: IDS.yuanyang, content: '村委会议',
      createdAt: '2026-12-01T08:00:00+08:00', attendUntil: '2026-12-01T18:00:00+08:00' });
    await db.query(`UPDATE notices SET kind = '会议' WHERE id = $1`, [meeting.id]);
    const storm = await buildNotice(db, { senderId: IDS.countyLeader, scopeRegionId: IDS.county, content: '防汛',
      createdAt: '2026-12-01T09:00:00+08:00' });
    for (const c of [IDS.zhangwei, IDS.lina]) await buildNoticeRecipient(db, { noticeId: meeting.id, cadreId: c });
    for (const c of [IDS.zhangwei, IDS.lina, IDS.wanggang]) await buildNoticeRecipient(db, { noticeId: storm.id, cadreId: c });
    await addVisit(db, IDS.zhangwei, IDS.dingmen, '2026-12-01T10:00:00+08:00', '2026-12-01T11:00:00+08:00');
    // 李娜 comes after the meeting's end: not attendance for it, but for the storm (no end: notice.report_hours, 24 h)
    await addVisit(db, IDS.lina, IDS.wangmen, '2026-12-01T19:00:00+08:00', '2026-12-01T20:00:00+08:00');
    const county = await buildDigest(db, IDS.county, new Date('2026-12-01T20:00:00+08:00'), 'day');
    expect(county.attendance).toEqual([
      { kind: '会议', notices: 1, recipients: 2, attended: 1 },
      { kind: '突发', notices: 1, recipients: 3, attended: 2 },
    ]);
    expect(renderDigestMarkdown(county)).toContain('> 五必到（通知后到村签到）：会议 1/2 人，突发 2/3 人');
    // the township sees its own notice only
    expect((await buildDigest(db, IDS.yuanyang, new Date('2026-12-01T20:00:00+08:00'), 'day')).attendance)
      .toEqual([{ kind: '会议', notices: 1, recipients: 2, attended: 1 }]);
    expect(renderDigestMarkdown(await buildDigest(db, IDS.luomen, new Date('2026-12-01T20:00:00+08:00'), 'day')))
      .not.toContain('五必到');
  });
});
