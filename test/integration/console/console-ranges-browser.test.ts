import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { addDays, shanghaiDate } from '../../../src/lib/time';
import { seedConsole } from '../../support/scenarios/console';
import { buildHouseholdLink } from '../../support/factories';
import { useBrowserConsole, loginAs as loginAsAt } from '../../support/browser';

/**
 * The console's date range in a real browser (Debian chromium through playwright-core, the
 * app on a loopback port, real PostgreSQL): presets in the hash, kept across tabs and reloads;
 * a bad range refused in Chinese; each page's figures following the range; printing; charts
 * with little data on a phone. Screenshots go to docs/ with UPDATE_SCREENSHOTS=1.
 */

const DOCS = process.env.UPDATE_SCREENSHOTS ? join(__dirname, '..', '..', '..', 'docs') : mkdtempSync(join(tmpdir(), 'sl-shots-'));
const today = () => shanghaiDate(new Date());
const daysAgo = (n: number) => addDays(today(), -n);
const monday = (d: string) => addDays(d, -((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7));

const suite = useBrowserConsole((t) => seedConsole(t.db), {
  setup: async (t, seed) => {
    // 李大娘 (丁门村) has had a cadre for 10 days.
    await buildHouseholdLink(t.db, { cadreId: seed.ids.zhangsan, householdId: seed.ids.hLi, validFrom: daysAgo(10) });
  },
});

async function open(width = 1280, height = 800): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const context = await suite.browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await loginAsAt(page, suite.base, '/console', 'ws_leader');
  return { page, errors, close: () => context.close() };
}

const hashOf = (page: Page) => new URLSearchParams(new URL(page.url()).hash.slice(1));
/** Opens the console afresh at `hash` (not a hash change: the old page's content could pass for the new one's). */
const goTo = async (page: Page, hash: string) => {
  await page.goto('about:blank');
  await page.goto(`${suite.base}/console#${hash}`);
  await page.waitForSelector('.panel > :not(.muted)');
};

test('presets set the range in the hash, the active one is highlighted, and the range stays across tabs and reloads', async () => {
  const { page, errors, close } = await open();
  // No range asked: the landing tab (工作概况) opens on 本周, another tab on 本年.
  await page.waitForSelector('[data-section="work"]');
  expect(await page.textContent('.presets button.active')).toBe('本周');
  expect(await page.inputValue('input[name="from"]')).toBe(monday(today()));
  await page.click('[data-tab="overview"]');
  await page.waitForSelector('.kpi');
  await page.waitForSelector('[data-preset="year"].active');
  expect(await page.inputValue('input[name="from"]')).toBe(`${today().slice(0, 4)}-01-01`);
  expect(hashOf(page).has('from')).toBe(false);

  await page.click('[data-preset="week"]');
  await page.waitForFunction(() => location.hash.includes('from='));
  expect(hashOf(page).get('from')).toBe(monday(today()));
  expect(hashOf(page).get('to')).toBe(today());
  await page.waitForSelector('[data-preset="week"].active');

  await page.click('[data-preset="lastweek"]');
  await page.waitForFunction((to) => location.hash.includes(`to=${to}`), addDays(monday(today()), -1));
  expect(hashOf(page).get('from')).toBe(addDays(monday(today()), -7));
  for (const [key, from] of [['month', `${today().slice(0, 7)}-01`], ['year', `${today().slice(0, 4)}-01-01`]]) {
    await page.click(`[data-preset="${key}"]`);
    await page.waitForFunction((f) => location.hash.includes(`from=${f}`), from);
    await page.waitForSelector(`[data-preset="${key}"].active`);
  }
  await page.click('[data-preset="quarter"]');
  await page.waitForSelector('[data-preset="quarter"].active');
  const quarter = hashOf(page).get('from')!;
  expect(Number(quarter.slice(5, 7)) % 3).toBe(1);

  // Another tab keeps it; so does a reload.
  await page.click('[data-tab="standing"]');
  await page.waitForSelector('.as-of');
  expect(hashOf(page).get('tab')).toBe('standing');
  expect(hashOf(page).get('from')).toBe(quarter);
  await page.reload();
  await page.waitForSelector('.as-of');
  expect(await page.textContent('.presets button.active')).toBe('本季度');
  expect(await page.inputValue('input[name="from"]')).toBe(quarter);

  // Typing a start after the end is refused, in Chinese, and the range stays as it was.
  await page.fill('input[name="from"]', addDays(today(), 1));
  await page.dispatchEvent('input[name="from"]', 'change');
  await page.waitForSelector('.range-error:has-text("开始日期不能晚于结束日期")');
  expect(hashOf(page).get('from')).toBe(quarter);
  // So is such a range in the link itself, or a day that does not exist.
  await page.goto(`${suite.base}/console#tab=ledger&from=2026-12-09&to=2026-12-01`);
  await page.waitForSelector('.panel .error');
  expect(await page.textContent('.panel .error')).toBe('日期范围有误：开始日期不能晚于结束日期，请重新选择。');
  await page.goto(`${suite.base}/console#tab=ledger&from=2026-02-30&to=2026-03-01`);
  await page.waitForFunction(() => document.querySelector('.panel .error')?.textContent?.includes('2026-02-30'));
  expect(await page.textContent('.panel .error')).toBe('日期范围有误：“2026-02-30”不是有效日期，请重新选择。');
  expect(errors).toEqual([]);
  await close();
}, 60000);

