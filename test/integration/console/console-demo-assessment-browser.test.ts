import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { useBrowserConsole } from '../../support/browser';
import { loadDemoRosterIfEmpty } from '../../../src/demo/roster';
import { demoQuarter, seedDemoQuarter } from '../../../src/demo/activity';
import { assessRegion } from '../../../src/services/assessment/scores';
import { parsePeriod } from '../../../src/services/assessment/scheme';
import { getProvince } from '../../../src/services/people/regions';

/**
 * Demo mode's scored quarter: the demo roster and its quarter of work, then the
 * 考评 tab opened by a county leader shows that quarter ranked, with each
 * score's breakdown and the 领导评议 and 群众评议 given (the screenshot
 * docs/console.md shows, with UPDATE_SCREENSHOTS=1).
 */

const DOCS = process.env.UPDATE_SCREENSHOTS ? join(__dirname, '..', '..', '..', 'docs') : mkdtempSync(join(tmpdir(), 'sl-shots-'));
let period: string;

const suite = useBrowserConsole(async (t) => {
  const logger = pino({ level: 'silent' });
  await loadDemoRosterIfEmpty(t.db, logger);
  return seedDemoQuarter(t.db, logger);
}, {
  setup: async (_t, seed) => {
    ({ period } = seed);
  },
  timeout: 120000,
});

test('the demo quarter has work, 领导评议 and 群众评议 for the cadres, and their scores differ', async () => {
  expect(period).toBe(demoQuarter(new Date()));
  const result = await assessRegion(suite.t.db, (await getProvince(suite.t.db))!, parsePeriod(period));
  expect(result.cadres.length).toBeGreaterThanOrEqual(14);
  expect(result.cadres.filter((c) => c.work > 0).length).toBeGreaterThanOrEqual(10);
  expect(result.cadres.filter((c) => c.leader !== null).length).toBeGreaterThan(3);
  expect(result.cadres.filter((c) => c.mass !== null).length).toBeGreaterThan(3);
  expect(new Set(result.cadres.map((c) => c.total)).size).toBeGreaterThan(5);
  expect(result.units.filter((u) => u.work > 0).length).toBeGreaterThan(3);
  const keys = new Set(result.cadres.flatMap((c) => c.components.filter((x) => x.points > 0).map((x) => x.key)));
  expect([...keys]).toEqual(expect.arrayContaining(['household_visits', 'team_days_on_site', 'team_days_resident', 'must_visits_in_time', 'diary_days', 'help_acts']));
});

test('赵磊 (武山县) opens 考评 in demo mode and sees the demo quarter ranked, with breakdowns and both 评议', async () => {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const login = await context.newPage();
  await login.goto(`${suite.base}/console`);
  await login.waitForURL(/\/console\/login/);
  await login.click('button[data-userid="zhaolei"]');
  await login.waitForSelector('[data-tab="assessment"]');
  // a fresh page on the tab's link (#tab=assessment): its first open
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${suite.base}/console#tab=assessment`);
  await page.waitForSelector('[data-section="assessment"] [data-row]', { timeout: 20000 }).catch(async (e) => {
    console.log(page.url(), errors, (await page.textContent('body'))?.slice(0, 1500));
    throw e;
  });
  await page.screenshot({ path: join(DOCS, 'console-demo-assessment.png') });
  expect(await page.inputValue('[data-section="assessment"] select')).toBe(period);
  const rows = page.locator('[data-section="assessment"] [data-row^="cadre-"]');
  expect(await rows.count()).toBeGreaterThan(1);
  const first = await rows.nth(0).locator('td').allTextContents();
  expect(first[0]).toBe('1');
  expect(first[8]).toMatch(/走访次数 [\d.]+\/15/);
  const totals = await rows.locator('strong').allTextContents();
  expect(totals.map(Number)).toEqual([...totals.map(Number)].sort((a, b) => b - a));
  expect(totals.some((x) => Number(x) > 0)).toBe(true);
  const leader = await rows.locator('input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(leader.some((v) => v !== '')).toBe(true);
  expect((await rows.locator('td:nth-child(7)').allTextContents()).some((v) => v !== '')).toBe(true);
  expect(errors).toEqual([]);
}, 60000);
