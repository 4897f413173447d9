import { seedConsole } from '../../support/scenarios/console';
import { useBrowserConsole, openConsolePage } from '../../support/browser';

/** The 考评 tab in a real browser (Debian chromium through playwright-core): the scores, a 领导评议 saved, the export link. */

const suite = useBrowserConsole((t) => seedConsole(t.db));

test('a county leader opens 考评, rates a cadre for the quarter and sees the total follow', async () => {
  const { page, errors } = await openConsolePage(suite.browser, suite.base, 'ws_leader', { viewport: { width: 1280, height: 860 } });
  await page.click('[data-tab="assessment"]');
  await page.waitForSelector('[data-section="assessment"] [data-row]');
  const text = await page.textContent('[data-section="assessment"]');
  expect(text).toContain('干部（2 人）');
  expect(text).toContain('武山县财政局');
  expect(text).toContain('走访次数');
  const row = page.locator(`[data-row="cadre-${suite.seed.ids.zhangsan}"]`);
  const before = await row.locator('strong').textContent();
  await row.locator('input').fill('90');
  await row.locator(`[data-rate="cadre-${suite.seed.ids.zhangsan}"]`).click();
  // the tab is drawn again with the new total: (work × 60 + 90 × 20) / 80
  await page.waitForFunction(([id, old]) => document.querySelector(`[data-row="cadre-${id}"] strong`)?.textContent !== old,
    [suite.seed.ids.zhangsan, before] as const);
  const [saved] = await suite.t.db.query(`SELECT score FROM assessment_ratings WHERE cadre_id = $1 AND kind = 'leader'`, [suite.seed.ids.zhangsan]);
  expect(Number(saved.score)).toBe(90);
  expect(await page.getAttribute('[data-export="assessment"]', 'href')).toMatch(/\/console\/api\/export\/assessment\.xlsx\?scope=\d+&period=\d{4}-Q[1-4]/);
  expect(errors).toEqual([]);
});

test('an admin changes a point value of the scheme from the 考评 tab', async () => {
  const { page, errors } = await openConsolePage(suite.browser, suite.base, 'sl_admin', { viewport: { width: 1280, height: 860 } });
  await page.click('[data-tab="assessment"]');
  await page.waitForSelector('[data-section="scheme"]');
  await page.click('[data-section="scheme"] summary');
  await page.fill('input[aria-label="考评：六送满分所需次数（每年）"]', '12');
  await page.click('[data-scheme="score.help_acts_per_year"]');
  await page.waitForFunction(async () => {
    const r = await fetch('/console/api/assessment/scheme').then((x) => x.json());
    return r.rules.find((x: { key: string; value: number }) => x.key === 'score.help_acts_per_year').value === 12;
  });
  const [rule] = await suite.t.db.query(`SELECT value FROM policy_rules WHERE key = 'score.help_acts_per_year'`);
  expect(rule.value).toBe(12);
  expect(errors).toEqual([]);
});
