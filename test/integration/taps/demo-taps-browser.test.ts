import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../support/browser';
import request from 'supertest';
import { createLogger } from '../../../src/lib/logger';
import { createTestDb, type TestDb } from '../../support/db';
import { seedRoster } from '../../support/scenarios/roster';
import { startDemoServer, type DemoServer } from '../../support/demo-server';

/**
 * The demo chat page by taps only, in a real browser (Debian chromium through
 * playwright-core): the app menu under the input (as the simulator holds it
 * after menu/create), 签到 through the map-less location picker, and 收到 on a
 * notice card, each sent as WeCom's event through the simulator to the real
 * callback. Also saves the screenshots docs/chat.md shows (with UPDATE_SCREENSHOTS=1).
 */

const DOCS = process.env.UPDATE_SCREENSHOTS ? join(__dirname, '..', '..', '..', 'docs') : mkdtempSync(join(tmpdir(), 'sl-shots-'));
const NOTICE = '明早8点前到村排查汛情';
const logger = createLogger('silent');

let t: TestDb;
let demo: DemoServer;
let base: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  t = await createTestDb();
  await seedRoster(t.db);
  demo = await startDemoServer(t, logger);
  ({ base } = demo);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 480, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 60000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await t?.drop();
});

test('张伟 checks in with 签到 and the location picker, by taps only', async () => {
  await page.goto(`${base}/demo`);
  await page.locator('[data-testid=person]').selectOption('zhangwei');
  const menu = page.locator('[data-testid=menu]');
  await menu.getByRole('button', { name: '签到' }).waitFor();
  // The sub-buttons are there, hidden until 更多 is tapped.
  await expect(menu.locator('button').allTextContents()).resolves.toEqual(['签到', '签退', '更多', '进度', '问题', '拍照上报', '帮助']);

  await menu.getByRole('button', { name: '签到' }).click();
  const picker = page.locator('[data-testid=picker]');
  await picker.waitFor({ state: 'visible' });
  await expect(picker.getByRole('button').allTextContents()).resolves.toEqual(expect.arrayContaining([
    '附近（天水市武山县鸳鸯镇丁门村）', expect.stringMatching(/^天水市武山县鸳鸯镇丁门村（34\.7206, 104\.8912）$/),
  ]));
  await picker.getByRole('button', { name: /^附近/ }).click();
  await page.locator('[data-testid=chat] .msg.bot', { hasText: '已按位置签到：天水市武山县鸳鸯镇丁门村' }).waitFor({ timeout: 15000 });

  // The chat with the check-in, and 更多 open: the screenshot of docs/chat.md.
  await menu.getByRole('button', { name: '更多' }).click();
  await page.locator('.submenu').waitFor({ state: 'visible' });
  await page.screenshot({ path: join(DOCS, 'demo-menu.png') });
  await menu.getByRole('button', { name: '更多' }).click();

  const visits = await t.db.query(
    `SELECT r.name FROM visits v JOIN cadres c ON c.id = v.cadre_id JOIN regions r ON r.id = v.village_id WHERE c.userid = 'zhangwei'`);
  expect(visits).toEqual([{ name: '丁门村' }]);
  const [event] = await t.db.query(`SELECT msg_type, dedup_key FROM inbound_messages WHERE from_user = 'zhangwei' ORDER BY id DESC LIMIT 1`);
  expect(event).toEqual({ msg_type: 'event', dedup_key: expect.stringMatching(/^zhangwei:\d+:location_select:checkin$/) });
}, 60000);

test('a notice arrives as a card, and tapping 收到 acknowledges it and turns the button into 已确认', async () => {
  await request(base).post('/demo/api/send').send({ userid: 'wangju', message: { kind: 'text', content: `通知 武山县 ${NOTICE}` } }).expect(200);
  const card = page.locator('[data-testid=card]', { hasText: NOTICE });
  await card.waitFor({ timeout: 15000 });
  await expect(card.locator('dt').allTextContents()).resolves.toEqual(expect.arrayContaining(['发送人', '范围']));
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: join(DOCS, 'demo-notice-card.png') });

  await card.getByRole('button', { name: '收到' }).click();
  await card.getByRole('button', { name: /^已确认 / }).waitFor({ timeout: 15000 });
  await page.locator('[data-testid=chat] .msg.bot', { hasText: '已确认收到' }).waitFor({ timeout: 15000 });
  const acked = await t.db.query(
    `SELECT nr.acked_at IS NOT NULL AS acked FROM notice_recipients nr JOIN cadres c ON c.id = nr.cadre_id
      JOIN notices n ON n.id = nr.notice_id WHERE c.userid = 'zhangwei' AND n.content = $1`, [NOTICE]);
  expect(acked).toEqual([{ acked: true }]);
  expect(pageErrors).toEqual([]);
}, 60000);

test('a tap the page could not have made is a 400 with the page\'s Chinese message, and reaches no callback', async () => {
  const before = Number((await t.db.query('SELECT count(*) FROM inbound_messages'))[0].count);
  for (const body of [{ userid: 'zhangwei', event: 'subscribe' }, { userid: '', event: 'click', eventKey: 'help' },
    { userid: 'zhangwei', event: 'location_select', eventKey: 'checkin', location: { latitude: 91, longitude: 104 } }]) {
    const r = await request(base).post('/demo/api/event').send(body).expect(400);
    expect(r.body.message).toBe('请选择人员并输入消息。');
  }
  expect(Number((await t.db.query('SELECT count(*) FROM inbound_messages'))[0].count)).toBe(before);
});
