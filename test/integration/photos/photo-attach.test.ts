import type { DataSource } from 'typeorm';
import { Redis } from 'ioredis';
import { createBot } from '../../../bots';
import { createPhotoQueue, sweepPhotos } from '../../../src/services/photos/queue';
import { processOne } from '../../../src/services/inbound/messages';
import { createLogger } from '../../../src/lib/logger';
import { closeProblem } from '../../../src/services/problems/ledger';
import { photoRequiredCategories } from '../../../src/services/photos/policy';
import { setRule } from '../../../src/services/rules/rules-admin';
import { attachKeptToProblem, attachLatestToProblem, findAttachTarget, recordImage } from '../../../src/services/photos/attach';
import { loadConfig } from '../../../src/config';
import { createTestDb, testPrefix, type TestDb } from '../../support/db';
import { REDIS_URL } from '../../support/urls';
import { seedRoster, type Seeded } from '../../support/scenarios/roster';

/** Which record a picture attaches to, 附图, the close rule per category, and the sweeper. */

const NOW = new Date('2026-06-10T03:00:00Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
let t: TestDb;
let db: DataSource;
let s: Seeded;

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  s = await seedRoster(db);
});
afterAll(() => t.drop());

const visit = async (cadre: number, village: number, startedAt: Date, endedAt: Date | null = null) =>
  (await db.query('INSERT INTO visits (cadre_id, village_id, started_at, ended_at) VALUES ($1, $2, $3, $4) RETURNING id',
    [cadre, village, startedAt, endedAt]))[0].id as number;
const householdVisit = async (cadre: number, household: number, village: number, at: Date) =>
  (await db.query('INSERT INTO household_visits (cadre_id, household_id, village_id, visited_at) VALUES ($1, $2, $3, $4) RETURNING id',
    [cadre, household, village, at]))[0].id as number;
const problem = async (code: string, village: number, reporter: number, at: Date, category = '其他') =>
  (await db.query(
    `INSERT INTO problems (code, village_id, reporter_id, description, category, deadline, reported_at)
     VALUES ($1, $2, $3, '水渠堵塞', $4, '2026-07-10', $5) RETURNING id`, [code, village, reporter, category, at]))[0].id as number;

test('the latest record of the last 30 minutes wins over an older open check-in; none → the open check-in; nothing → unattached', async () => {
  const { zhang, li } = s.cadres;
  expect(await findAttachTarget(db.manager, zhang, NOW)).toBeNull();
  const open = await visit(zhang, s.regions.dingmen, ago(120));
  expect(await findAttachTarget(db.manager, zhang, NOW)).toMatchObject({ kind: 'visit', id: open });
  const hv = await householdVisit(zhang, s.households.zhangsan, s.regions.dingmen, ago(10));
  expect(await findAttachTarget(db.manager, zhang, NOW)).toMatchObject({ kind: 'household_visit', id: hv, label: '张三' });
  await db.query('UPDATE household_visits SET revoked_at = $2 WHERE id = $1', [hv, ago(5)]);
  expect(await findAttachTarget(db.manager, zhang, NOW)).toMatchObject({ kind: 'visit', id: open });
  await householdVisit(zhang, s.households.lisi, s.regions.dingmen, ago(45)); // too old
  expect(await findAttachTarget(db.manager, zhang, NOW)).toMatchObject({ kind: 'visit', id: open });

  // A finished check-in is not open; a problem reported 20 minutes ago is the latest record.
  await visit(li, s.regions.wangmen, ago(300), ago(200));
  expect(await findAttachTarget(db.manager, li, NOW)).toBeNull();
  const pid = await problem('W2026-0101', s.regions.wangmen, li, ago(20));
  expect(await findAttachTarget(db.manager, li, NOW)).toMatchObject({ kind: 'problem', id: pid, label: 'W2026-0101' });
});

