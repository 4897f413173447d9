import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { createApp, type AppDeps } from '../../../src/app';
import { runJobCommand } from '../../../src/cli/job';
import { loadConfig } from '../../../src/config';
import { seedDemoQuarter } from '../../../src/demo/activity';
import { demoRosterDir, loadDemoRosterIfEmpty } from '../../../src/demo/roster';
import { createLogger } from '../../../src/lib/logger';
import { createMetrics } from '../../../src/metrics';
import type { OutboxDispatcher } from '../../../src/services/outbox/dispatch';
import { addToOutbox, markdownMessage } from '../../../src/services/outbox/write';
import { launchChromium } from '../../support/browser';
import { createTestDb, type TestDb } from '../../support/db';
import { REDIS_URL } from '../../support/urls';
import { startDemoServer, type DemoServer } from '../../support/demo-server';

/**
 * The demo as someone new meets it, in chromium against the real server with
 * the real demo roster (demo/roster): `/` links every demo page; the demo
 * login lists every demo person, leaders and admins first; the demo chat asks
 * for a person before anything else, labels its 📍 and 📷 buttons, draws
 * digest markdown as the WeCom client does (and hostile markup as text), and
 * the README's `签到 王门` then `2` works as written for 王健. Saves the
 * screenshots docs/ shows (with UPDATE_SCREENSHOTS=1).
 */

const DOCS = process.env.UPDATE_SCREENSHOTS ? join(__dirname, '..', '..', '..', 'docs') : mkdtempSync(join(tmpdir(), 'sl-shots-'));
const logger = createLogger('silent');
const PICK_FIRST = '请先在上方选择一位干部或领导，再发送消息。';

let t: TestDb;
let demo: DemoServer;
let redis: Redis;
let base: string;
let deps: AppDeps;
let prefix: string;
let dispatcher: OutboxDispatcher;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  t = await createTestDb();
  // As main.ts starts a fresh demo: the roster, then a scored quarter of past work.
  await loadDemoRosterIfEmpty(t.db, logger);
  await seedDemoQuarter(t.db, logger);
  demo = await startDemoServer(t, logger);
  ({ redis, base, deps, prefix, dispatcher } = demo);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await t?.drop();
});

async function newPage(width: number, height: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}

/** The demo chat as `userid`, once the person list has loaded. */
async function chatAs(page: Page, userid: string): Promise<void> {
  await page.goto(`${base}/demo`);
  await page.locator(`[data-testid=person] option[value=${userid}]`).waitFor({ state: 'attached' });
  await page.locator('[data-testid=person]').selectOption(userid);
}

async function say(page: Page, text: string): Promise<string> {
  const replies = page.locator('[data-testid=chat] .msg.bot', { hasText: '回复' });
  const before = await replies.count();
  await page.fill('[data-testid=text]', text);
  await page.click('[data-testid=send]');
  await replies.nth(before).waitFor({ timeout: 20_000 });
  return (await replies.nth(before).innerText()).replace(/^回复\n/, '');
}

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const lastInboundType = async (userid: string) =>
  ((await t.db.query(`SELECT msg_type FROM inbound_messages WHERE from_user = $1 AND msg_type = 'image' LIMIT 1`, [userid]))[0]?.msg_type as string | undefined);
const inboundCount = async () => Number((await t.db.query('SELECT count(*) FROM inbound_messages'))[0].count);

