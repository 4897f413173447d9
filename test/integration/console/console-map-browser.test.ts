import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { seedConsole } from '../../support/scenarios/console';
import { useBrowserConsole, openConsolePage } from '../../support/browser';
import { buildRegion, buildUnit, buildUnitVillageLink, buildVillage, buildVisit } from '../../support/factories';

/**
 * The 地图 tab in a real browser (Debian chromium through playwright-core), against the app in demo mode:
 * the county boundary and township outlines drawn on a canvas, villages coloured by their linked unit's
 * check-ins, a click on a village opening its page. Saves docs/console-map.png with UPDATE_SCREENSHOTS=1.
 */

const DOCS = process.env.UPDATE_SCREENSHOTS ? join(__dirname, '..', '..', '..', 'docs') : mkdtempSync(join(tmpdir(), 'sl-shots-'));

/** More villages of 武山县 around the seed's three, so the map reads as a county: [township, name, lat, lng, linked, checked in]. */
const MORE: [string, string, number, number, boolean, boolean][] = [
  ['yuanyang', '杨河村', 34.66, 104.86, true, true],
  ['yuanyang', '西旺村', 34.62, 104.90, true, false],
  ['yuanyang', '何家庄村', 34.68, 104.95, false, false],
  ['luomen', '蓼阳村', 34.78, 104.70, true, true],
  ['luomen', '北顺村', 34.84, 104.76, true, true],
  ['luomen', '高庙村', 34.72, 104.66, true, false],
  ['chengguan', '东街村', 34.74, 105.02, true, true],
  ['chengguan', '新观村', 34.80, 105.00, true, true],
  ['chengguan', '石岭村', 34.68, 105.06, false, false],
  ['chengguan', '漳河村', 34.62, 105.00, true, false],
  ['chengguan', '西关村', 34.76, 104.97, true, true],
];

const suite = useBrowserConsole((t) => seedConsole(t.db), {
  setup: async (t, seed) => {
    const { ids } = seed;
    ids.chengguan = (await buildRegion(t.db, { parentId: ids.wushan, name: '城关镇' })).id;
    const unit = (await buildUnit(t.db, { name: '武山县水务局' })).id;
    const start = new Date(Date.now() - 5 * 60 * 1000);
    for (const [town, name, latitude, longitude, linked, checked] of MORE) {
      const v = await buildVillage(t.db, { townId: ids[town], name, latitude, longitude });
      if (linked) await buildUnitVillageLink(t.db, { unitId: unit, villageId: v.id, validFrom: `${new Date().getUTCFullYear() - 1}-01-01` });
      if (checked) await buildVisit(t.db, { cadreId: ids.zhangsan, villageId: v.id, startedAt: start, endedAt: new Date(start.getTime() + 3600e3) });
    }
    // 张三 checks in for his unit's link: he belongs to 财政局, so give these villages 财政局's link as well
    await t.db.query(`UPDATE unit_village_links SET unit_id = $1 WHERE unit_id = $2`, [ids.finance, unit]);
  },
});

/** The pixel of a village on the page, from the chart instance's own projection. */
async function villagePixel(page: Page, name: string): Promise<{ x: number; y: number }> {
  return page.evaluate((village) => {
    const el = document.getElementById('map-chart')!;
    const chart = (window as unknown as { echarts: { getInstanceByDom(e: HTMLElement): any } }).echarts.getInstanceByDom(el);
    const series = chart.getOption().series as { data: { name: string; value: [number, number] }[] }[];
    const index = series.findIndex((s) => s.data.some((d) => d.name === village));
    const point = series[index].data.find((d) => d.name === village)!;
    const [x, y] = chart.convertToPixel({ seriesIndex: index }, point.value);
    const box = el.getBoundingClientRect();
    return { x: box.left + x, y: box.top + y };
  }, name);
}

