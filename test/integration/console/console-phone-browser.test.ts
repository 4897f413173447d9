import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { seedConsole } from '../../support/scenarios/console';
import { buildProblem, buildUnit, buildUnitVillageLink } from '../../support/factories';
import { useBrowserConsole, loginAs, openConsolePage } from '../../support/browser';

/**
 * The console on a phone (390×844, as WeCom opens it): every tab the page offers,
 * whoever added it, the record pages and a cadre's 我的双联. Nothing is wider than the screen (wide
 * tables scroll inside their own box), no text is squeezed to a character or two per
 * line, and the tab bar that scrolls sideways says so with a fade at the edge that
 * has more. Saves docs/console-phone.png with UPDATE_SCREENSHOTS=1.
 */

const DOCS = process.env.UPDATE_SCREENSHOTS ? join(__dirname, '..', '..', '..', 'docs') : mkdtempSync(join(tmpdir(), 'sl-shots-'));
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };

const suite = useBrowserConsole((t) => seedConsole(t.db), {
  setup: async (t, seed) => {
    const { ids } = seed;
    // Long names and text, as real rosters have them.
    const unit = await buildUnit(t.db, { name: '天水市武山县农业农村局乡村振兴服务中心' });
    await buildUnitVillageLink(t.db, { unitId: unit.id, villageId: ids.wangmen, validFrom: `${new Date().getUTCFullYear()}-01-01` });
    await buildProblem(t.db, {
      code: 'W2026-0901', villageId: ids.wangmen, reporterId: ids.zhangsan, ownerCadreId: ids.zhangsan, ownerUnitId: unit.id,
      description: '村委会至王门小学道路约两公里路面破损严重，雨天积水，学生上下学和农用车辆通行困难，群众反映强烈', category: '基础设施',
    });
  },
});

/** Waits until the tab's panel has finished loading. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const panel = document.querySelector('main .panel, main > div:last-child');
    return !!panel && !/加载中/.test(panel.textContent ?? '');
  });
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(150);
}

interface PhoneProblems {
  pageWidth: number;
  screenWidth: number;
  /** Texts of three or more characters laid out in a box under three characters wide and more than two lines tall. */
  squeezed: string[];
  /** Elements reaching past 390 px outside any box that scrolls or clips them (what makes the page too wide). */
  beyond: string[];
}

/** What is wrong with the page at phone width, read in the page. */
function phoneProblems(page: Page): Promise<PhoneProblems> {
  return page.evaluate(() => {
    const squeezed: string[] = [];
    const beyond: string[] = [];
    const clipped = (el: Element): boolean => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') return true;
      }
      return false;
    };
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      if (el.getBoundingClientRect().right > 391 && !clipped(el) && beyond.length < 5) {
        beyond.push(`${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? '').trim().slice(0, 20)}`);
      }
      const own = Array.from(el.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim();
      if ([...own].length < 3 || el.offsetParent === null) continue;
      const style = getComputedStyle(el);
      const font = parseFloat(style.fontSize);
      const line = parseFloat(style.lineHeight) || font * 1.5;
      const width = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const range = document.createRange();
      range.selectNodeContents(el);
      const height = range.getBoundingClientRect().height;
      if (style.display !== 'inline' && width > 0 && width < font * 3 && height > line * 2.2) squeezed.push(own.slice(0, 20));
    }
    return { pageWidth: document.documentElement.scrollWidth, screenWidth: window.innerWidth, squeezed, beyond };
  });
}

async function expectFitsPhone(page: Page, what: string): Promise<void> {
  const p = await phoneProblems(page);
  expect({ what, ...p }).toEqual({ what, pageWidth: p.screenWidth, screenWidth: 390, squeezed: [], beyond: [] });
}