test('两个全覆盖, 任务进度 and 问题台账 show other figures for another range', async () => {
  const { page, errors, close } = await open();
  // Coverage 20 days ago: 2 of 3 households; today 3 of 3, one new within the last two weeks.
  await goTo(page, `tab=overview&from=${daysAgo(30)}&to=${daysAgo(20)}`);
  expect(await page.textContent('.kpi:nth-child(2)')).toContain('2 / 3 户有联户干部，期间新增 0 户');
  await goTo(page, `tab=overview&from=${daysAgo(14)}&to=${today()}`);
  expect(await page.textContent('.kpi:nth-child(2)')).toContain('3 / 3 户有联户干部，期间新增 1 户');
  expect(await page.textContent('[data-caption="coverage"]')).toContain('覆盖情况截至');
  await page.screenshot({ path: join(DOCS, 'console-range-overview.png') });

  // Standing: 武山县财政局 checked in 20, 12, 5 and 2 days ago; as of the day before the last one, three.
  const [{ last }] = await suite.t.db.query('SELECT max(started_at) AS last FROM visits WHERE cadre_id = $1', [suite.seed.ids.zhangsan]);
  const before = addDays(shanghaiDate(last), -1);
  const financeVisits = async () => page.textContent('tr:has-text("武山县财政局") td:nth-child(3)');
  await goTo(page, `tab=standing&from=${daysAgo(60)}&to=${before}`);
  await page.waitForSelector('tr:has-text("武山县财政局")');
  const [y, m, d] = before.split('-').map(Number);
  expect(await page.textContent('.as-of')).toContain(`截至${String(y) === today().slice(0, 4) ? '' : `${y}年`}${m}月${d}日`);
  expect(await financeVisits()).toBe('3');
  await goTo(page, `tab=standing&from=${daysAgo(60)}&to=${today()}`);
  await page.waitForSelector('tr:has-text("武山县财政局")');
  expect(await financeVisits()).toBe('4');

  // The ledger: the seed's problems were reported 40 days ago.
  await goTo(page, `tab=ledger&from=${daysAgo(45)}&to=${daysAgo(35)}`);
  await page.waitForSelector('.ledger table');
  expect(await page.locator('.ledger tbody tr').count()).toBe(3);
  expect(await page.textContent('[data-caption="ledger"]')).toMatch(/上报的问题：共 3 个/);
  await goTo(page, `tab=ledger&from=${daysAgo(14)}&to=${today()}`);
  await page.waitForSelector('.ledger td.empty');
  expect(await page.textContent('[data-caption="ledger"]')).toMatch(/上报的问题：共 0 个/);

  // The presets change the figures too: the ledger's problems reported this year, then this week.
  const reportedSince = async (day: string) => (await suite.t.db.query(
    `SELECT count(*)::int AS n FROM problems p JOIN regions r ON r.id = p.village_id
      WHERE r.path LIKE (SELECT path || '%' FROM regions WHERE id = $1) AND p.status <> 'revoked'
        AND p.reported_at >= ($2::date::timestamp AT TIME ZONE 'Asia/Shanghai')`, [suite.seed.ids.wushan, day]))[0].n;
  for (const [key, since] of [['year', `${today().slice(0, 4)}-01-01`], ['week', monday(today())]]) {
    await page.click(`[data-preset="${key}"]`);
    await page.waitForSelector(`[data-preset="${key}"].active`);
    await page.waitForFunction((n) => document.querySelector('[data-caption="ledger"]')?.textContent?.includes(`上报的问题：共 ${n} 个`),
      await reportedSince(since));
  }
  expect(errors).toEqual([]);
  await close();
}, 60000);