describe('the home page at /', () => {
  test('links the chat, the console, the H5 page and the job dashboard, and each link leads there', async () => {
    const page = await newPage(1280, 800);
    const res = await page.goto(`${base}/`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    const links = page.locator('[data-testid=home-link]');
    await expect(links.allTextContents()).resolves.toEqual(['模拟企业微信聊天', '控制台', 'H5签到', '任务面板']);
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(['/demo', '/console', '/h5/checkin', '/admin/queues?token=demo-admin-token']);
    await expect(page.locator('main').innerText()).resolves.toContain('链接已带演示管理令牌 demo-admin-token');
    expect(await page.locator('script').count()).toBe(0);
    await page.screenshot({ path: join(DOCS, 'demo-home.png') });

    await links.filter({ hasText: '模拟企业微信聊天' }).click();
    await page.waitForURL(`${base}/demo`);
    await page.goBack();
    await links.filter({ hasText: '控制台' }).click();
    await page.waitForURL(`${base}/console/login?to=c`);
    await page.goBack();
    await links.filter({ hasText: 'H5签到' }).click();
    await page.waitForURL(`${base}/console/login?to=h`);
    // The dashboard link carries a token the dashboard takes (it answers with itself, not 401).
    const admin = await request(base).get(hrefs[3]!);
    expect([admin.status, admin.headers.location]).toEqual([302, '/admin/queues/']);
    await page.close();
  }, 60_000);

  test('a token the operator set is never shown: the page says the dashboard needs it', async () => {
    const own = createApp({ ...deps, config: loadConfig({ PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: t.url, ADMIN_TOKEN: 'operator-secret-1' }) });
    const res = await request(own.callback()).get('/').expect(200);
    expect(res.text).toContain('href="/admin/queues"');
    expect(res.text).toContain('需要管理令牌');
    expect(res.text).not.toContain('operator-secret-1');
  });

  test('outside demo mode / does not exist', async () => {
    const real = loadConfig({
      PORT: '0', LOG_LEVEL: 'silent', WECOM_CORP_ID: 'wwreal', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 's',
      WECOM_TOKEN: 'tok', WECOM_ENCODING_AES_KEY: 'a'.repeat(43), ADMIN_TOKEN: 'admin-token-1', PUBLIC_URL: 'https://sl.example.gov.cn',
    });
    const app = createApp({ config: real, db: t.db, redis, logger, metrics: createMetrics(), bot: { handle: async () => null } });
    await request(app.callback()).get('/').expect(404);
  });
});

test('the demo login lists every demo person, role by role with leaders and admins first, and any of them logs in', async () => {
  const csv = readFileSync(join(demoRosterDir(), 'cadres.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const page = await newPage(1280, 800);
  await page.goto(`${base}/console`);
  await page.waitForURL(/\/console\/login/);
  const listed = await page.locator('button[data-userid]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-userid')));
  expect([...listed].sort()).toEqual(csv.map((r) => r[0]).sort());
  const headings = await page.locator('main h2').allTextContents();
  expect(headings).toEqual(['领导（5人）', '管理员（1人）', '干部（8人）', '队员（4人）', '队长（2人）']);
  // The province's leader first among the leaders.
  expect(listed[0]).toBe('wangjian');
  await page.click('button[data-userid="baixue"]'); // the roster's last cadre
  await page.waitForURL(`${base}/console`);
  await page.close();
}, 60_000);

describe('the demo chat', () => {
  test('an empty chat asks for a person first, and nothing is sent before one is picked', async () => {
    const page = await newPage(390, 844);
    await page.goto(`${base}/demo`);
    const hint = page.locator('[data-testid=pick-first]');
    await expect(hint.innerText()).resolves.toBe(PICK_FIRST);
    const before = await inboundCount();
    await page.fill('[data-testid=text]', '帮助');
    await page.click('[data-testid=send]');
    await page.locator('[data-testid=pick-first].attention').waitFor();
    await expect(page.inputValue('[data-testid=text]')).resolves.toBe('帮助');
    await page.click('[data-testid=location]');
    expect(await page.locator('.msg').count()).toBe(0);
    expect(await inboundCount()).toBe(before);
    await page.locator('[data-testid=person] option[value=zhangwei]').waitFor({ state: 'attached' });
    await page.locator('[data-testid=person]').selectOption('zhangwei');
    await hint.waitFor({ state: 'detached' });
    await page.close();
  }, 60_000);

  test('the 📍 and 📷 buttons say what they do, and 📍 shares a location near the linked village', async () => {
    const page = await newPage(390, 844);
    await chatAs(page, 'zhangwei');
    await expect(page.locator('[data-testid=location]').innerText()).resolves.toBe('📍 位置');
    await expect(page.locator('[data-testid=photo]').innerText()).resolves.toBe('📷 图片');
    await page.getByRole('button', { name: '📍 位置' }).click();
    await page.locator('.msg.me', { hasText: /^📍 天水市武山县鸳鸯镇丁门村/ }).waitFor();
    await page.locator('.msg.bot', { hasText: '回复' }).first().waitFor({ timeout: 20_000 });
    // 📷 opens the file picker; the picture goes to the callback as an image message.
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: '📷 图片' }).click()]);
    await chooser.setFiles({ name: '路灯.png', mimeType: 'image/png', buffer: Buffer.from(PNG, 'base64') });
    await page.locator('.msg.me', { hasText: '📷 路灯.png' }).waitFor();
    for (let i = 0; i < 100 && !(await lastInboundType('zhangwei')); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await lastInboundType('zhangwei')).toBe('image');
    await page.close();
  }, 60_000);

  test('the README\'s example works as written: 王健 sends 签到 王门, then 2', async () => {
    const page = await newPage(390, 844);
    await chatAs(page, 'wangjian');
    expect(await say(page, '签到 王门')).toBe([
      '“王门”对应多个村，请回复序号选择：',
      '1. 王门村（武山县鸳鸯镇）',
      '2. 王门村（甘谷县大像山镇）',
      '（回复序号即可，10分钟内有效）',
    ].join('\n'));
    expect(await say(page, '2')).toMatch(/^已签到：天水市甘谷县大像山镇王门村/);
    const visits = await t.db.query(
      `SELECT r.full_name FROM visits v JOIN cadres c ON c.id = v.cadre_id JOIN regions r ON r.id = v.village_id WHERE c.userid = 'wangjian'`);
    expect(visits).toEqual([{ full_name: '甘肃省/天水市/甘谷县/大像山镇/王门村' }]);
    await say(page, '签退');
    await page.close();
  }, 60_000);

  test('the digest from `npm run job -- digest` shows as WeCom draws markdown: headings, bold, coloured numbers, quotes', async () => {
    const summary = await runJobCommand({ name: 'digest', now: new Date() }, { db: t.db, logger, redisUrl: REDIS_URL, prefix });
    expect(summary).toMatchObject({ period: 'day' });
    const page = await newPage(390, 844);
    await chatAs(page, 'zhaolei');
    const digest = page.locator('[data-testid=chat] .msg.md', { hasText: '双联日报' });
    await digest.waitFor({ timeout: 20_000 });
    await expect(digest.locator('h2').innerText()).resolves.toMatch(/^武山县 双联日报 \d+月\d+日$/);
    expect(await digest.locator('blockquote').count()).toBeGreaterThan(3);
    await expect(digest.locator('blockquote strong').first().innerText()).resolves.toMatch(/^\d+$/);
    const text = await digest.innerText();
    expect(text).not.toMatch(/##|\*\*|<font|<\/font>|^>/m);
    await digest.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(DOCS, 'demo-digest.png') });
    await page.close();
  }, 60_000);

  test('markdown draws only what WeCom draws: markup in a message shows as text and runs nothing', async () => {
    const hostile = [
      '## 标题 <script>window.__pwned = 1</script>',
      '**加粗** <font color="info">12</font> <font color="warning">3</font> <font color="comment">备注</font>',
      '<img src=x onerror="window.__pwned = 2"> [坏链接](javascript:window.__pwned=3) [好链接](https://work.weixin.qq.com/)',
      '> 引用 `代码`',
    ].join('\n');
    const [{ id: groupId }] = await t.db.query(`SELECT id FROM groups WHERE name = '鸳鸯镇双联工作群'`);
    const ids = await t.db.transaction((m) => addToOutbox(m, [
      markdownMessage('demo:md:hostile', 'sunli', hostile),
      { key: 'demo:md:robot', channel: 'robot', to: String(groupId),
        payload: { msgtype: 'markdown', markdown: { content: '**群通知** 未回复 <font color="warning">2</font> 人<img src=x onerror="window.__pwned = 5">' } } },
    ]));
    await dispatcher.dispatch(ids);
    const page = await newPage(390, 844);
    await chatAs(page, 'sunli');
    const msg = page.locator('[data-testid=chat] .msg.md', { hasText: '加粗' });
    await msg.waitFor({ timeout: 20_000 });
    await expect(msg.locator('h2').innerText()).resolves.toBe('标题 <script>window.__pwned = 1</script>');
    await expect(msg.locator('strong').innerText()).resolves.toBe('加粗');
    await expect(msg.locator('.md-info').innerText()).resolves.toBe('12');
    await expect(msg.locator('.md-warning').innerText()).resolves.toBe('3');
    await expect(msg.locator('.md-comment').innerText()).resolves.toBe('备注');
    await expect(msg.locator('blockquote').innerText()).resolves.toBe('引用 代码');
    await expect(msg.locator('a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')])))
      .resolves.toEqual([['好链接', 'https://work.weixin.qq.com/']]);
    await expect(msg.innerText()).resolves.toContain('<img src=x onerror="window.__pwned = 2"> [坏链接](javascript:window.__pwned=3)');
    expect(await page.locator('[data-testid=chat] img, [data-testid=chat] script').count()).toBe(0);
    // A group robot's markdown is drawn the same way, under 群机器人消息.
    const robot = page.locator('[data-testid=groups] .item.md', { hasText: '群通知' });
    await robot.waitFor({ timeout: 20_000 });
    await expect(robot.locator('strong').innerText()).resolves.toBe('群通知');
    await expect(robot.locator('.md-warning').innerText()).resolves.toBe('2');
    expect(await page.locator('[data-testid=groups] img').count()).toBe(0);
    // What a person types is text too.
    await say(page, '<b>粗</b><img src=x onerror="window.__pwned = 4">');
    await expect(page.locator('.msg.me').last().innerText()).resolves.toBe('<b>粗</b><img src=x onerror="window.__pwned = 4">');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.close();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