test('附图 moves the latest picture to the problem, for people who answer for it only', async () => {
  const { sun, zhang } = s.cadres;
  await problem('W2026-0201', s.regions.wangmenGangu, sun, ago(600));
  const input = { actor: { id: sun, unitId: s.units.water, role: '干部' as const, scopeRegionId: null }, code: 'W2026-0201', now: NOW };
  expect(await attachLatestToProblem(db.manager, input)).toEqual({ kind: 'no_photo' });
  const onVisit = await visit(sun, s.regions.wangmenGangu, ago(10));
  const r = await recordImage(db.manager, { cadreId: sun, inboundId: null, msgId: '8800000000000000001', mediaId: 'M-a', now: ago(5) });
  expect(r).toMatchObject({ kind: 'recorded', target: { kind: 'visit', id: onVisit } });
  expect(await recordImage(db.manager, { cadreId: sun, inboundId: null, msgId: '8800000000000000001', mediaId: 'M-a', now: ago(5) }))
    .toMatchObject({ kind: 'duplicate' });

  const stranger = { actor: { id: zhang, unitId: s.units.traffic, role: '干部' as const, scopeRegionId: null }, code: 'W2026-0201', now: NOW };
  expect(await attachLatestToProblem(db.manager, stranger)).toEqual({ kind: 'forbidden' });
  expect(await attachLatestToProblem(db.manager, { ...input, code: 'W2026-9999' })).toEqual({ kind: 'not_found' });
  expect(await attachLatestToProblem(db.manager, input)).toMatchObject({ kind: 'attached', count: 1, closed: false });
  const [row] = await db.query('SELECT kind, visit_id, problem_id FROM photos WHERE msg_id = $1', ['8800000000000000001']);
  expect(row).toMatchObject({ kind: 'problem', visit_id: null });
});

test('拍照上报: pictures kept without a record in the last 30 minutes go to the problem reported next, no others', async () => {
  const { zhao } = s.cadres;
  const kept = await recordImage(db.manager, { cadreId: zhao, inboundId: null, msgId: '8800000000000000101', mediaId: 'M-k', now: ago(3) });
  expect(kept).toMatchObject({ kind: 'recorded', target: null });
  await recordImage(db.manager, { cadreId: zhao, inboundId: null, msgId: '8800000000000000102', mediaId: 'M-old', now: ago(45) });
  const pid = await problem('W2026-0390', s.regions.dingmen, zhao, NOW);
  expect(await attachKeptToProblem(db.manager, { cadreId: zhao, problemId: pid, now: NOW })).toBe(1);
  const rows = await db.query(`SELECT msg_id, kind, problem_id FROM photos WHERE cadre_id = $1 ORDER BY msg_id`, [zhao]);
  expect(rows).toEqual([
    { msg_id: '8800000000000000101', kind: 'problem', problem_id: pid },
    { msg_id: '8800000000000000102', kind: null, problem_id: null },
  ]);
  // nothing left to move: a second problem takes none
  expect(await attachKeptToProblem(db.manager, { cadreId: zhao, problemId: pid, now: NOW })).toBe(0);
  await db.query('DELETE FROM photos WHERE cadre_id = $1', [zhao]);
  await db.query('DELETE FROM problems WHERE id = $1', [pid]);
});

test('the photo rule applies to the listed categories only', async () => {
  await db.query(`UPDATE policy_rules SET value = '["道路"]' WHERE key = 'problem.photo_required_categories'`);
  const actor = { id: s.cadres.li, unitId: s.units.farm, role: '队员' as const, scopeRegionId: null };
  await problem('W2026-0301', s.regions.xiping, s.cadres.li, ago(600), '其他');
  await problem('W2026-0302', s.regions.xiping, s.cadres.li, ago(600), '道路');
  const close = (code: string) => db.transaction((m) => closeProblem(m, { actor, code, note: '已修', now: NOW }));
  expect((await close('W2026-0301')).kind).toBe('closed');
  await expect(close('W2026-0302')).rejects.toMatchObject({ code: 'photo_required', status: 409 });
  expect((await db.query(`SELECT status FROM problems WHERE code = 'W2026-0302'`))[0].status).toBe('open');
});

