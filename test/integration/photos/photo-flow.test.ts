import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import * as jpeg from 'jpeg-js';
import { Redis } from 'ioredis';
import request from 'supertest';
import type Koa from 'koa';
import { createBot } from '../../../bots';
import { startPhotoWorker } from '../../../jobs/photo-fetch';
import { createPhotoQueue, type PhotoQueue } from '../../../src/services/photos/queue';
import { createApp } from '../../../src/app';
import { loadConfig, type Config } from '../../../src/config';
import { createLogger } from '../../../src/lib/logger';
import { createMetrics } from '../../../src/metrics';
import { sendDemoPicture } from '../../../src/demo/picture';
import { createPhotoStorage } from '../../../src/services/photos/storage';
import { createSessionToken, SESSION_COOKIE } from '../../../src/auth/session';
import { createWecomClient } from '../../../src/wecom/client';
import { startSimulator, type RunningSimulator } from '../../../src/demo/simulator';
import { createTestDb, testPrefix, type TestDb } from '../../support/db';
import { seedRoster, type Seeded } from '../../support/scenarios/roster';
import { REDIS_URL } from '../../support/urls';
import { generateCreds, openReply, signedPost, textXml, wecomEnv } from '../../support/wecom-callback';

/**
 * Pictures sent in chat, end to end: the encrypted image message through
 * /wecom/callback and the real chat, the photo-fetch job against the WeCom
 * simulator's media/get, the file on disk, and the console's scope-checked
 * photo URLs.
 */

const creds = generateCreds();
const RETRY = { backoffMs: 100, attempts: 5 };
let t: TestDb;
let seed: Seeded;
let sim: RunningSimulator;
let redis: Redis;
let queue: PhotoQueue;
let worker: { close(): Promise<void> };
let app: Koa;
let config: Config;
let dataDir: string;
const now = new Date();
let msgSeq = 7_100_000_000_000_000_000n;

function picture(width: number, height: number, seedByte: number): Buffer {
  const data = Buffer.alloc(width * height * 4, seedByte);
  return jpeg.encode({ width, height, data }, 80).data;
}

function imageXml(from: string, mediaId: string, msgId: string): string {
  return (
    `<xml><ToUserName><![CDATA[ww]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName>` +
    `<CreateTime>${Math.floor(now.getTime() / 1000)}</CreateTime><MsgType><![CDATA[image]]></MsgType>` +
    `<PicUrl><![CDATA[http://127.0.0.1/pic/${mediaId}]]></PicUrl><MediaId><![CDATA[${mediaId}]]></MediaId>` +
    `<MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`
  );
}

async function post(xml: string): Promise<string> {
  const p = signedPost(creds, xml);
  const res = await request(app.callback()).post(p.url).type('text/xml').send(p.body);
  expect(res.status).toBe(200);
  if (res.text) return /<Content><!\[CDATA\[([\s\S]*?)\]\]><\/Content>/.exec(openReply(creds, res.text))?.[1] ?? '';
  return replyOf(/<MsgId>(\d+)<\/MsgId>/.exec(xml)![1]);
}

/** On a loaded machine the chat may miss the passive-reply budget: the reply is then the stored one. */
async function replyOf(msgId: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const rows = await t.db.query(`SELECT reply FROM inbound_messages WHERE dedup_key = $1 AND status = 'done'`, [msgId]);
    if (rows.length > 0) return rows[0].reply ?? '';
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`message ${msgId} not processed`);
}

const say = (from: string, text: string) => post(textXml(from, text, String(++msgSeq), Math.floor(now.getTime() / 1000)));

async function sendPicture(from: string, data: Buffer, opts: { msgId?: string; contentType?: string } = {}) {
  const mediaId = `MEDIA${++msgSeq}`;
  sim.state.media.set(mediaId, { data, contentType: opts.contentType ?? 'image/jpeg', filename: `${mediaId}.jpg` });
  const msgId = opts.msgId ?? String(++msgSeq);
  return { mediaId, msgId, reply: await post(imageXml(from, mediaId, msgId)) };
}