/** The tab bar's scroll state: whether it overflows, and which edges show the fade. */
function tabCue(page: Page): Promise<{ overflows: boolean; start: string; end: string; activeVisible: boolean }> {
  return page.evaluate(() => {
    const tabs = document.querySelector<HTMLElement>('nav.tabs')!;
    const box = tabs.parentElement!;
    const active = tabs.querySelector<HTMLElement>('button.active');
    const bar = tabs.getBoundingClientRect();
    const a = active?.getBoundingClientRect();
    return {
      overflows: tabs.scrollWidth > tabs.clientWidth + 1,
      start: getComputedStyle(box, '::before').opacity,
      end: getComputedStyle(box, '::after').opacity,
      activeVisible: !a || (a.left >= bar.left - 1 && a.right <= bar.right + 1),
    };
  });
}

test('every tab at 390 px: nothing wider than the screen, no text a character per line, the tab bar shows it scrolls', async () => {
  const { context, page, errors } = await openConsolePage(suite.browser, suite.base, 'ws_leader', { context: PHONE, waitFor: 'nav.tabs button' });
  await settled(page);

  // The tab bar is wider than the phone: a fade at the end says there is more, none at the start.
  expect(await tabCue(page)).toMatchObject({ overflows: true, start: '0', end: '1' });

  const tabs = await page.$$eval('nav.tabs button[data-tab]', (bs) => bs.map((b) => [b.getAttribute('data-tab')!, b.textContent!.trim()]));
  expect(tabs.map(([, title]) => title)).toEqual(expect.arrayContaining(['两个全覆盖', '走访动态', '任务进度', '问题台账', '通知回执', '帮扶督查', '考评']));
  for (const [key, title] of tabs) {
    await page.click(`nav.tabs button[data-tab="${key}"]`);
    await page.waitForFunction((k) => document.querySelector(`nav.tabs button[data-tab="${k}"]`)?.classList.contains('active'), key);
    await settled(page);
    await expectFitsPhone(page, title);
    // The open tab is scrolled into view.
    expect({ title, visible: (await tabCue(page)).activeVisible }).toEqual({ title, visible: true });
    if (key === 'ledger') await page.screenshot({ path: join(DOCS, 'console-phone.png'), fullPage: false, scale: 'css' });
  }

  // Scrolled to its end, the fade moves to the start.
  await page.$eval('nav.tabs', (el) => el.scrollTo({ left: el.scrollWidth }));
  await page.waitForTimeout(200);
  expect(await tabCue(page)).toMatchObject({ start: '1', end: '0' });

  // A problem opened on the phone: its detail below the list, still within the screen.
  await page.click('nav.tabs button[data-tab="ledger"]');
  await settled(page);
  await page.click('.ledger tbody tr:has-text("W2026-0901")');
  await page.waitForSelector('.detail h3');
  await expectFitsPhone(page, '问题详情');
  expect(errors).toEqual([]);
  await context.close();
}, 180000);

test('the record pages (village, unit, cadre, household, notice) at 390 px: within the screen, no text a character per line', async () => {
  const { ids } = suite.seed;
  const { context, page, errors } = await openConsolePage(suite.browser, suite.base, 'ws_leader', { context: PHONE, waitFor: 'nav.tabs button' });
  await settled(page);
  for (const [tab, id] of [['village', ids.dingmen], ['unit', ids.finance], ['cadre', ids.zhangsan], ['household', ids.hZhang], ['notice', ids.notice]]) {
    await page.goto(`${suite.base}/console#scope=${ids.wushan}&tab=${tab}&id=${id}`);
    await page.waitForFunction((k) => document.querySelector(`nav.tabs button.active[data-tab="${k}"]`), tab);
    await settled(page);
    await expectFitsPhone(page, `${tab} ${id}`);
  }
  expect(errors).toEqual([]);
  await context.close();
}, 120000);

test('a cadre\'s 我的双联 (standing and 我的记录) at 390 px: within the screen, no text a character per line', async () => {
  const context = await suite.browser.newContext(PHONE);
  const page = await context.newPage();
  await loginAs(page, suite.base, '/console', 'zhangsan');
  await page.waitForSelector('main h3');
  await settled(page);
  const text = await page.textContent('main');
  expect(text).toContain('我的记录');
  // Villages as people write them, never the stored path.
  expect(text).toContain('天水市武山县鸳鸯镇丁门村');
  expect(text).not.toContain('甘肃省/');
  await expectFitsPhone(page, '我的双联');
  await context.close();
}, 60000);
