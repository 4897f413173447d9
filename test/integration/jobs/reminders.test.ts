import type { DataSource } from 'typeorm';
import { createTestDb, type TestDb } from '../../support/db';
import { IDS, addHouseholdVisit, addVisit } from '../../support/scenarios/jobs';
import { DIGEST_NOW, seedDigestDataset } from '../../support/scenarios/digest';
import { createLogger } from '../../../src/lib/logger';
import type { LinkJobDeps } from '../../../src/services/jobs/job-runs';
import { runDigest } from '../../../jobs/digest';
import { runQuotaReminders } from '../../../jobs/quota-reminders';
import { runFestivalReminders } from '../../../jobs/festival-reminders';
import { buildCadre } from '../../support/factories';
import { runAutoCheckout } from '../../../jobs/auto-checkout';

let t: TestDb;
let db: DataSource;
let deps: LinkJobDeps;
const dispatched: number[] = [];

type Row = { idempotency_key: string; channel: string; recipient: string; payload: { text?: { content: string }; markdown?: { content: string } } };
const outbox = async (like: string): Promise<Row[]> =>
  // A card's text fallback stands for the card.
  db.query(`SELECT idempotency_key, channel, recipient, COALESCE(payload->'fallback', payload) AS payload FROM outbox_messages WHERE idempotency_key LIKE $1 ORDER BY id`, [like]);

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await seedDigestDataset(db);
  deps = { db, logger: createLogger('silent'), publicUrl: 'https://sl.example.gov.cn', dispatch: async (ids) => void dispatched.push(...ids) };
});
afterAll(() => t.drop());

describe('digest job', () => {
  it('sends each scoped leader their digest once per day, dispatching after commit', async () => {
    const first = await runDigest(deps, DIGEST_NOW);
    expect(first).toMatchObject({ leaders: 4, scopes: 4, queued: 4 });
    const again = await runDigest(deps, new Date('2026-11-23T21:30:00+08:00'));
    expect(again).toEqual({ skipped: true });
    const rows = await outbox('digest:%');
    expect(rows.map((r) => [r.idempotency_key, r.recipient])).toEqual([
      ['digest:2026-11-23:4', 'zhaoxz'], ['digest:2026-11-23:5', 'sunzz'],
      ['digest:2026-11-23:6', 'zhouzz'], ['digest:2026-11-23:8', 'mass'],
    ]);
    expect(rows[0].payload.markdown!.content).toContain('## 武山县 双联日报 11月23日');
    expect(dispatched).toHaveLength(4);
    const [{ n }] = await db.query("SELECT count(*)::int AS n FROM job_runs WHERE job = 'digest'");
    expect(n).toBe(1);
  });

  it('runs the weekly 周检查 as its own period', async () => {
    expect(await runDigest(deps, DIGEST_NOW, 'week')).toMatchObject({ queued: 4 });
    expect((await outbox('digest:week-2026-11-16:%')).length).toBe(4);
  });
});

