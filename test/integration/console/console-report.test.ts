import JSZip from 'jszip';
import { Redis } from 'ioredis';
import request from 'supertest';
import { createLogger } from '../../../src/lib/logger';
import { createWecomClient } from '../../../src/wecom/client';
import { createRateLimiter } from '../../../src/wecom/rate-limit';
import { startSimulator, type RunningSimulator } from '../../../src/demo/simulator';
import { deliverOutboxRow } from '../../../jobs/outbox-deliver';
import { testPrefix } from '../../support/db';
import { seedWork } from '../../support/scenarios/work';
import { sessionCookie, useConsoleApp } from '../../support/console-app';
import { binary } from '../../support/xlsx';

/**
 * The 本周工作 API and the 通报: GET /console/api/work, the docx read back
 * (a zip; word/document.xml), the scope checks, and POST /console/api/report/send
 * through the outbox to the simulator's group robot: upload_media, then a file
 * message, also after WeCom fails once.
 */

const NOW = new Date('2026-12-07T10:00:00+08:00');
const RANGE = 'from=2026-11-30&to=2026-12-06';
const creds = { corpId: 'wwreport', secret: 'report-secret', agentId: 1000002 };
const logger = createLogger('silent');
let sim: RunningSimulator;
let redis: Redis;
const dispatched: number[] = [];

const suite = useConsoleApp((t) => seedWork(t.db, '2026-11-30'), {
  setup: async ({ deps }) => {
    Object.assign(deps, { clock: () => NOW, dispatch: async (ids: number[]) => { dispatched.push(...ids); } });
    sim = await startSimulator({ creds, robotKeys: ['ws-robot-key', 'gg-robot-key'] });
    redis = new Redis('redis://127.0.0.1:6379');
  },
});
afterAll(async () => {
  await sim?.close();
  redis?.disconnect();
});

const { get } = suite;
/** The document's text, paragraph by paragraph (runs joined). */
const documentText = async (docx: Buffer) => {
  const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
  return xml.split('</w:p>').map((p) => [...p.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('')).filter(Boolean);
};

test('GET /console/api/work: the week, the week before and the rankings; another county is a 403', async () => {
  const res = await get(`/console/api/work?scope=${suite.seed.ids.wushan}&${RANGE}`).expect(200);
  expect(res.body.period).toEqual({ from: '2026-11-30', to: '2026-12-06' });
  expect(res.body.current).toMatchObject({ checkins: 2, villagesReached: 1, householdsVisited: 1 });
  expect(res.body.before).toMatchObject({ checkins: 1 });
  expect(res.body.rankings.regions.map((r: { name: string }) => r.name)).toEqual(['鸳鸯镇', '洛门镇']);
  expect(res.body.rankings.overdue.rows[0].place).toBe('天水市武山县鸳鸯镇王门村');
  await get(`/console/api/work?scope=${suite.seed.ids.gangu}&${RANGE}`).expect(403);
  await get(`/console/api/work?scope=${suite.seed.ids.chengguan}&${RANGE}`).expect(403);
  const bad = await get(`/console/api/work?scope=${suite.seed.ids.wushan}&from=2026-12-06&to=2026-11-30`).expect(400);
  expect(bad.body.message).toBe('开始日期不能晚于结束日期。');
  await get(`/console/api/work?scope=${suite.seed.ids.wushan}&from=2024-01-01&to=2026-12-06`).expect(400);
  // without a range: this week so far (Monday 7 December)
  expect((await get(`/console/api/work?scope=${suite.seed.ids.wushan}`).expect(200)).body.period).toEqual({ from: '2026-12-07', to: '2026-12-07' });
  // a cadre has no console scope
  await get(`/console/api/work?scope=${suite.seed.ids.wushan}`, suite.seed.ids.zhangsan).expect(403);
});

test('GET /console/api/report.docx: a Word 通报 with the title, the period, the figures, the rankings and the overdue problems', async () => {
  const res = await get(`/console/api/report.docx?scope=${suite.seed.ids.wushan}&${RANGE}`).buffer(true).parse(binary).expect(200);
  expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  expect(decodeURIComponent(res.headers['content-disposition'])).toContain('关于武山县联村联户工作情况的通报（2026-11-30至2026-12-06）.docx');
  const paragraphs = await documentText(res.body);
  expect(paragraphs[0]).toBe('武山县联村联户为民富民行动协调推进领导小组办公室');
  expect(paragraphs).toContain('武山县双联办通〔2026〕1207号');
  expect(paragraphs).toContain('关于武山县联村联户工作情况的通报');
  expect(paragraphs).toContain('通报时段：2026年11月30日至2026年12月6日');
  expect(paragraphs).toContain('各乡镇、各帮扶单位：');
  expect(paragraphs).toContain('二、各乡镇排名');
  expect(paragraphs.find((p) => p.startsWith('（一）'))).toBe(
    '（一）到村开展工作。期内干部到村签到2次（比上期增加1），到达1个村，占全部3个村的33.3%（上期1个）。');
  // ranking rows are table rows of cells: 排名, 名称, 到村率, 入户率, 谈心率, 销号率, 必访率
  const xml = await (await JSZip.loadAsync(res.body)).file('word/document.xml')!.async('string');
  const rows = xml.split('</w:tr>').map((r) => [...r.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]));
  expect(rows).toContainEqual(['1', '鸳鸯镇', '0.0%', '50.0%', '50.0%', '0.0%', '50.0%']);
  expect(rows).toContainEqual(['2', '洛门镇', '100.0%', '100.0%', '0.0%', '100.0%', '—']);
  expect(rows).toContainEqual(['1', '武山县财政局', '0.0%', '50.0%', '50.0%', '0.0%', '50.0%']);
  expect(rows).toContainEqual(['1', '张三', '武山县财政局', '2', '2', '1']);
  expect(rows).toContainEqual(['W2026-0103', '鸳鸯镇王门村', '灌溉水渠渗漏', '张三', '2026年10月31日', '36']);
  expect(paragraphs.at(-1)).toBe('2026年12月7日');
  // A4 portrait
  expect(xml).toContain('w:w="11906"');
  expect(xml).toContain('w:h="16838"');
  await get(`/console/api/report.docx?scope=${suite.seed.ids.gangu}&${RANGE}`).expect(403);
});

