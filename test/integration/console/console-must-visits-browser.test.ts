import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedConsole } from '../../support/scenarios/console';
import { useBrowserConsole, openConsolePage } from '../../support/browser';
import { buildMustVisit, buildNotice, buildNoticeRecipient } from '../../support/factories';

/**
 * The 五必访 tab and the 通知回执 tab's 五必到 kinds in a real browser (Debian
 * chromium through playwright-core); saves the screenshot docs/console.md shows
 * (with UPDATE_SCREENSHOTS=1).
 */

const DOCS = process.env.UPDATE_SCREENSHOTS ? join(__dirname, '..', '..', '..', 'docs') : mkdtempSync(join(tmpdir(), 'sl-shots-'));
const DAY = 86_400_000;
const suite = useBrowserConsole((t) => seedConsole(t.db), {
  setup: async (t, seed) => {
    const { ids } = seed;
    const ago = (days: number) => new Date(Date.now() - days * DAY);
    await buildMustVisit(t.db, { householdId: ids.hZhang, reporterId: ids.lisi, cadreId: ids.zhangsan, kind: '生病住院',
      reportedAt: ago(10), dueAt: ago(7), doneAt: ago(8) });
    await buildMustVisit(t.db, { householdId: ids.hWang, reporterId: ids.zhangsan, cadreId: ids.lisi, kind: '邻里纠纷',
      reportedAt: ago(6), dueAt: ago(3), doneAt: null });
    const notice = await buildNotice(t.db, { senderId: ids.wsLeader, scopeRegionId: ids.wushan, kind: '会议', content: '全县双联工作推进会',
      createdAt: ago(4) });
    await buildNoticeRecipient(t.db, { noticeId: notice.id, cadreId: ids.zhangsan, ackedAt: ago(4) });
  },
});

test('a county leader opens 五必访: the figures, each township, each cadre, the overdue event and the export', async () => {
  const { page, errors } = await openConsolePage(suite.browser, suite.base, 'ws_leader', { viewport: { width: 1280, height: 800 } });
  await page.click('[data-tab="mustvisits"]');
  await page.waitForSelector('[data-section="must-visits"]');
  const text = await page.textContent('[data-section="must-visits"]');
  expect(await page.textContent('[data-figure="due"] .kpi-value')).toBe('2 件');
  expect(await page.textContent('[data-figure="in-time"] .kpi-value')).toBe('50.0%');
  expect(await page.textContent('[data-figure="overdue"] .kpi-value')).toBe('1 件');
  expect(text).toContain('各乡镇');
  expect(text).toContain('洛门镇');
  expect(text).toContain('逾期未走访（1 件）');
  expect(text).toMatch(/武山县洛门镇西坪村王老汉邻里纠纷张三李四/);
  expect(await page.locator('[data-export="must-visits"]').count()).toBe(1);
  await page.evaluate(() => window.scrollTo(0, document.querySelector('.tabs')!.getBoundingClientRect().top + window.scrollY - 8));
  await page.screenshot({ path: join(DOCS, 'console-must-visits.png') });

  await page.click('[data-tab="notices"]');
  await page.waitForSelector('table.kinds');
  const kinds = await page.textContent('table.kinds');
  expect(kinds).toContain('会议（重要会议）');
  expect(kinds).toMatch(/会议（重要会议）1\s*1\s*0\s*0\.0%/);
  expect(await page.textContent('main')).toContain('全县双联工作推进会');
  expect(errors).toEqual([]);
});
