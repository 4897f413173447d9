import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedWork } from '../../support/scenarios/work';
import { useBrowserConsole, loginAs } from '../../support/browser';
import { getRegion } from '../../../src/services/people/regions';
import { workSummary } from '../../../src/services/console/week-work';
import { addDays, shanghaiDate } from '../../../src/lib/time';

/**
 * 工作概况, the console's landing tab, in a real browser (Debian chromium through
 * playwright-core) against the app in demo mode: the figures of the period it
 * shows against the period before, a township row drilling into that township,
 * a unit row opening the unit's page, and the 通报 buttons. Saves
 * docs/console-landing.png with UPDATE_SCREENSHOTS=1.
 */

const DOCS = process.env.UPDATE_SCREENSHOTS ? join(__dirname, '..', '..', '..', 'docs') : mkdtempSync(join(tmpdir(), 'sl-shots-'));

/** Monday of this Shanghai week. */
function thisMonday(): string {
  const today = shanghaiDate(new Date());
  return addDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
}

const suite = useBrowserConsole((t) => seedWork(t.db, thisMonday()));

test('a county leader lands on 工作概况: the figures against the period before, a township drills down, a unit opens its page', async () => {
  const page = await (await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await loginAs(page, suite.base, '/console', 'ws_leader');
  const work = page.locator('[data-section="work"]');
  await work.waitFor();
  expect(await page.getAttribute('[data-tab="work"]', 'class')).toBe('active');

  // the cards show the figures of the period on the page, and the period before
  const period = { from: (await work.getAttribute('data-from'))!, to: (await work.getAttribute('data-to'))! };
  const expected = await workSummary(suite.t.db, (await getRegion(suite.t.db, suite.seed.ids.wushan))!, period);
  for (const key of ['checkins', 'villagesReached', 'householdsVisited', 'problemsOpened', 'problemsClosed', 'noticesUnacknowledged'] as const) {
    const card = page.locator(`[data-kpi="${key}"]`);
    expect(await card.locator('.kpi-value').textContent()).toMatch(new RegExp(`^${expected.current[key]}\\b`));
    expect(await card.locator('.kpi-sub').textContent()).toContain(`上期 ${expected.before[key]}`);
  }
  expect(expected.current.checkins + expected.before.checkins).toBeGreaterThan(0);
  const text = await work.textContent();
  expect(text).toContain('下级乡镇排名（由差到好）');
  expect(text).toContain('武山县财政局');
  expect(text).toContain('W2026-0103');
  expect(text).not.toContain('甘谷县');
  expect(await page.getAttribute('[data-report="download"]', 'href'))
    .toBe(`/console/api/report.docx?scope=${suite.seed.ids.wushan}&from=${period.from}&to=${period.to}`);
  await page.screenshot({ path: join(DOCS, 'console-landing.png'), fullPage: false });

  // the 通报: downloadable, and sent to the county's group through the outbox
  const docx = await page.request.get(`${suite.base}${await page.getAttribute('[data-report="download"]', 'href')}`);
  expect(docx.status()).toBe(200);
  expect(docx.headers()['content-type']).toContain('wordprocessingml');
  await page.click('[data-report="send"]');
  await page.waitForSelector('[data-report-status]:has-text("已发送至：武山县双联工作群")');
  const [{ n }] = await suite.t.db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE channel = 'robot' AND recipient = $1`, [String(suite.seed.ids.wushanGroup)]);
  expect(n).toBe(1);

  // a unit row opens the unit's page
  await page.click(`[data-section="work"] a:has-text("武山县教育局")`);
  await page.waitForFunction((id) => location.hash.includes(`tab=unit`) && location.hash.includes(`id=${id}`), suite.seed.ids.education);

  // a township row drills into the township: its villages are ranked there
  await page.goto(`${suite.base}/console#scope=${suite.seed.ids.wushan}&tab=work&from=${period.from}&to=${period.to}`);
  await page.locator('[data-section="work"]').waitFor();
  await page.click(`[data-section="work"] tr:has([data-region="${suite.seed.ids.yuanyang}"])`);
  await page.waitForFunction((id) => location.hash.includes(`scope=${id}`), suite.seed.ids.yuanyang);
  await page.waitForSelector('[data-section="work"] h3:has-text("下级村排名")');
  expect(await page.textContent('.crumbs')).toContain('鸳鸯镇');
  expect(await page.textContent('[data-section="work"]')).toContain('丁门村');
  expect(errors).toEqual([]);
});