test('printing shows the content with a title of scope and range, without navigation, tabs, range bar or buttons', async () => {
  const { page, errors, close } = await open();
  await goTo(page, `tab=ledger&from=${daysAgo(45)}&to=${today()}`);
  await page.waitForSelector('.ledger tbody tr');
  expect(await page.isVisible('.print-title')).toBe(false);
  await page.emulateMedia({ media: 'print' });
  for (const hidden of ['header.top', '.scope', 'nav.tabs', '.range', '.toolbar select', '.toolbar label', '.pager']) {
    expect([hidden, await page.isVisible(hidden)]).toEqual([hidden, false]);
  }
  expect(await page.locator('button:visible').count()).toBe(0);
  expect(await page.isVisible('.ledger table')).toBe(true);
  expect(await page.isVisible('[data-caption="ledger"]')).toBe(true);
  expect(await page.textContent('.print-title')).toBe(
    `甘肃省天水市武山县 · 问题台账 · ${daysAgo(45).replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日')}至${today().replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日')}`);
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('tbody tr')!).breakInside)).toBe('avoid');
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(10000);
  await page.screenshot({ path: join(DOCS, 'console-print.png') });
  expect(errors).toEqual([]);
  await close();
}, 60000);

test('a sparse chart on a phone: every week of the range as a bar (zeros too) with its label, the legend clear of the axis names', async () => {
  const { page, errors, close } = await open(390, 844);
  const from = daysAgo(55);
  await goTo(page, `tab=activity&from=${from}&to=${today()}`);
  await page.click('.toolbar button:has-text("按周")');
  await page.waitForSelector('#activity-chart svg');
  await page.waitForTimeout(1500); // the series' entry animation
  const weeks = Math.round((Date.parse(monday(today())) - Date.parse(monday(from))) / (7 * 24 * 3600e3)) + 1;
  const rows = await page.locator('.table-wrap tbody tr').allTextContents();
  expect(rows).toHaveLength(weeks);
  expect(rows.every((r) => /^\d+月第\d周/.test(r))).toBe(true);
  expect(rows.filter((r) => /^\d+月第\d周0/.test(r)).length).toBeGreaterThan(0);
  // Each week's label is under its bar.
  const labels = await page.evaluate(() => Array.from(document.querySelectorAll('#activity-chart svg text'))
    .filter((el) => /^\d+月第\d周$/.test(el.textContent ?? ''))
    .map((el) => ({ left: el.getBoundingClientRect().left, chart: document.getElementById('activity-chart')!.getBoundingClientRect().left })));
  expect(labels).toHaveLength(weeks);
  for (const l of labels) expect(l.left).toBeGreaterThanOrEqual(l.chart);
  // The legend's texts and the axis names (次数, 人数) do not overlap.
  const boxes = await page.evaluate(() => {
    const box = (text: string) => Array.from(document.querySelectorAll('#activity-chart svg text'))
      .filter((el) => el.textContent === text).map((el) => { const r = el.getBoundingClientRect(); return { l: r.left, t: r.top, r: r.right, b: r.bottom }; });
    return { legend: ['进村签到', '入户走访', '参与干部'].flatMap(box), axes: ['次数', '人数'].flatMap(box) };
  });
  expect(boxes.legend).toHaveLength(3);
  expect(boxes.axes).toHaveLength(2);
  for (const a of boxes.axes) {
    for (const l of boxes.legend) expect(a.r <= l.l || l.r <= a.l || a.b <= l.t || l.b <= a.t).toBe(true);
    expect(a.r).toBeLessThanOrEqual(390);
    expect(a.l).toBeGreaterThanOrEqual(0);
  }
  await page.screenshot({ path: join(DOCS, 'console-activity-phone.png') });
  expect(errors).toEqual([]);
  await close();
}, 60000);
