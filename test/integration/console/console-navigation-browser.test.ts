import type { Page } from 'playwright-core';
import { seedConsole } from '../../support/scenarios/console';
import { useBrowserConsole, loginAs } from '../../support/browser';

/**
 * The console shell under a slow network: a tab clicked while the page before
 * it still loads shows that tab, never the slow page's late answer; and an
 * address changed during the first load is followed.
 */

const suite = useBrowserConsole((t) => seedConsole(t.db));

/** Holds the next answer of `api` (a /console/api path) for `ms`; later ones pass at once. */
async function slowOnce(page: Page, api: string, ms: number): Promise<void> {
  let held = false;
  await page.route((url) => url.pathname === `/console/api${api}`, async (route) => {
    if (!held) {
      held = true;
      await new Promise((r) => setTimeout(r, ms));
    }
    await route.continue().catch(() => undefined);
  });
}

test('a tab clicked while 工作概况 still loads stays on screen after the landing page answers', async () => {
  const page = await (await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })).newPage();
  await loginAs(page, suite.base, '/console', 'ws_leader');
  await page.locator('[data-section="work"]').waitFor();

  await page.click('[data-tab="overview"]');
  await page.locator('[data-tab="overview"].active').waitFor();
  await slowOnce(page, '/tree', 1500);
  await page.click('[data-tab="work"]'); // its first request is held
  await page.click('[data-tab="mustvisits"]'); // clicked before the landing page answers
  await page.locator('[data-section="must-visits"]').waitFor();
  await page.waitForTimeout(2500); // the landing page's requests answer meanwhile
  expect(await page.locator('[data-section="work"]').count()).toBe(0);
  expect(await page.locator('[data-section="must-visits"]').count()).toBe(1);
  expect(await page.getAttribute('[data-tab="mustvisits"]', 'class')).toBe('active');
});

test('an address changed during the first load is followed', async () => {
  const page = await (await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })).newPage();
  await loginAs(page, suite.base, '/console', 'ws_leader');
  await page.locator('[data-section="work"]').waitFor();

  await slowOnce(page, '/me', 1000);
  await page.reload();
  await page.evaluate(() => { location.hash = 'tab=mustvisits'; });
  await page.locator('[data-section="must-visits"]').waitFor({ timeout: 10000 });
  expect(await page.locator('[data-section="work"]').count()).toBe(0);
});
