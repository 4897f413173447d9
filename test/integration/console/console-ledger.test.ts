import request from 'supertest';
import { seedConsole } from '../../support/scenarios/console';
import { useConsoleApp } from '../../support/console-app';
import { buildProblem } from '../../support/factories';
import { addDays, shanghaiDate, shanghaiYear } from '../../../src/lib/time';

/** The console's ledger actions: 重开, 销号 with its note, a problem's category, and undone problems kept as 已撤销. */

const suite = useConsoleApp((t) => seedConsole(t.db));

const { as, get } = suite;
const post = (path: string, who: string, body: object) => request(suite.app.callback()).post(path).set(as(who)).send(body);

describe('重开 in the console', () => {
  test('a leader over the village reopens a closed problem with a reason and a new deadline', async () => {
    const res = await post(`/console/api/problems/${suite.seed.ids.pClosed}/reopen`, 'wsLeader', { reason: '督查发现管道仍漏水' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'open', closedAt: null, deadline: addDays(shanghaiDate(new Date()), 30) });
    expect(res.body.events.map((e: { kind: string }) => e.kind)).toEqual(['reported', 'reopened']);
    expect(res.body.events[1]).toMatchObject({ actor: '王县长', note: '督查发现管道仍漏水' });
  });

  test('refuses with a reason people can read, never a field name', async () => {
    const noReason = await post(`/console/api/problems/${suite.seed.ids.pOpen}/reopen`, 'wsLeader', { reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.message).toBe('请填写重开原因。');
    const open = await post(`/console/api/problems/${suite.seed.ids.pOpen}/reopen`, 'wsLeader', { reason: '再次出现' });
    expect(open.status).toBe(409);
    expect(open.body.message).toBe('该问题尚未销号，无需重开。');
    expect((await post(`/console/api/problems/${suite.seed.ids.pClosed}/reopen`, 'ggLeader', { reason: '越权' })).status).toBe(403);
  });
});

describe('销号 needs its 整改说明', () => {
  test('an empty note is refused in plain words', async () => {
    const res = await post(`/console/api/problems/${suite.seed.ids.pOpen}/close`, 'wsLeader', { note: '' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('请填写整改说明。');
    const ids = await get('/console/api/problems?page=0', 'wsLeader');
    expect(ids.status).toBe(400);
    expect(ids.body.message).not.toMatch(/page|Number|must/);
  });
});

describe('problem categories', () => {
  test('lists the categories as data and changes a problem\'s category, recorded as an event', async () => {
    const list = await get('/console/api/problem-categories', 'wsLeader');
    expect(list.body.categories.map((c: { name: string }) => c.name))
      .toEqual(['义务教育', '基本医疗', '住房安全', '饮水安全', '基础设施', '产业发展', '矛盾纠纷', '其他']);
    expect(list.body.categories[3]).toMatchObject({ groupName: '两不愁三保障' });
    const res = await post(`/console/api/problems/${suite.seed.ids.pOpen}/category`, 'wsLeader', { category: '饮水安全' });
    expect(res.status).toBe(200);
    expect(res.body.category).toBe('饮水安全');
    expect(res.body.events.at(-1)).toMatchObject({ kind: 'categorized', actor: '王县长', note: '饮水安全' });
    const bad = await post(`/console/api/problems/${suite.seed.ids.pOpen}/category`, 'wsLeader', { category: '火星' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('没有“火星”这个问题类别。');
  });
});

describe('an undone problem', () => {
  test('stays in the ledger as 已撤销, outside the totals, and cannot be closed', async () => {
    const before = (await get('/console/api/problems', 'wsLeader')).body.summary;
    const p = await buildProblem(suite.t.db, {
      code: `W${shanghaiYear(new Date())}-0009`, villageId: suite.seed.ids.dingmen, reporterId: suite.seed.ids.zhangsan,
      description: '误报', deadline: '2099-01-01', revokedAt: new Date(),
    });
    await suite.t.db.query(`UPDATE problems SET status = 'revoked' WHERE id = $1`, [p.id]);
    const revoked = await get('/console/api/problems?status=revoked', 'wsLeader');
    expect(revoked.body.rows.map((r: { id: number; status: string }) => [r.id, r.status])).toEqual([[p.id, 'revoked']]);
    expect(revoked.body.summary).toEqual(before);
    const res = await post(`/console/api/problems/${p.id}/close`, 'wsLeader', { note: '已处理' });
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('该问题已撤销。');
  });
});

describe('place names', () => {
  test('the console shows villages as officials write them, never as slash paths', async () => {
    const detail = await get(`/console/api/problems/${suite.seed.ids.pOpen}`, 'wsLeader');
    expect(detail.body.place).toBe('天水市武山县洛门镇西坪村');
    const page = await get('/console/api/problems', 'wsLeader');
    expect(page.body.rows.every((r: { place: string }) => !r.place.includes('/'))).toBe(true);
    const units = await get('/console/api/standing?by=unit', 'wsLeader');
    expect(units.body.rows.map((u: { place: string }) => u.place).sort()).toEqual(['天水市武山县洛门镇西坪村', '天水市武山县鸳鸯镇丁门村']);
  });
});