test('POST /console/api/report/send: one outbox row per group of the scope, delivered as a file to the group robot, even after WeCom fails once', async () => {
  const post = (body: Record<string, unknown>, cadreId = suite.seed.ids.wsLeader) => request(suite.app.callback())
    .post('/console/api/report/send').set('Cookie', sessionCookie(suite.deps, cadreId)).send(body);
  await post({ scope: suite.seed.ids.gangu, from: '2026-11-30', to: '2026-12-06' }).expect(403);
  const res = await post({ scope: suite.seed.ids.wushan, from: '2026-11-30', to: '2026-12-06' }).expect(200);
  expect(res.body).toEqual({ groups: ['武山县双联工作群'], queued: 1 });
  expect(dispatched).toHaveLength(1);
  // the same 通报 again: nothing new to send
  expect((await post({ scope: suite.seed.ids.wushan, from: '2026-11-30', to: '2026-12-06' }).expect(200)).body).toEqual({ groups: ['武山县双联工作群'], queued: 0 });
  // a township without groups is told so
  const none = await post({ scope: suite.seed.ids.yuanyang, from: '2026-11-30', to: '2026-12-06' }).expect(409);
  expect(none.body.message).toContain('没有登记工作群');

  const [row] = await suite.t.db.query('SELECT channel, recipient, payload FROM outbox_messages WHERE id = $1', [dispatched[0]]);
  expect(row).toMatchObject({ channel: 'robot', recipient: String(suite.seed.ids.wushanGroup) });
  expect(row.payload.file.filename).toBe('关于武山县联村联户工作情况的通报（2026-11-30至2026-12-06）.docx');

  const prefix = `${testPrefix()}:`;
  const wecom = createWecomClient({ config: { ...creds, token: 't', encodingAesKey: 'k'.repeat(43), apiBase: sim.url }, redis, logger, keyPrefix: prefix });
  const delivery = { db: suite.t.db, wecom, limiter: createRateLimiter(redis, prefix), logger };
  sim.faults.add({ api: 'webhook/upload_media', kind: 'http500', count: 1 });
  const first = await deliverOutboxRow(delivery, dispatched[0], new Date('2026-12-07T02:00:00Z'));
  expect(first).toMatchObject({ kind: 'retry' });
  expect(sim.sent).toHaveLength(0);
  const second = await deliverOutboxRow(delivery, dispatched[0], new Date('2026-12-07T02:01:00Z'));
  expect(second).toEqual({ kind: 'sent', invalidUsers: [] });
  expect(sim.sent).toHaveLength(1);
  const sent = sim.sent[0];
  expect(sent).toMatchObject({ api: 'webhook/send', robotKey: 'ws-robot-key', msgtype: 'file' });
  expect(sent.body).toMatchObject({ filename: '关于武山县联村联户工作情况的通报（2026-11-30至2026-12-06）.docx' });
  // the file the robot uploaded is the document
  const media = sim.state.media.get(String(sent.body.media_id))!;
  expect(media.data.equals(Buffer.from(row.payload.file.base64, 'base64'))).toBe(true);
  expect(await documentText(media.data)).toContain('关于武山县联村联户工作情况的通报');
});

test('the simulator refuses a file message whose media was not uploaded by that robot', async () => {
  const res = await fetch(`${sim.url}/cgi-bin/webhook/send?key=gg-robot-key`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ msgtype: 'file', file: { media_id: [...sim.state.media.keys()][0] } }),
  });
  expect(await res.json()).toEqual({ errcode: 40007, errmsg: 'invalid media_id' });
});