async function settled(mediaId: string): Promise<{ id: number; status: string; storage_key: string | null; kind: string | null } | undefined> {
  for (let i = 0; i < 600; i++) {
    const rows = await t.db.query('SELECT id, status, storage_key, kind FROM photos WHERE media_id = $1', [mediaId]);
    if (rows.length === 0 || rows[0].status !== 'fetching') return rows[0];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`photo ${mediaId} still fetching`);
}

const cookie = (cadreId: number) => `${SESSION_COOKIE}=${createSessionToken(config.sessionSecret, cadreId, new Date())}`;

beforeAll(async () => {
  t = await createTestDb();
  seed = await seedRoster(t.db);
  dataDir = await mkdtemp(join(tmpdir(), 'sl-photo-flow-'));
  sim = await startSimulator({ creds: { corpId: creds.corpId, secret: 'test-secret', agentId: 1000002 } });
  config = loadConfig({ ...wecomEnv(creds), WECOM_API_BASE: sim.url, DATA_DIR: dataDir, PUBLIC_URL: 'https://sl.example.gov.cn' });
  redis = new Redis(REDIS_URL);
  const logger = createLogger('silent');
  const prefix = testPrefix();
  queue = createPhotoQueue({ redisUrl: REDIS_URL, prefix, retry: RETRY });
  const wecom = createWecomClient({ config: config.wecom, redis, logger, keyPrefix: `${prefix}:` });
  worker = startPhotoWorker({
    db: t.db, wecom, storage: createPhotoStorage(config), logger, redisUrl: REDIS_URL, prefix, retry: RETRY, sweepIntervalMs: 0,
  });
  const bot = createBot({ redis, logger, keyPrefix: prefix });
  app = createApp({ config, db: t.db, redis, logger, metrics: createMetrics(), bot, queuePhotos: queue.enqueue, clock: () => now });
});
afterAll(async () => {
  await worker.close();
  await queue.close();
  await sim.close();
  redis.disconnect();
  await t.drop();
  await rm(dataDir, { recursive: true, force: true });
});

test('a picture after 签到 and after 走访 attaches to that record, is stored, and shows in the console in scope only', async () => {
  expect(await say('zhangwei', '签到 丁门村')).toContain('丁门村');
  const first = picture(1024, 768, 90);
  const a = await sendPicture('zhangwei', first);
  expect(a.reply).toMatch(/^已收到照片，附到.*丁门村的签到/);
  const stored = await settled(a.mediaId);
  expect(stored).toMatchObject({ status: 'stored', kind: 'visit' });
  expect((await readFile(join(dataDir, stored!.storage_key!))).equals(first)).toBe(true);

  await t.db.query(`UPDATE visits SET started_at = started_at - interval '5 minutes'`);
  expect(await say('zhangwei', '走访 张三 看了新修的羊圈')).toContain('张三');
  const b = await sendPicture('zhangwei', picture(640, 480, 30));
  expect(b.reply).toContain('附到对张三家的走访');
  expect(await settled(b.mediaId)).toMatchObject({ status: 'stored', kind: 'household_visit' });

  const [visit] = await t.db.query('SELECT id FROM visits WHERE cadre_id = $1', [seed.cadres.zhang]);
  const list = await request(app.callback()).get(`/console/api/photos?visit=${visit.id}`).set('Cookie', cookie(seed.cadres.leader));
  expect(list.status).toBe(200);
  expect(list.body.photos).toHaveLength(1);
  expect(list.body.photos[0]).toMatchObject({ id: stored!.id, kind: 'visit', uploader: '张伟', url: `/photos/${stored!.id}` });

  const full = await request(app.callback()).get(`/photos/${stored!.id}`).set('Cookie', cookie(seed.cadres.leader)).buffer(true);
  expect(full.status).toBe(200);
  expect(full.headers['content-type']).toBe('image/jpeg');
  expect(Buffer.from(full.body).equals(first)).toBe(true);
  const thumb = await request(app.callback()).get(`/photos/${stored!.id}/thumb`).set('Cookie', cookie(seed.cadres.leader)).buffer(true);
  expect(thumb.status).toBe(200);
  expect(jpeg.decode(thumb.body).width).toBe(320);

  // Another city's leader: 403 on the picture and the thumbnail; the record's list answers like a missing record (404); no session: 401.
  for (const path of [`/photos/${stored!.id}`, `/photos/${stored!.id}/thumb`]) {
    expect((await request(app.callback()).get(path).set('Cookie', cookie(seed.cadres.lzLeader))).status).toBe(403);
  }
  expect((await request(app.callback()).get(`/console/api/photos?visit=${visit.id}`).set('Cookie', cookie(seed.cadres.lzLeader))).status).toBe(404);
  expect((await request(app.callback()).get(`/photos/${stored!.id}`)).status).toBe(401);
  // The uploader sees it on their own records and may open it.
  const mine = await request(app.callback()).get('/console/api/mine').set('Cookie', cookie(seed.cadres.zhang));
  expect(mine.body.visits.find((v: { id: number }) => v.id === visit.id).photos).toEqual([
    { id: stored!.id, url: `/photos/${stored!.id}`, thumbUrl: `/photos/${stored!.id}/thumb` }]);
  expect((await request(app.callback()).get(`/photos/${stored!.id}`).set('Cookie', cookie(seed.cadres.zhang))).status).toBe(200);
});