describe('quota reminders', () => {
  it('finds nobody behind on 1 January: pace owes whole visits and days only', async () => {
    const summary = await runQuotaReminders(deps, new Date('2026-01-01T09:00:00+08:00'));
    expect(summary).toMatchObject({ cadresBehind: 0, unitLinksBehind: 0, unitLeadersTold: 0, queued: 0 });
  });

  it('sends one consolidated message per cadre behind pace and reports units to their leaders', async () => {
    const summary = await runQuotaReminders(deps, new Date('2026-11-23T09:00:00+08:00'));
    expect(summary).toMatchObject({ cadresBehind: 3, unitLinksBehind: 2 });
    const rows = await outbox('quota%');
    const byTo = Object.fromEntries(rows.map((r) => [r.recipient, r.payload.text!.content]));
    expect(Object.keys(byTo).sort()).toEqual(['lina', 'qianjz', 'wanggang', 'zhangwei', 'zhouzz']);
    // 张伟: both households behind, in one message.
    expect(byTo.zhangwei.split('\n')).toEqual([
      '【双联进度提醒】按全年进度折算，您以下指标落后：',
      '· 张三 已走访2次/2天、谈心1次，按进度应≥1次/≥6天/谈心≥1次',
      '· 李四 已走访1次/1天、谈心0次，按进度应≥1次/≥6天/谈心≥1次',
      '请抓紧安排走访。回复“进度”可随时查看。',
    ]);
    // 李娜 (队长): the unit's village, her household and resident days.
    // in this order: the unit's village, the households, her own days
    // (her 8 hours at 王门村 on 23 November were a day on site, not a night)
    expect(byTo.lina.split('\n').map((l) => l.split('，')[0])).toEqual([
      '【双联进度提醒】按全年进度折算',
      '· 丁门村 今年已进村3次/累计3天',
      '· 王五 已走访0次/0天、谈心0次',
      '· 驻村 已到村2天、驻村0天',
      '请抓紧安排走访。回复“进度”可随时查看。',
    ]);
    expect(byTo.lina).toContain('· 丁门村 今年已进村3次/累计3天，按进度应≥3次/≥26天');
    expect(byTo.lina).toContain('· 驻村 已到村2天、驻村0天，按进度应≥196天/≥143天');
    // Unit 1 has its own leader; unit 2 has none, so 洛门镇's leader hears of 西坪村.
    expect(byTo.qianjz).toContain('县农业局 联系丁门村 今年已进村3次/累计3天');
    expect(byTo.zhouzz).toContain('县教育局 联系西坪村 今年已进村2次/累计2天，按进度应≥1次/≥11天');
    expect(await runQuotaReminders(deps, new Date('2026-11-24T09:00:00+08:00'))).toEqual({ skipped: true });
  });

  it('lists the first five households behind by id and counts the rest', async () => {
    await db.query(`INSERT INTO households (id, village_id, householder, category, size)
                    SELECT id, 10, '户' || id, '一般户', 1 FROM generate_series(11, 16) id`);
    await db.query(`INSERT INTO cadre_household_links (cadre_id, household_id, valid_from)
                    SELECT $1, id, '2026-01-01' FROM generate_series(11, 16) id`, [IDS.zhangwei]);
    const summary = await runQuotaReminders(deps, new Date('2026-11-30T09:00:00+08:00'));
    expect(summary).toMatchObject({ cadresBehind: 3, unitLinksBehind: 2 });
    const rows = await outbox('quota:2026-11-30:%');
    expect(rows.map((r) => r.recipient).sort()).toEqual(['lina', 'wanggang', 'zhangwei']);
    const zhangwei = rows.find((r) => r.recipient === 'zhangwei')!.payload.text!.content.split('\n');
    expect(zhangwei.slice(1, -1).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(
      ['· 张三', '· 李四', '· 户11', '· 户12', '· 户13', '· 另有3户未达进度']);
  });

  it('writes nothing to a cadre no longer active, behind as they are', async () => {
    await db.query('UPDATE cadres SET active = false WHERE id = $1', [IDS.wanggang]);
    const summary = await runQuotaReminders(deps, new Date('2026-12-07T09:00:00+08:00'));
    expect(summary).toMatchObject({ cadresBehind: 2 });
    expect((await outbox('quota:2026-12-07:%')).map((r) => r.recipient).sort()).toEqual(['lina', 'zhangwei']);
    await db.query('UPDATE cadres SET active = true WHERE id = $1', [IDS.wanggang]);
  });
});

describe('festival reminders', () => {
  it('reminds every cadre linked to a village or a household, and every group, from remind_days_before days ahead', async () => {
    expect(await runFestivalReminders(deps, new Date('2026-09-21T08:00:00+08:00'))).toEqual({ festivals: [] });
    const s = await runFestivalReminders(deps, new Date('2026-09-22T08:00:00+08:00'));
    // 钱局长 (领导 of 县农业局) is linked to 丁门村 through his unit.
    expect(s).toMatchObject({ festivals: ['中秋节'], 中秋节: { date: '2026-09-25', cadres: 4, queued: 2 } });
    const rows = await outbox('festival:%');
    expect(rows.map((r) => [r.channel, r.recipient])).toEqual([['app', 'zhangwei|lina|wanggang|qianjz'], ['robot', '1']]);
    expect(rows[0].payload.text!.content).toContain('中秋节（9月25日）将至');
    // the group's robot gets markdown, saying to record the visit in the app
    expect(rows[1].payload).toMatchObject({ msgtype: 'markdown' });
    expect((rows[1].payload as unknown as { markdown: { content: string } }).markdown.content)
      .toMatch(/^\*\*【重要节日必到】\*\*\n中秋节（9月25日）将至.*\n<font color="warning">走访后请在企业微信“双联助手”应用中发送/);
    // A run later the same day reminds nobody twice.
    expect(await runFestivalReminders(deps, new Date('2026-09-22T09:00:00+08:00')))
      .toMatchObject({ 中秋节: { cadres: 0, queued: 0 } });
  });

  it('reaches a cadre linked only through their unit (联村), and one linked since, once, later in the window', async () => {
    await buildCadre(db, { id: 60, userid: 'unitonly', name: '单位干部', unitId: IDS.unitAgri, role: '干部' });
    const s = await runFestivalReminders(deps, new Date('2026-09-23T08:00:00+08:00'));
    expect(s).toMatchObject({ 中秋节: { cadres: 1, queued: 1 } });
    const rows = await outbox('festival:%');
    expect(rows.map((r) => r.recipient)).toEqual(['zhangwei|lina|wanggang|qianjz', '1', 'unitonly']);
    expect(await runFestivalReminders(deps, new Date('2026-09-24T08:00:00+08:00'))).toMatchObject({ 中秋节: { cadres: 0 } });
    expect(await runFestivalReminders(deps, new Date('2026-09-25T08:00:00+08:00'))).toEqual({ festivals: [] });
  });

  it('catches up when the first reminder day was missed', async () => {
    // 国庆节 2026-10-01, reminders from 09-28: the 08:00 runs of 09-28 and 09-29 never happened.
    const s = await runFestivalReminders(deps, new Date('2026-09-30T08:00:00+08:00'));
    expect(s).toMatchObject({ festivals: ['国庆节'], 国庆节: { date: '2026-10-01', cadres: 5, queued: 2 } });
  });
});

describe('auto-checkout', () => {
  it('closes only check-ins open past the 24-hour cap, each counted as start + 8 h, and tells the cadre', async () => {
    const early = await addVisit(db, IDS.zhangwei, IDS.wangmen, '2026-11-24T07:00:00+08:00', null);
    const late = await addVisit(db, IDS.wanggang, IDS.xiping, '2026-11-24T20:00:00+08:00', null);
    const tomorrow = await addVisit(db, IDS.lina, IDS.dingmen, '2026-11-25T08:00:00+08:00', null);
    // an evening's check-in may be an overnight stay: nothing is closed at the end of the day
    expect(await runAutoCheckout(deps, new Date('2026-11-24T23:59:00+08:00'))).toMatchObject({ closed: 0 });
    const s = await runAutoCheckout(deps, new Date('2026-11-25T21:00:00+08:00'));
    expect(s).toMatchObject({ closed: 2, queued: 2 });
    const rows: { id: number; ended_at: Date; duration_minutes: number | null; auto_closed: boolean }[] = await db.query(
      'SELECT id, ended_at, duration_minutes, auto_closed FROM visits WHERE id = ANY($1) ORDER BY id', [[early, late, tomorrow]]);
    expect(rows.map((r) => [r.ended_at?.toISOString() ?? null, r.duration_minutes, r.auto_closed])).toEqual([
      ['2026-11-24T07:00:00.000Z', 480, true], // 07:00 + 8 h
      ['2026-11-24T20:00:00.000Z', 480, true], // 20:00 + 8 h, whenever the job ran
      [null, null, false],
    ]);
    const msgs = await outbox('auto-checkout:%');
    expect(msgs.map((m) => m.recipient)).toEqual(['zhangwei', 'wanggang']);
    expect(msgs[0].payload.text!.content).toBe(
      '【自动签退】您11月24日 07:00在王门村的签到超过24小时未签退，系统已自动签退，按11月24日 15:00签退计入8小时。下次离村请回复“签退”。');
    expect(await runAutoCheckout(deps, new Date('2026-11-25T21:00:30+08:00'))).toMatchObject({ closed: 0 });
    await db.query('DELETE FROM visits WHERE id = $1', [tomorrow]);
  });
});
