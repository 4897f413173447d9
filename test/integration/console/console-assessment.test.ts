import request from 'supertest';
import ExcelJS from 'exceljs';
import { seedConsole } from '../../support/scenarios/console';
import { useConsoleApp, sessionCookie } from '../../support/console-app';
import { binary, readTable } from '../../support/xlsx';

/**
 * The console's 考评: scores of a quarter per cadre and unit with their
 * breakdown and ranks (GET /console/api/assessment), 领导评议 entered by a
 * leader of the scope (POST /console/api/assessment/ratings), and the
 * 考评结果 xlsx read back with exceljs.
 */

const NOW = new Date('2026-11-24T12:00:00+08:00');
const suite = useConsoleApp((t) => seedConsole(t.db, NOW), { now: NOW });

const cookie = (cadreId = suite.seed.ids.wsLeader) => sessionCookie(suite.deps, cadreId);
const get = (path: string, cadreId?: number) => request(suite.app.callback()).get(path).set('Cookie', cookie(cadreId));
const rate = (body: object, cadreId?: number) =>
  request(suite.app.callback()).post('/console/api/assessment/ratings').set('Cookie', cookie(cadreId)).send(body);

type Row = { id: number; name: string; total: number; work: number; leader: number | null; townshipRank: number; countyRank: number;
  place: string; components: { key: string; points: number; max: number }[] };

test('a county\'s quarter: its cadres and units only, each with its breakdown and ranks', async () => {
  const res = await get(`/console/api/assessment?scope=${suite.seed.ids.wushan}&period=2026-Q4`).expect(200);
  expect(res.body.period).toBe('2026-Q4');
  const cadres: Row[] = res.body.cadres;
  expect(cadres.map((c) => c.name).sort()).toEqual(['张三', '李四']);
  const zhang = cadres.find((c) => c.name === '张三')!;
  expect(zhang.place).toBe('天水市武山县鸳鸯镇丁门村');
  expect(zhang.components.map((c) => c.key)).toEqual(expect.arrayContaining(['household_visits', 'notices_acknowledged', 'diary_days']));
  expect([zhang.townshipRank, cadres.find((c) => c.name === '李四')!.townshipRank]).toEqual([1, 1]);
  expect(res.body.units.map((u: Row) => u.name).sort()).toEqual(['武山县教育局', '武山县财政局']);
  await get(`/console/api/assessment?scope=${suite.seed.ids.gangu}`).expect(403);
  await get(`/console/api/assessment?scope=${suite.seed.ids.wushan}&period=2026年`).expect(400);
});

test('领导评议: a leader rates in their scope, 0–100, for a quarter; the total follows', async () => {
  const before: Row[] = (await get(`/console/api/assessment?scope=${suite.seed.ids.wushan}&period=2026-Q4`)).body.cadres;
  await rate({ period: '2026-Q4', cadreId: suite.seed.ids.zhangsan, score: 95 }).expect(200);
  await rate({ period: '2026-Q4', unitId: suite.seed.ids.finance, score: 88 }).expect(200);
  const after: Row[] = (await get(`/console/api/assessment?scope=${suite.seed.ids.wushan}&period=2026-Q4`)).body.cadres;
  const zhang = after.find((c) => c.name === '张三')!;
  expect(zhang.leader).toBe(95);
  // work 60%, leader 20%, no 群众评议: (work × 60 + 95 × 20) / 80
  expect(zhang.total).toBeCloseTo((before.find((c) => c.name === '张三')!.work * 60 + 95 * 20) / 80, 1);

  const refused = await rate({ period: '2026-Q4', cadreId: suite.seed.ids.wangwu, score: 80 }).expect(403);
  expect(refused.text).toMatch(/本辖区/);
  expect((await rate({ period: '2026-Q4', cadreId: suite.seed.ids.zhangsan, score: 120 }).expect(400)).text).toMatch(/0–100/);
  expect((await rate({ period: '2026', cadreId: suite.seed.ids.zhangsan, score: 80 }).expect(400)).text).toMatch(/季度/);
  await rate({ period: '2026-Q4', score: 80 }).expect(400);
  // a cadre, not a leader, rates nobody
  await rate({ period: '2026-Q4', cadreId: suite.seed.ids.lisi, score: 80 }, suite.seed.ids.zhangsan).expect(403);
});


test('考评结果.xlsx: 序号, 单位, 姓名, each component, the total and the ranks, as the page shows them', async () => {
  const res = await get(`/console/api/export/assessment.xlsx?scope=${suite.seed.ids.wushan}&period=2026-Q4`).buffer(true).parse(binary);
  expect(res.status).toBe(200);
  expect(res.headers['content-disposition']).toContain(encodeURIComponent('考评结果-武山县-2026-Q4.xlsx'));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body);
  const ws = wb.getWorksheet('干部考评')!;
  const table = readTable(ws);
  const rows = [table.header, ...table.rows];
  expect(rows[0]).toEqual(['序号', '单位', '姓名', '县区', '乡镇', '村', '走访次数', '入户天数', '谈心交流', '到村天数', '驻村天数', '问题按期销号',
    '通知收到', '五必访按期', '民情日记', '六送帮扶', '工作实绩', '领导评议', '群众评议', '总分', '乡镇排名', '县区排名']);
  const page: Row[] = (await get(`/console/api/assessment?scope=${suite.seed.ids.wushan}&period=2026-Q4`)).body.cadres;
  expect(rows.slice(1).map((r) => [r[0], r[2], r[19], r[21]])).toEqual(page.map((c, i) => [i + 1, c.name, c.total, c.countyRank]));
  const zhang = rows.find((r) => r[2] === '张三')!;
  expect([zhang[1], zhang[17]]).toEqual(['武山县财政局', 95]);
  expect(wb.getWorksheet('单位考评')!.getRow(3).values).toEqual(expect.arrayContaining(['进村次数', '进村天数', '干部平均', '总分']));
});

test('the scoring scheme: listed for leaders, changed by admins only, used by the next read', async () => {
  const scheme = (await get('/console/api/assessment/scheme').expect(200)).body;
  expect(scheme.editable).toBe(false);
  expect(scheme.rules).toContainEqual({ key: 'score.share_leader', value: 20, label: '考评：领导评议在总分中的占比（%）' });
  expect(scheme.rules).toHaveLength(18);
  const edit = (body: object, cadreId = suite.seed.ids.admin) =>
    request(suite.app.callback()).post('/console/api/assessment/scheme').set('Cookie', cookie(cadreId)).send(body);
  expect((await edit({ key: 'score.share_leader', value: 0 }, suite.seed.ids.wsLeader).expect(403)).text).toMatch(/管理员/);
  await edit({ key: 'score.share_leader', value: -1 }).expect(400);
  await edit({ key: 'village.visits_per_year', value: 1 }).expect(404);
  try {
    expect((await get('/console/api/assessment/scheme', suite.seed.ids.admin)).body.editable).toBe(true);
    await edit({ key: 'score.share_leader', value: 0 }).expect(200);
    // 张三 was rated 95 above; with 领导评议 worth nothing his total is his work score
    const zhang: Row = (await get(`/console/api/assessment?scope=${suite.seed.ids.wushan}&period=2026-Q4`)).body.cadres.find((c: Row) => c.name === '张三');
    expect(zhang.leader).toBe(95);
    expect(zhang.total).toBe(zhang.work);
  } finally {
    await edit({ key: 'score.share_leader', value: 20 }).expect(200);
  }
});