test('a repeated image message is stored once; the same picture sent again is not stored twice', async () => {
  const data = picture(300, 200, 200);
  const before = sim.state.calls.get('media/get') ?? 0;
  const a = await sendPicture('zhangwei', data, { msgId: '7199000000000000001' });
  const again = await post(imageXml('zhangwei', a.mediaId, '7199000000000000001'));
  expect(again).toBe(a.reply); // WeCom's retry gets the same answer
  await settled(a.mediaId);
  expect(await t.db.query('SELECT id FROM photos WHERE msg_id = $1', ['7199000000000000001'])).toHaveLength(1);
  expect((sim.state.calls.get('media/get') ?? 0) - before).toBe(1);

  const b = await sendPicture('zhangwei', data);
  expect(await settled(b.mediaId)).toBeUndefined(); // the duplicate row is gone, the first one stays
  const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM photos WHERE sha256 = (SELECT sha256 FROM photos WHERE msg_id = $1)`, ['7199000000000000001']);
  expect(n).toBe(1);
  const [note] = await t.db.query(`SELECT payload FROM outbox_messages WHERE idempotency_key LIKE 'photo:%:duplicate'`);
  expect(JSON.stringify(note.payload)).toContain('已经收到过');
});

test('media/get failures are retried until the picture is stored', async () => {
  const before = sim.state.calls.get('media/get') ?? 0;
  sim.faults.add({ api: 'media/get', kind: 'http500', count: 2 });
  const a = await sendPicture('zhangwei', picture(200, 200, 10));
  expect(await settled(a.mediaId)).toMatchObject({ status: 'stored' });
  expect((sim.state.calls.get('media/get') ?? 0) - before).toBe(3);
  const [row] = await t.db.query('SELECT attempts FROM photos WHERE media_id = $1', [a.mediaId]);
  expect(row.attempts).toBe(3);
});

test('when media/get fails every retry the photo is marked failed and the sender told', async () => {
  sim.faults.add({ api: 'media/get', kind: 'http500', count: RETRY.attempts });
  const a = await sendPicture('zhangwei', picture(100, 100, 44));
  const row = await settled(a.mediaId);
  expect(row).toMatchObject({ status: 'failed' });
  const [note] = await t.db.query('SELECT payload FROM outbox_messages WHERE idempotency_key = $1', [`photo:${row!.id}:failed`]);
  expect(JSON.stringify(note.payload)).toContain('未能从企业微信取回');
  sim.faults.clear();
});

test('a file that is not a JPEG/PNG is refused with a reply through the outbox; a stranger’s picture is refused', async () => {
  const gif = await sendPicture('zhangwei', Buffer.from('GIF89a\x01\x00\x01\x00fake'), { contentType: 'image/gif' });
  const row = await settled(gif.mediaId);
  expect(row).toMatchObject({ status: 'failed', storage_key: null });
  const [note] = await t.db.query('SELECT payload FROM outbox_messages WHERE idempotency_key = $1', [`photo:${row!.id}:failed`]);
  expect(JSON.stringify(note.payload)).toContain('不是 JPEG 或 PNG');

  const before = sim.state.calls.get('media/get') ?? 0;
  const stranger = await sendPicture('stranger01', picture(50, 50, 1));
  expect(stranger.reply).toContain('花名册');
  expect(await t.db.query('SELECT id FROM photos WHERE media_id = $1', [stranger.mediaId])).toHaveLength(0);
  await new Promise((r) => setTimeout(r, 200));
  expect(sim.state.calls.get('media/get') ?? 0).toBe(before);
});

test('an unattached picture goes to a problem with 附图; a category that needs a photo cannot be closed without one', async () => {
  await t.db.query(`UPDATE policy_rules SET value = '["全部"]' WHERE key = 'problem.photo_required_categories'`);
  const reported = await say('sunli', '上报 水渠堵塞需清淤');
  const code = /W\d{4}-\d{4}/.exec(reported)![0];
  // Two hours later: nothing made in the last 30 minutes.
  await t.db.query(`UPDATE problems SET reported_at = reported_at - interval '2 hours' WHERE code = $1`, [code]);

  const refused = await say('sunli', `销号 ${code} 已清淤`);
  expect(refused).toContain(`附图 ${code}`);
  const loose = await sendPicture('sunli', picture(400, 300, 120));
  expect(loose.reply).toContain('附图 问题编号');
  expect(await settled(loose.mediaId)).toMatchObject({ status: 'stored', kind: null });

  expect(await say('sunli', `附图 ${code}`)).toContain(`已将照片附到问题 ${code}，该问题共有照片1张`);
  expect(await say('sunli', `销号 ${code} 已清淤`)).toContain(`已销号 ${code}`);
  const after = await sendPicture('sunli', picture(400, 300, 160));
  expect(after.reply).toContain(`作为问题 ${code} 的销号照片`);
  expect(await settled(after.mediaId)).toMatchObject({ status: 'stored', kind: 'problem_close' });

  const [p] = await t.db.query('SELECT id FROM problems WHERE code = $1', [code]);
  const list = await request(app.callback()).get(`/console/api/photos?problem=${p.id}`).set('Cookie', cookie(seed.cadres.admin));
  expect(list.body.photos.map((x: { kind: string }) => x.kind)).toEqual(['problem', 'problem_close']);
  const detail = await request(app.callback()).get(`/console/api/problems/${p.id}`).set('Cookie', cookie(seed.cadres.admin));
  expect(detail.body.photos.map((x: { thumbUrl: string }) => x.thumbUrl)).toEqual(list.body.photos.map((x: { thumbUrl: string }) => x.thumbUrl));
  const xlsx = await request(app.callback()).get(`/console/api/export/ledger.xlsx?from=2000-01-01`).set('Cookie', cookie(seed.cadres.admin))
    .buffer(true).parse((r, cb) => { const c: Buffer[] = []; r.on('data', (x: Buffer) => c.push(x)); r.on('end', () => cb(null, Buffer.concat(c))); });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx.body);
  const ws = wb.getWorksheet('问题台账')!;
  const header = ws.getRow(3).values as string[];
  const row = [...Array(ws.rowCount).keys()].map((i) => ws.getRow(i + 1)).find((r) => r.getCell(header.indexOf('编号')).value === code)!;
  expect(String(row.getCell(header.indexOf('照片')).value).split('\n')).toEqual(
    list.body.photos.map((x: { url: string }) => `https://sl.example.gov.cn${x.url}`));
  // 武山县's leader does not hold 甘谷县: the problem answers as if it did not exist.
  expect((await request(app.callback()).get(`/console/api/photos?problem=${p.id}`).set('Cookie', cookie(seed.cadres.leader))).status).toBe(404);
});

test('the demo page’s picture button: the picture goes to the simulator’s media store and arrives as a real image message', async () => {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const { port } = server.address() as import('node:net').AddressInfo;
    const data = picture(320, 240, 77);
    const r = await sendDemoPicture({
      media: sim.state.media, wecom: config.wecom, baseUrl: `http://127.0.0.1:${port}`, userid: 'liming', data, contentType: 'image/jpeg', now,
    });
    expect(r.status).toBe(200);
    expect(r.reply ?? (await replyOf(r.msgId))).toContain('已收到照片');
    expect(sim.state.media.get(r.mediaId)?.data.equals(data)).toBe(true);
    expect(await settled(r.mediaId)).toMatchObject({ status: 'stored' });
  } finally {
    server.close();
  }
});