test('a county leader opens 地图: boundaries and coloured villages on a canvas, hover names one, a click opens its page', async () => {
  const { page, errors } = await openConsolePage(suite.browser, suite.base, 'ws_leader', { viewport: { width: 1280, height: 800 } });
  await page.click('[data-tab="map"]');
  await page.waitForFunction(() => {
    const el = document.getElementById('map-chart');
    return !!el && !!(window as unknown as { echarts: { getInstanceByDom(e: HTMLElement): any } }).echarts.getInstanceByDom(el)?.getOption().series;
  });
  const text = await page.textContent('[data-section="map"]');
  // this year: 丁门村, 西坪村 and the six checked-in villages above; 西旺村, 高庙村, 漳河村 linked but not visited
  expect(text).toContain('联村单位已到村签到 8 个村，联村单位未到村签到 3 个村，无联村单位 3 个村');
  expect(text).toContain('乡镇边界由各村坐标推算');
  expect(await page.getAttribute('#map-chart', 'data-villages')).toBe('14');
  // the chart holds the three status series and the county and townships as one registered map
  const drawn = await page.evaluate(() => {
    const chart = (window as unknown as { echarts: { getInstanceByDom(e: HTMLElement): any } }).echarts.getInstanceByDom(document.getElementById('map-chart')!);
    const option = chart.getOption();
    return { series: option.series.map((s: { name: string; data: unknown[] }) => [s.name, s.data.length]), map: option.geo[0].map };
  });
  expect(drawn.series).toEqual([['联村单位已到村签到', 8], ['联村单位未到村签到', 3], ['无联村单位', 3]]);
  expect(drawn.map).toBe(`scope-${suite.seed.ids.wushan}`);
  await page.evaluate(() => window.scrollTo(0, document.querySelector('nav.tabs')!.getBoundingClientRect().top + window.scrollY - 8));
  await page.waitForTimeout(600); // the scatter's entry animation
  await page.screenshot({ path: join(DOCS, 'console-map.png') });

  // hovering a village names it, its township and its status
  const dingmen = await villagePixel(page, '丁门村');
  await page.mouse.move(dingmen.x, dingmen.y);
  await page.waitForFunction(() => document.body.innerText.includes('丁门村（鸳鸯镇）'));
  expect(await page.evaluate(() => document.body.innerText)).toContain('联村单位已到村签到');

  // coloured by this year's pace instead: the same villages under the 任务进度 rule's legend
  await page.click('[data-by="pace"]');
  await page.waitForFunction(() => document.querySelector('[data-section="map"]')!.textContent!.includes('全年进度'));
  // the chart is drawn on the next animation frame after the page: wait for the new one's series
  await page.waitForFunction(() => {
    const el = document.getElementById('map-chart');
    const chart = el && (window as unknown as { echarts: { getInstanceByDom(e: HTMLElement): any } }).echarts.getInstanceByDom(el);
    return chart?.getOption().series[0]?.name === '联村进度达标';
  });
  const pace = await page.evaluate(() => {
    const chart = (window as unknown as { echarts: { getInstanceByDom(e: HTMLElement): any } }).echarts.getInstanceByDom(document.getElementById('map-chart')!);
    return chart.getOption().series.map((s: { name: string; data: unknown[] }) => [s.name, s.data.length]);
  });
  expect(pace.map(([name]: [string]) => name)).toEqual(['联村进度达标', '联村进度滞后', '无联村单位']);
  expect(pace.reduce((n: number, [, count]: [string, number]) => n + count, 0)).toBe(14);
  expect(pace[2][1]).toBe(3);

  // a click on a village opens the village's page
  await page.waitForTimeout(600);
  const again = await villagePixel(page, '丁门村');
  await page.mouse.click(again.x, again.y);
  await page.waitForFunction(() => location.hash.includes('tab=village'));
  const hash = new URLSearchParams(await page.evaluate(() => location.hash.slice(1)));
  expect(hash.get('tab')).toBe('village');
  expect(hash.get('id')).toBe(String(suite.seed.ids.dingmen));
  await page.waitForSelector('[data-record-page="village"] h2');
  expect(await page.textContent('[data-record-page="village"] h2')).toContain('丁门村');
  expect(errors).toEqual([]);
});
