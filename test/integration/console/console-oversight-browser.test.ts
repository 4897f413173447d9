import { seedConsole } from '../../support/scenarios/console';
import { useBrowserConsole, openConsolePage } from '../../support/browser';
import { recordHelpAct } from '../../../src/services/aid/help-acts';

/** The 帮扶督查 tab in a real browser (Debian chromium through playwright-core), against the app in demo mode. */

const suite = useBrowserConsole((t) => seedConsole(t.db), {
  setup: async (t, seed) => {
    const { ids } = seed;
    await t.db.query(`UPDATE households SET poverty_cause = '因病', aid_status = '监测户' WHERE id = $1`, [ids.hLi]);
    await t.db.transaction((m) => recordHelpAct(m, {
      cadreId: ids.zhangsan, household: { id: ids.hZhang, villageId: ids.dingmen }, kind: '送资金', note: '3000元 养殖补助', amountYuan: 3000, now: new Date() }));
  },
});

test('a county leader opens 帮扶督查 and sees the 六送 acts, the villages without 督查, and the households\' 帮扶状态', async () => {
  const { page, errors } = await openConsolePage(suite.browser, suite.base, 'ws_leader', { viewport: { width: 1280, height: 860 } });
  // the uncovered household 李大娘 (unlinked below) shows its 帮扶状态 on 两个全覆盖
  await suite.t.db.query(`UPDATE cadre_household_links SET valid_to = (now() AT TIME ZONE 'Asia/Shanghai')::date WHERE household_id = $1`, [suite.seed.ids.hLi]);
  await page.click('[data-tab="oversight"]');
  await page.waitForSelector('[data-section="oversight"]');
  const text = await page.textContent('[data-section="oversight"]');
  expect(text).toContain('六送帮扶（今年共 1 次，送资金 3000 元）');
  expect(text).toContain('鸳鸯镇');
  expect(text).toMatch(/督查：本月未明察暗访 3 \/ 3 个村，本季度未集中督查 3 \/ 3 个村/);
  expect(text).toContain('天水市武山县鸳鸯镇丁门村');
  expect(await page.locator('[data-export="help"]').count()).toBe(1);
  await page.click('[data-tab="overview"]');
  await page.waitForSelector('.kpi');
  expect(await page.textContent('main')).toContain('监测户');
  expect(errors).toEqual([]);
});
