import request from 'supertest';
import ExcelJS from 'exceljs';
import { seedConsole } from '../../support/scenarios/console';
import { binary } from '../../support/xlsx';
import { useConsoleApp } from '../../support/console-app';
import { buildMustVisit, buildNotice, buildNoticeRecipient, buildVisit } from '../../support/factories';

/**
 * The console's 五必访 (events due, visited in time, overdue for a scope and a
 * range; per lower region, per cadre; the overdue events), the 五必访台账
 * export read back with exceljs, and the 通知回执 tab's 五必到 kinds.
 */

const NOW = new Date('2026-11-24T12:00:00+08:00');
const at = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const suite = useConsoleApp((t) => seedConsole(t.db, NOW), {
  now: NOW,
  setup: async ({ t, seed }) => {
    const { ids } = seed;
    const event = (householdId: number, cadreId: number | null, kind: string, reported: string, due: string, done: string | null, note = '') =>
      buildMustVisit(t.db, { householdId, reporterId: ids.zhangsan, cadreId, kind, note, reportedAt: at(reported), dueAt: at(due), doneAt: done && at(done) });
    await event(ids.hZhang, ids.zhangsan, '生病住院', '2026-11-10 09:00', '2026-11-13 09:00', '2026-11-12 10:00', '腿部骨折'); // in time
    await event(ids.hLi, null, '生活困难', '2026-11-15 09:00', '2026-11-18 09:00', null); // overdue, no cadre
    await event(ids.hWang, ids.lisi, '邻里纠纷', '2026-11-18 09:00', '2026-11-21 09:00', '2026-11-22 09:00'); // late
    await event(ids.hWang, ids.lisi, '婚丧嫁娶', '2026-11-23 10:00', '2026-11-26 10:00', null); // not due yet
    await event(ids.hChen, ids.wangwu, '情绪波动', '2026-11-10 09:00', '2026-11-13 09:00', null); // 甘谷县
    const undone = await event(ids.hZhang, ids.zhangsan, '情绪波动', '2026-11-11 09:00', '2026-11-14 09:00', null);
    await t.db.query('UPDATE must_visits SET revoked_at = $2 WHERE id = $1', [undone.id, at('2026-11-11 09:05')]);

    // 五必到: a 会议 notice to 鸳鸯镇 that 张三 attended (checked in at 丁门村 after it), 李四 did not
    const meeting = await buildNotice(t.db, { senderId: ids.wsLeader, scopeRegionId: ids.yuanyang, kind: '会议', content: '村委会议',
      createdAt: at('2026-11-20 08:00'), attendUntil: at('2026-11-21 08:00') });
    await buildNoticeRecipient(t.db, { noticeId: meeting.id, cadreId: ids.zhangsan, ackedAt: at('2026-11-20 08:10') });
    await buildNoticeRecipient(t.db, { noticeId: meeting.id, cadreId: ids.lisi, ackedAt: null });
    await buildVisit(t.db, { cadreId: ids.zhangsan, villageId: ids.dingmen, startedAt: at('2026-11-20 09:00'), endedAt: at('2026-11-20 11:00'),
      durationMinutes: 120, source: 'chat' });
  },
});

const { get } = suite;
/** The sheet's rows from its header row (序号 …) down. */
const table = (ws: ExcelJS.Worksheet) => {
  const all = ws.getSheetValues().slice(1).map((r) => (r as unknown[] | undefined ?? []).slice(1));
  return all.slice(all.findIndex((r) => r[0] === '序号'));
};
const range = 'from=2026-11-01&to=2026-11-24';

test('a county\'s 五必访: due, in time and overdue in total, per township and per cadre, with the overdue events', async () => {
  const res = await get(`/console/api/must-visits?scope=${suite.seed.ids.wushan}&${range}`).expect(200);
  expect(res.body.totals).toEqual({ due: 3, inTime: 1, overdue: 1 });
  expect(res.body.byChild).toHaveLength(2);
  expect(res.body.byChild).toEqual(expect.arrayContaining([
    { id: suite.seed.ids.luomen, name: '洛门镇', due: 1, inTime: 0, overdue: 0 },
    { id: suite.seed.ids.yuanyang, name: '鸳鸯镇', due: 2, inTime: 1, overdue: 1 },
  ]));
  expect(res.body.byCadre.total).toBe(3);
  expect(res.body.byCadre.rows[0]).toEqual({ cadreId: null, name: null, unitName: null, due: 1, inTime: 0, overdue: 1 });
  expect(res.body.byCadre.rows.slice(1).map((r: { name: string; due: number; inTime: number; overdue: number }) => [r.name, r.due, r.inTime, r.overdue]).sort())
    .toEqual([['张三', 1, 1, 0], ['李四', 1, 0, 0]].sort());
  expect(res.body.overdue).toEqual({
    total: 1,
    rows: [expect.objectContaining({
      householder: '李大娘', kind: '生活困难', place: '武山县鸳鸯镇丁门村', reporter: '张三', cadre: null, days: 6,
      dueAt: at('2026-11-18 09:00').toISOString(),
    })],
  });
});

