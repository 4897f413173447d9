import { mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { seedConsole } from '../../support/scenarios/console';
import { storeTestPhoto } from '../../support/photos';
import { useBrowserConsole, loginAs as loginAsAt } from '../../support/browser';
import { photoKey } from '../../../src/services/photos/storage';
import { recordHelpAct } from '../../../src/services/aid/help-acts';
import { buildMustVisit } from '../../support/factories';

/**
 * The notice detail (counts, the lists of who acknowledged and who did not,
 * 催办 and its refusal within the interval, 发通知), the village, unit, cadre
 * and household pages reached by the links in the console, and a cadre's
 * 「我的双联」, in a real browser (Debian chromium through playwright-core)
 * against the app in demo mode. Saves docs/console-notice.png,
 * docs/console-village.png and docs/console-mine.png with UPDATE_SCREENSHOTS=1.
 */

const DOCS = process.env.UPDATE_SCREENSHOTS ? join(__dirname, '..', '..', '..', 'docs') : mkdtempSync(join(tmpdir(), 'sl-shots-'));
const DAY = 24 * 3600 * 1000;

let ids: Record<string, number>;
let dir: string;

const suite = useBrowserConsole((t) => seedConsole(t.db), {
  env: () => ({ DATA_DIR: dir }),
  setup: async (t, seed) => {
    ids = seed.ids;
    const ago = (days: number) => new Date(Date.now() - days * DAY);
    const diary = (content: string, at: Date) => t.db.query(
      'INSERT INTO diary_entries (cadre_id, village_id, content, created_at) VALUES ($1, $2, $3, $4)', [ids.zhangsan, ids.dingmen, content, at]);
    await diary('今天到张大爷家了解冬季取暖情况，煤已备足。', ago(1));
    await diary('村里新修的水窖已经通水，群众很满意。', ago(4));
    await t.db.query(`UPDATE households SET poverty_cause = '因病', aid_status = '未脱贫' WHERE id = $1`, [ids.hZhang]);
    await t.db.transaction((m) => recordHelpAct(m, {
      cadreId: ids.zhangsan, household: { id: ids.hZhang, villageId: ids.dingmen }, kind: '送技术', note: '讲解果树冬季修剪', amountYuan: null, now: ago(3) }));
    // A stored photo of 张三's latest check-in, with its file and thumbnail.
    dir = await mkdtemp(join(tmpdir(), 'sl-records-browser-'));
    const { photo, sha } = await storeTestPhoto(dir, 120);
    const [visit] = await t.db.query('SELECT id, started_at FROM visits WHERE cadre_id = $1 ORDER BY started_at DESC LIMIT 1', [ids.zhangsan]);
    await t.db.query(
      `INSERT INTO photos (cadre_id, media_id, status, sha256, content_type, size_bytes, storage_key, kind, visit_id, created_at, stored_at)
       VALUES ($1, 'm1', 'stored', $2, 'image/jpeg', $3, $4, 'visit', $5, $6, $6)`,
      [ids.zhangsan, sha, photo.length, photoKey(sha, 'image/jpeg'), visit.id, visit.started_at]);
    await buildMustVisit(t.db, { householdId: ids.hZhang, reporterId: ids.wsLeader, cadreId: ids.zhangsan, kind: '生病住院' });
  },
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function open(userid: string, width = 1280, height = 860): Promise<{ page: Page; errors: string[] }> {
  const page = await (await suite.browser.newContext({ viewport: { width, height }, locale: 'zh-CN' })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await loginAsAt(page, suite.base, '/console', userid);
  return { page, errors };
}

test('a county leader opens a notice, sees who acknowledged and who did not, presses 催办 once, then sends a notice', async () => {
  const { page, errors } = await open('ws_leader');
  await page.waitForSelector('.kpi');
  await page.click('[data-tab="notices"]');
  await page.click('tr.clickable >> text=明日上午九时召开防汛工作会议');
  await page.waitForSelector('[data-list="attended"] h3');
  expect(page.url()).toContain(`tab=notice&id=${ids.notice}`);
  const detail = page.locator('.notice-detail');
  expect(await detail.locator('.notice-text').textContent()).toBe('明日上午九时召开防汛工作会议');
  expect(await detail.locator('.kpi-value').allTextContents()).toEqual(['2', '1', '1', '0']);
  const acked = await detail.locator('[data-list="acked"]').textContent();
  expect(acked).toContain('已确认（1 人）');
  expect(acked).toMatch(/张三武山县财政局13800000000\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d/);
  expect(await detail.locator('[data-list="pending"]').textContent()).toContain('李四武山县教育局13800000000');

  await page.click('[data-urge]');
  await page.waitForSelector('[data-urges] li');
  expect(await page.textContent('[data-urges]')).toMatch(/王县长 催办，发送 1 人/);
  expect(await page.textContent('.good-note')).toBe('已向 1 人重新发送通知。');
  const outbox = await suite.t.db.query(`SELECT recipient FROM outbox_messages WHERE idempotency_key LIKE 'notice-urge:%'`);
  expect(outbox).toEqual([{ recipient: 'lisi' }]);
  await page.screenshot({ path: join(DOCS, 'console-notice.png'), fullPage: true });
  await page.click('[data-urge]');
  await page.waitForSelector('[data-urge-message].error');
  expect(await page.textContent('[data-urge-message]')).toMatch(/^每30分钟最多催办一次，请在.+后再试。$/);
  expect(await suite.t.db.query(`SELECT count(*)::int AS n FROM notice_urges`)).toEqual([{ n: 1 }]);

  await page.click('[data-tab="notices"]');
  await page.click('[data-send-notice]');
  await page.selectOption('.notice-form select[name="kind"]', '活动');
  await page.click('.notice-form button[type="submit"]');
  await page.waitForSelector('.notice-form .error:not(:empty)');
  expect(await page.textContent('.notice-form .error')).toBe('请输入通知内容。');
  await page.fill('.notice-form textarea', '周六上午到村开展环境整治活动');
  await page.click('.notice-form button[type="submit"]');
  await page.waitForSelector('.notice-detail .notice-text');
  expect(await page.textContent('.notice-detail .notice-text')).toBe('周六上午到村开展环境整治活动');
  expect(await page.textContent('.notice-detail h2')).toContain('【活动通知】');
  expect(await page.locator('.notice-detail .kpi-value').first().textContent()).toBe('2');
  expect(errors).toEqual([]);
});

test('from the ledger to a village page, then its unit, a cadre and a household; another county\'s village is refused', async () => {
  const { page, errors } = await open('ws_leader');
  await page.waitForSelector('.kpi');
  await page.click('[data-tab="ledger"]');
  await page.click('a[data-record="village"] >> text=鸳鸯镇丁门村');
  await page.waitForSelector('[data-list="help"] h3');
  const village = page.locator('[data-record-page="village"]');
  expect(await village.locator('h2').textContent()).toBe('天水市武山县鸳鸯镇丁门村贫困村');
  const facts = await village.locator('.facts').textContent();
  expect(facts).toContain('联系单位武山县财政局');
  expect(facts).toContain('农户2 户，已联户 1 户（覆盖率 50.0%）');
  expect(await village.locator('[data-list="visits"] h3').textContent()).toBe('进村签到（共 4 条）');
  expect(await village.locator('[data-list="householdVisits"]').textContent()).toContain('送去慰问品');
  const diary = await village.locator('[data-list="diary"]').textContent();
  expect(diary).toContain('民情日记（共 2 条）');
  expect(diary!.indexOf('今天到张大爷家')).toBeLessThan(diary!.indexOf('村里新修的水窖'));
  expect(await village.locator('[data-list="problems"]').textContent()).toContain('村道路灯损坏，夜间出行不便');
  expect(await village.locator('[data-list="help"]').textContent()).toContain('讲解果树冬季修剪');
  const thumb = village.locator('[data-list="photos"] img');
  await thumb.waitFor();
  // On the page is not loaded yet (a busy machine): wait for it to load or fail, then check it is a picture.
  await thumb.evaluate((img: HTMLImageElement) => img.complete || new Promise((done) => {
    img.addEventListener('load', done, { once: true });
    img.addEventListener('error', done, { once: true });
  }));
  expect(await thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await page.screenshot({ path: join(DOCS, 'console-village.png'), fullPage: true });

  // the problem links to its ledger view
  expect(await village.locator('[data-list="problems"] a', { hasText: `W${new Date().getFullYear()}` }).first().getAttribute('href')).toMatch(/tab=ledger&problem=\d+/);

  await village.locator('.facts a[data-record="unit"]').click();
  await page.waitForSelector('[data-record-page="unit"] [data-list="help"] h3');
  expect(await page.textContent('[data-record-page="unit"] h2')).toBe('武山县财政局');
  await page.locator('[data-record-page="unit"] .facts a[data-record="cadre"]', { hasText: '张三' }).click();
  await page.waitForSelector('[data-record-page="cadre"] [data-list="help"] h3');
  expect(await page.textContent('[data-record-page="cadre"] .facts')).toContain('手机13800000000');
  await page.locator('[data-record-page="cadre"] .facts a[data-record="household"]').click();
  await page.waitForSelector('[data-record-page="household"] [data-list="help"] h3');
  const household = await page.textContent('[data-record-page="household"]');
  expect(household).toContain('张大爷（贫困户）');
  expect(household).toContain('致贫原因因病');
  expect(household).toContain('帮扶状态未脱贫');
  expect(household).toContain('入户走访（共 2 条）');
  expect(await page.locator('[data-record-page="household"] [data-list="visits"]').count()).toBe(0);

  // a period that holds none of it
  await page.goto(`${suite.base}/console#tab=village&id=${ids.dingmen}`);
  await page.waitForSelector('[data-list="visits"] h3');
  await page.fill('.range input >> nth=0', '2020-01-01');
  await page.fill('.range input >> nth=1', '2020-12-31');
  await page.locator('.range input >> nth=1').dispatchEvent('change');
  await page.waitForSelector('[data-list="visits"] h3 >> text=（共 0 条）');

  await page.goto(`${suite.base}/console#tab=village&id=${ids.chengguan}`);
  await page.waitForSelector('.panel .error');
  expect(await page.textContent('.panel .error')).toBe('该记录不在您的管辖范围内。');
  expect(errors).toEqual([]);
});

test('links from 任务进度 and 两个全覆盖 open the unit, cadre and household pages', async () => {
  const { page, errors } = await open('ws_leader');
  await page.waitForSelector('.kpi');
  await page.click('[data-tab="standing"]');
  await page.click('a[data-record="unit"] >> text=武山县财政局');
  await page.waitForSelector('[data-record-page="unit"] h2');
  await page.click('[data-tab="standing"]');
  await page.click('[data-by="cadre"]');
  await page.click('a[data-record="cadre"] >> text=李四');
  await page.waitForSelector('[data-record-page="cadre"] [data-list="visits"] h3');
  expect(await page.textContent('[data-record-page="cadre"] h2')).toBe('李四（队员）');
  await page.click('[data-tab="overview"]');
  await page.click('a[data-record="household"] >> text=李大娘');
  await page.waitForSelector('[data-record-page="household"] [data-list="help"] h3');
  expect(await page.textContent('[data-record-page="household"] h2')).toBe('李大娘（低保户）');
  expect(errors).toEqual([]);
});

test('a cadre logs in to 「我的双联」: their own standing and records, not the leaders\' console', async () => {
  const { page, errors } = await open('zhangsan', 390, 844);
  await page.waitForSelector('[data-section="my-standing"]');
  await page.waitForSelector('[data-list="diary"] h3');
  expect(await page.title()).toBe('双联助手 · 我的双联');
  expect(await page.textContent('header')).not.toContain('领导控制台');
  expect(await page.textContent('[data-title]')).toBe(' · 我的双联');
  expect(await page.isVisible('[data-title]')).toBe(true); // on a phone too
  const standing = await page.textContent('[data-section="my-standing"]');
  expect(standing).toContain('丁门村');
  expect(standing).toContain('张大爷');
  expect(standing).toContain('六送帮扶：今年 1 次');
  expect(standing).toContain('五必访：待走访 1 件');
  expect(await page.textContent('[data-list="diary"]')).toContain('今天到张大爷家了解冬季取暖情况');
  expect(await page.textContent('[data-list="visits"] h3')).toBe('进村签到（共 4 条）');
  expect(await page.locator('.tabs').count()).toBe(0);
  expect(await page.locator('[data-list="diary"] a[data-record]').count()).toBe(0);
  await page.screenshot({ path: join(DOCS, 'console-mine.png'), fullPage: false });
  expect(errors).toEqual([]);
});
