import request from 'supertest';
import { Redis } from 'ioredis';
import { deliverOutboxRow } from '../../../jobs/outbox-deliver';
import { createLogger } from '../../../src/lib/logger';
import { createWecomClient } from '../../../src/wecom/client';
import { createRateLimiter } from '../../../src/wecom/rate-limit';
import { startSimulator, type RunningSimulator } from '../../../src/demo/simulator';
import { testPrefix } from '../../support/db';
import { seedConsole } from '../../support/scenarios/console';
import { sessionCookie, useConsoleApp, WECOM_ENV } from '../../support/console-app';
import { buildNoticeRecipient, buildRegion, buildVisit } from '../../support/factories';
import { REDIS_URL } from '../../support/urls';

/**
 * A notice in the console: counts and the acknowledged, not acknowledged and
 * attended recipients a page at a time; 催办 end to end to the WeCom simulator
 * (only those without 收到 get it; a second press within 'notice.urge_minutes'
 * is refused, and each press is listed with who pressed it); 发通知 through the
 * chat's 通知 service with its limits; 403 outside the scope.
 */

const DAY = 24 * 3600 * 1000;
let now = new Date('2026-11-24T12:00:00+08:00');
const ago = (days: number, hours = 0) => new Date(now.getTime() - days * DAY - hours * 3600e3);
let ids: Record<string, number>;
let sim: RunningSimulator;
let redis: Redis;

beforeAll(async () => {
  sim = await startSimulator({ creds: { corpId: WECOM_ENV.WECOM_CORP_ID, secret: WECOM_ENV.WECOM_SECRET, agentId: Number(WECOM_ENV.WECOM_AGENT_ID) } });
});
const suite = useConsoleApp((t) => seedConsole(t.db, now), {
  env: () => ({ ...WECOM_ENV, WECOM_API_BASE: sim.url }),
  setup: async ({ t, seed, deps }) => {
    ids = seed.ids;
    redis = new Redis(REDIS_URL);
    const logger = createLogger('silent');
    const prefix = `${testPrefix()}:`;
    const deliver = {
      db: t.db, logger, limiter: createRateLimiter(redis, prefix), wecom: createWecomClient({ config: deps.config.wecom, redis, logger, keyPrefix: prefix }),
    };
    Object.assign(deps, {
      clock: () => now,
      dispatch: async (outboxIds: number[]) => { for (const id of outboxIds) await deliverOutboxRow(deliver, id, new Date()); },
    });
    // 李四 checked in at 西坪村 (in 武山县) after the notice; 王五's check-in is in 甘谷县, outside it.
    await buildVisit(t.db, { cadreId: ids.lisi, villageId: ids.xiping, startedAt: ago(0, 20), endedAt: ago(0, 18) });
    await buildNoticeRecipient(t.db, { noticeId: ids.notice, cadreId: ids.wangwu, ackedAt: null });
    await buildVisit(t.db, { cadreId: ids.wangwu, villageId: ids.chengguan, startedAt: ago(0, 20), endedAt: ago(0, 18) });
  },
});
afterAll(async () => {
  redis?.disconnect();
  await sim?.close();
});

const { get } = suite;
const post = (path: string, body: object, cadreId = ids.wsLeader) =>
  request(suite.app.callback()).post(path).set('Cookie', sessionCookie(suite.deps, cadreId)).send(body);

test('the notice with its counts, then who acknowledged, who did not and who checked in since, with unit and mobile', async () => {
  const res = await get(`/console/api/notices/${ids.notice}`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    id: ids.notice, kind: '突发', content: '明日上午九时召开防汛工作会议', sender: '王县长', place: '天水市武山县',
    counts: { recipients: 3, acked: 1, pending: 2, attended: 1 }, urges: [], minutes: 30, nextAt: null,
  });
  const acked = await get(`/console/api/notices/${ids.notice}/recipients?status=acked`);
  expect(acked.body).toEqual({ total: 1, rows: [expect.objectContaining({ name: '张三', unit: '武山县财政局', mobile: '13800000000', at: ago(1, -1).toISOString() })] });
  const pending = await get(`/console/api/notices/${ids.notice}/recipients?status=pending`);
  expect(pending.body.total).toBe(2);
  expect(pending.body.rows.map((r: { name: string; unit: string }) => [r.name, r.unit])).toEqual([['李四', '武山县教育局'], ['王五', '甘谷县农业农村局']]);
  const attended = await get(`/console/api/notices/${ids.notice}/recipients?status=attended`);
  expect(attended.body).toEqual({ total: 1, rows: [expect.objectContaining({ name: '李四', village: '天水市武山县洛门镇西坪村', at: ago(0, 20).toISOString() })] });
  const paged = await get(`/console/api/notices/${ids.notice}/recipients?status=pending&size=1&page=2`);
  expect(paged.body).toEqual({ total: 2, rows: [expect.objectContaining({ name: '王五' })] });
  expect((await get(`/console/api/notices/${ids.notice}/recipients?status=all`)).status).toBe(400);
});