test('the range decides what fell due and what was overdue at its end; a village scope reads its own events', async () => {
  const early = await get(`/console/api/must-visits?scope=${suite.seed.ids.wushan}&from=2026-11-01&to=2026-11-15`).expect(200);
  // by the end of 11-15 only 张大爷's event had fallen due, visited in time; 李大娘's was not yet due
  expect(early.body.totals).toEqual({ due: 1, inTime: 1, overdue: 0 });
  const village = await get(`/console/api/must-visits?scope=${suite.seed.ids.xiping}&${range}`).expect(200);
  expect(village.body.totals).toEqual({ due: 1, inTime: 0, overdue: 0 });
  expect(village.body.byChild).toEqual([]);
});

test('another county\'s 五必访 is refused, and a bad range is a clear error', async () => {
  await get(`/console/api/must-visits?scope=${suite.seed.ids.gangu}&${range}`).expect(403);
  await get(`/console/api/export/must-visits.xlsx?scope=${suite.seed.ids.gangu}&${range}`).expect(403);
  await get(`/console/api/notice-kinds?scope=${suite.seed.ids.gangu}&${range}`).expect(403);
  const bad = await get(`/console/api/must-visits?scope=${suite.seed.ids.wushan}&from=2026-13-01`).expect(400);
  expect(bad.body.message).toBeTruthy();
  const gangu = await get(`/console/api/must-visits?scope=${suite.seed.ids.gangu}&${range}`, suite.seed.ids.ggLeader).expect(200);
  expect(gangu.body.totals).toEqual({ due: 1, inTime: 0, overdue: 1 });
});

test('the 五必访台账 export lists every event reported in the range with its status, like the 帮扶台账', async () => {
  const res = await get(`/console/api/export/must-visits.xlsx?scope=${suite.seed.ids.wushan}&${range}`).buffer(true).parse(binary).expect(200);
  expect(res.headers['content-disposition']).toContain(encodeURIComponent('五必访台账'));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body);
  expect(wb.getWorksheet('五必访台账')!.getCell('A1').value).toBe('武山县联村联户五必访台账（2026年11月1日—11月24日）');
  expect(table(wb.getWorksheet('五必访台账')!)).toEqual([
    ['序号', '县区', '乡镇', '村', '户主', '事由', '报告人', '报告时间', '期限', '走访时间', '状态'],
    [1, '武山县', '鸳鸯镇', '丁门村', '张大爷', '生病住院（腿部骨折）', '张三', '2026-11-10 09:00', '2026-11-13 09:00', '2026-11-12 10:00', '按时走访'],
    [2, '武山县', '鸳鸯镇', '丁门村', '李大娘', '生活困难', '张三', '2026-11-15 09:00', '2026-11-18 09:00', undefined, '逾期未走访'],
    [3, '武山县', '洛门镇', '西坪村', '王老汉', '邻里纠纷', '张三', '2026-11-18 09:00', '2026-11-21 09:00', '2026-11-22 09:00', '逾期走访'],
    [4, '武山县', '洛门镇', '西坪村', '王老汉', '婚丧嫁娶', '张三', '2026-11-23 10:00', '2026-11-26 10:00', undefined, '待走访'],
  ]);
});

test('the 通知回执 tab: each notice\'s kind and attendance per kind over the range', async () => {
  const list = await get(`/console/api/notices?scope=${suite.seed.ids.wushan}`).expect(200);
  expect(list.body.rows.map((r: { kind: string; content: string }) => [r.kind, r.content]))
    .toEqual([['突发', '明日上午九时召开防汛工作会议'], ['会议', '村委会议']]);
  const kinds = await get(`/console/api/notice-kinds?scope=${suite.seed.ids.wushan}&${range}`).expect(200);
  expect(kinds.body.kinds).toEqual([
    { kind: '会议', notices: 1, recipients: 2, attended: 1, rate: 0.5 },
    { kind: '突发', notices: 1, recipients: 2, attended: 0, rate: 0 },
    { kind: '活动', notices: 0, recipients: 0, attended: 0, rate: null },
    { kind: '交办', notices: 0, recipients: 0, attended: 0, rate: null },
  ]);
  const before = await get(`/console/api/notice-kinds?scope=${suite.seed.ids.wushan}&from=2026-11-01&to=2026-11-19`).expect(200);
  expect(before.body.kinds.every((k: { notices: number }) => k.notices === 0)).toBe(true);
});