test('admins set the photo rule as a list with npm run rules (rules-admin)', async () => {
  expect((await setRule(db, 'problem.photo_required_categories', '道路、饮水', NOW)).value).toEqual(['道路', '饮水']);
  expect(await photoRequiredCategories(db.manager)).toEqual(['道路', '饮水']);
  expect((await setRule(db, 'problem.photo_required_categories', '无', NOW)).value).toEqual([]);
  expect(await photoRequiredCategories(db.manager)).toEqual([]);
});

test('the sweeper queues photos whose job was lost and gives up on MediaIds past three days', async () => {
  const cadre = s.cadres.zhao;
  const stale = (await recordImage(db.manager, { cadreId: cadre, inboundId: null, msgId: '8800000000000000101', mediaId: 'M-s', now: ago(5) }));
  const expired = (await recordImage(db.manager, { cadreId: cadre, inboundId: null, msgId: '8800000000000000102', mediaId: 'M-x', now: ago(4 * 24 * 60) }));
  const fresh = await recordImage(db.manager, { cadreId: cadre, inboundId: null, msgId: '8800000000000000103', mediaId: 'M-f', now: ago(0) }); // its job is running
  const queued: number[] = [];
  const r = await sweepPhotos({ db }, { enqueue: async (ids) => void queued.push(...ids) }, NOW);
  expect(r.expired).toBe(1);
  expect(queued).toContain(stale.photoId);
  expect(queued).not.toContain(fresh.photoId);
  expect(queued).not.toContain(expired.photoId);
  const [gone] = await db.query('SELECT status FROM photos WHERE id = $1', [expired.photoId]);
  expect(gone.status).toBe('failed');
  const [note] = await db.query('SELECT recipient, payload FROM outbox_messages WHERE idempotency_key = $1', [`photo:${expired.photoId}:failed`]);
  expect(note.recipient).toBe('zhaoqiang');
  expect(JSON.stringify(note.payload)).toContain('未能从企业微信取回');
});

test('S3 settings are all or none', () => {
  expect(() => loadConfig({ S3_ENDPOINT: 'http://127.0.0.1:9000' })).toThrow(/S3_BUCKET: missing/);
  const c = loadConfig({ S3_ENDPOINT: 'http://127.0.0.1:9000', S3_BUCKET: 'photos', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' });
  expect(c.s3).toEqual({ endpoint: 'http://127.0.0.1:9000', bucket: 'photos', accessKeyId: 'k', secretAccessKey: 's', region: 'us-east-1' });
  expect(loadConfig({}).s3).toBeUndefined();
});

test('with the photo queue’s Redis down the chat still answers at once and the photo waits for the sweeper', async () => {
  const redis = new Redis(REDIS_URL);
  const photos = createPhotoQueue({ redisUrl: 'redis://127.0.0.1:1' });
  try {
    const logger = createLogger('silent');
    const bot = createBot({ redis, logger, keyPrefix: testPrefix() });
    const xml = '<xml><ToUserName><![CDATA[corp]]></ToUserName><FromUserName><![CDATA[liming]]></FromUserName>'
      + '<CreateTime>0</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://127.0.0.1:1/p.jpg]]></PicUrl>'
      + '<MediaId><![CDATA[M-down]]></MediaId><MsgId>8800000000000000201</MsgId><AgentID>1000002</AgentID></xml>';
    const [{ id }] = await db.query(
      `INSERT INTO inbound_messages (dedup_key, from_user, msg_type, create_time, raw_xml, received_at)
       VALUES ('8800000000000000201', 'liming', 'image', 0, $1, now()) RETURNING id`, [xml]);
    const started = Date.now();
    const outcome = await processOne(
      { db, bot, logger, queuePhotos: photos.enqueue }, { id, now: NOW, skipLocked: false }, { decide: () => 'passive' });
    expect(Date.now() - started).toBeLessThan(3000); // 1 s for Redis, the rest is PostgreSQL on a busy machine
    expect(outcome).toMatchObject({ status: 'done' });
    expect(outcome.status === 'done' && outcome.reply).toContain('已收到照片');
    const [row] = await db.query('SELECT status FROM photos WHERE msg_id = $1', ['8800000000000000201']);
    expect(row.status).toBe('fetching');
  } finally {
    await photos.close();
    redis.disconnect();
  }
});