test('a notice outside the viewer\'s scope is 403, one that does not exist 404', async () => {
  expect((await get(`/console/api/notices/${ids.notice}`, ids.ggLeader)).status).toBe(403);
  expect((await get(`/console/api/notices/${ids.notice}/recipients?status=acked`, ids.ggLeader)).status).toBe(403);
  expect((await post(`/console/api/notices/${ids.notice}/urge`, {}, ids.ggLeader)).status).toBe(403);
  expect((await get(`/console/api/notices/${ids.notice}`, ids.zhangsan)).status).toBe(403);
  expect((await get('/console/api/notices/99999')).status).toBe(404);
});

test('催办 reaches only those without 收到, through WeCom; a second press within the interval is refused', async () => {
  const since = sim.state.sent.length;
  const res = await post(`/console/api/notices/${ids.notice}/urge`, {});
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ recipients: 2, urges: [{ by: '王县长', recipients: 2, urgedAt: now.toISOString() }] });
  const sent = sim.state.sent.slice(since);
  expect(sent).toHaveLength(1);
  expect(sent[0].touser.sort()).toEqual(['lisi', 'wangwu']);
  expect(String((sent[0].body as { content: string }).content)).toContain('【催办】');
  expect(String((sent[0].body as { content: string }).content)).toContain('明日上午九时召开防汛工作会议');

  now = new Date(now.getTime() + 10 * 60_000);
  const again = await post(`/console/api/notices/${ids.notice}/urge`, {});
  expect(again.status).toBe(409);
  expect(again.body.message).toMatch(/^每30分钟最多催办一次，请在.*12:30后再试。$/);
  expect(sim.state.sent.length).toBe(since + 1);

  // 李四 acknowledges; half an hour after the first press only 王五 is left
  await suite.t.db.query('UPDATE notice_recipients SET acked_at = $3 WHERE notice_id = $1 AND cadre_id = $2', [ids.notice, ids.lisi, now]);
  now = new Date(now.getTime() + 21 * 60_000);
  const third = await post(`/console/api/notices/${ids.notice}/urge`, {});
  expect(third.status).toBe(200);
  expect(third.body.urges.map((u: { recipients: number }) => u.recipients)).toEqual([1, 2]);
  expect(sim.state.sent.slice(since + 1).map((s) => s.touser)).toEqual([['wangwu']]);
  const head = await get(`/console/api/notices/${ids.notice}`);
  expect(head.body.urges).toHaveLength(2);
});

test('发通知 sends through the 通知 service to the scope\'s linked cadres, with the chat\'s limits', async () => {
  const since = sim.state.sent.length;
  const res = await post('/console/api/notices', { scope: ids.wushan, kind: '会议', content: '明早8点到村部开会' });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ recipients: 2, groups: 0 });
  const [n] = await suite.t.db.query('SELECT kind, content, sender_id, scope_region_id FROM notices WHERE id = $1', [res.body.id]);
  expect(n).toEqual({ kind: '会议', content: '明早8点到村部开会', sender_id: ids.wsLeader, scope_region_id: ids.wushan });
  expect(sim.state.sent.slice(since).flatMap((s) => s.touser).sort()).toEqual(['lisi', 'zhangsan']);
  const detail = await get(`/console/api/notices/${res.body.id}`);
  expect(detail.body.counts).toMatchObject({ recipients: 2, acked: 0 });

  const refused = async (body: object, status: number, message: string, cadreId = ids.wsLeader) => {
    const r = await post('/console/api/notices', body, cadreId);
    expect([r.status, r.body.message]).toEqual([status, message]);
  };
  await refused({ scope: ids.wushan, kind: '会议', content: '  ' }, 400, '请输入通知内容。');
  await refused({ scope: ids.wushan, kind: '会议', content: '长'.repeat(601) }, 400, '通知内容请不超过600字。');
  await refused({ scope: ids.wushan, kind: '开会', content: '开会' }, 400, '请选择通知类别（会议、突发、活动或交办）。');
  await refused({ scope: ids.gangu, kind: '会议', content: '开会' }, 403, '该范围不在您的管辖范围内。');
  await refused({ scope: ids.wushan, kind: '会议', content: '开会' }, 403, '控制台数据仅对领导和双联办开放。', ids.zhangsan);
  const town = await buildRegion(suite.t.db, { parentId: ids.wushan, name: '龙台镇' });
  const before = Number((await suite.t.db.query('SELECT count(*) FROM notices'))[0].count);
  await refused({ scope: town.id, kind: '突发', content: '开会' }, 422, '天水市武山县龙台镇没有联系干部或工作群，通知未发出。');
  expect(Number((await suite.t.db.query('SELECT count(*) FROM notices'))[0].count)).toBe(before);
});
