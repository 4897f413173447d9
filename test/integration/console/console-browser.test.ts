import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { seedConsole } from '../../support/scenarios/console';
import { useBrowserConsole, loginAs as loginAsAt } from '../../support/browser';

/**
 * The console and the H5 page in a real browser (Debian chromium through
 * playwright-core), against the app in demo mode on a loopback port. Also
 * saves the screenshots docs/console.md shows (with UPDATE_SCREENSHOTS=1).
 */

// The screenshots of docs/console.md are rewritten only on request (UPDATE_SCREENSHOTS=1 npx jest console-browser),
// so a plain test run leaves the work tree clean.
const DOCS = process.env.UPDATE_SCREENSHOTS ? join(__dirname, '..', '..', '..', 'docs') : mkdtempSync(join(tmpdir(), 'sl-shots-'));

/** More history than the API tests need, so the chart and tables in the screenshots look like a working county. */
async function seedHistory(): Promise<void> {
  const { ids } = suite.seed;
  await suite.t.db.query(
    `INSERT INTO visits (cadre_id, village_id, started_at, ended_at, duration_minutes, verified, source)
     SELECT CASE WHEN g % 3 = 0 THEN $2::int ELSE $1::int END, CASE WHEN g % 3 = 0 THEN $4::int ELSE $3::int END,
            now() - make_interval(days => 30 + g * 2, hours => 6), now() - make_interval(days => 30 + g * 2, hours => 2), 240,
            g % 4 <> 0, CASE WHEN g % 2 = 0 THEN 'chat' ELSE 'h5' END
       FROM generate_series(1, 60) g WHERE (g * 7) % 5 <> 0`,
    [ids.zhangsan, ids.lisi, ids.dingmen, ids.xiping],
  );
  await suite.t.db.query(
    `INSERT INTO household_visits (cadre_id, household_id, village_id, visited_at, talk, note)
     SELECT $1, $2, $3, now() - make_interval(days => 31 + g * 3), g % 2 = 0, '走访了解生产生活情况' FROM generate_series(1, 40) g`,
    [ids.zhangsan, ids.hZhang, ids.dingmen],
  );
  const more: [string, number, number, string, number, boolean][] = [
    ['W2026-0101', ids.wangmen, ids.zhangsan, '村小学围墙开裂，存在安全隐患', -4, false],
    ['W2026-0102', ids.xiping, ids.lisi, '部分农户自来水水压不足', 12, false],
    ['W2026-0103', ids.wangmen, ids.zhangsan, '村文化广场照明不足', -20, true],
    ['W2026-0104', ids.xiping, ids.lisi, '花椒合作社缺少冷库', -2, false],
    ['W2026-0105', ids.xiping, ids.lisi, '村委会网络信号差', -15, true],
  ];
  for (const [code, village, reporter, desc, days, closed] of more) {
    await suite.t.db.query(
      `INSERT INTO problems (code, village_id, reporter_id, owner_cadre_id, description, category, status, deadline, reported_at, closed_at, close_note)
       VALUES ($1, $2, $3, $3, $4, '民生', $5, (now() + make_interval(days => $6))::date, now() - interval '35 days',
               CASE WHEN $7 THEN now() - interval '3 days' END, CASE WHEN $7 THEN '已协调解决' END)`,
      [code, village, reporter, desc, closed ? 'closed' : 'open', days, closed],
    );
  }
}

const suite = useBrowserConsole((t) => seedConsole(t.db), {
  setup: async () => {
    await seedHistory();
  },
});

const loginAs = (page: Page, path: string, userid: string) => loginAsAt(page, suite.base, path, userid);

test('a county leader drills down, filters overdue problems, closes one and exports the ledger', async () => {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await loginAs(page, '/console', 'ws_leader');
  await page.waitForSelector('[data-section="work"] .kpi');
  expect(await page.textContent('.crumbs')).toContain('武山县');
  // 两个全覆盖 is a tab beside the landing 工作概况
  await page.click('[data-tab="overview"]');
  await page.waitForSelector('text=分区覆盖情况');
  await page.screenshot({ path: join(DOCS, 'console-overview.png'), fullPage: true });

  await page.click('[data-tab="activity"]');
  await page.waitForSelector('#activity-chart svg');
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(DOCS, 'console-activity.png'), fullPage: true });

  await page.click('[data-tab="standing"]');
  await page.waitForSelector('text=武山县财政局');
  await page.click('[data-by="cadre"]');
  await page.waitForSelector('td:has-text("张三")');
  await page.screenshot({ path: join(DOCS, 'console-standing.png'), fullPage: true });

  // Drill down: 武山县 → 鸳鸯镇 → 丁门村
  await page.click('[data-tab="ledger"]');
  await page.click('button.chip:has-text("鸳鸯镇")');
  await page.waitForFunction(() => document.querySelector('.crumbs strong')?.textContent === '鸳鸯镇');
  await page.click('button.chip:has-text("丁门村")');
  await page.waitForFunction(() => document.querySelector('.crumbs strong')?.textContent === '丁门村');
  await page.waitForSelector('.ledger table');
  expect(await page.locator('.ledger tbody tr').count()).toBe(2);
  await page.check('input[name="overdue"]');
  await page.waitForFunction(() => document.querySelectorAll('.ledger tbody tr').length === 1);
  expect(await page.textContent('.ledger tbody')).toContain('村道路灯损坏');

  await page.click('.ledger tbody tr');
  await page.waitForSelector('.detail textarea');
  await page.fill('.detail textarea', '已更换全部路灯，经村民确认');
  await page.click('.detail button.primary');
  await page.waitForSelector('td.empty');
  const rows = await suite.t.db.query(`SELECT p.status, e.note, e.actor_id FROM problems p JOIN problem_events e ON e.problem_id = p.id AND e.kind = 'closed' WHERE p.id = $1`, [suite.seed.ids.pOverdue]);
  expect(rows).toEqual([{ status: 'closed', note: '已更换全部路灯，经村民确认', actor_id: suite.seed.ids.wsLeader }]);
  await page.uncheck('input[name="overdue"]');
  await page.waitForFunction(() => document.querySelectorAll('.ledger tbody tr').length === 2);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="ledger"]')]);
  expect(download.suggestedFilename()).toMatch(/^问题台账-丁门村-.*\.xlsx$/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile((await download.path())!);
  const ws = wb.getWorksheet('问题台账')!;
  // Below the title and 填报 rows, 序号 and the ledger's required columns (later columns, such as 照片, may follow).
  expect((ws.getRow(3).values as string[]).slice(1, 15)).toEqual(['序号', '编号', '县区', '乡镇', '村', '问题描述', '类别', '上报人', '上报时间',
    '责任人/责任单位', '整改期限', '状态', '销号时间', '整改说明']);
  const data = [4, 5].map((i) => (ws.getRow(i).values as string[]).slice(2));
  const closed = data.find((r) => r[4] === '村道路灯损坏，夜间出行不便')!;
  expect(closed.slice(1, 4)).toEqual(['武山县', '鸳鸯镇', '丁门村']);
  expect(closed[10]).toBe('已销号');
  expect(closed[12]).toBe('已更换全部路灯，经村民确认');

  // Back up to the county: the whole ledger, the closed problem's history.
  await page.click('.crumbs a:has-text("武山县")');
  await page.waitForFunction(() => document.querySelector('.crumbs strong')?.textContent === '武山县');
  await page.waitForFunction(() => document.querySelectorAll('.ledger tbody tr').length === 8);
  await page.click('.ledger tbody tr:has-text("路灯")');
  await page.waitForSelector('.detail .events li:nth-child(2)');
  await page.screenshot({ path: join(DOCS, 'console-ledger.png'), fullPage: true });

  // Another county is refused by the API itself, not just hidden.
  const res = await page.request.get(`${suite.base}/console/api/coverage?scope=${suite.seed.ids.gangu}`);
  expect(res.status()).toBe(403);
  // The phone layout, and docs/console-phone.png, are console-phone-browser.test.ts's.
  expect(errors).toEqual([]);
  await context.close();
}, 60000);

test('a cadre checks in through the H5 page with a mocked location; the server checks the geofence', async () => {
  const context = await suite.browser.newContext({
    viewport: { width: 390, height: 760 }, deviceScaleFactor: 2, isMobile: true, locale: 'zh-CN',
    geolocation: { latitude: suite.seed.dingmen.latitude + 0.004, longitude: suite.seed.dingmen.longitude + 0.003 }, permissions: ['geolocation'],
  });
  const page = await context.newPage();
  await loginAs(page, '/h5/checkin', 'zhangsan');
  const button = page.locator(`button[data-village="${suite.seed.ids.dingmen}"]`);
  await button.waitFor();
  expect(await button.isEnabled()).toBe(true);
  await button.click();
  await page.waitForSelector('#result.ok');
  expect(await page.textContent('#result')).toContain('已签到：天水市武山县鸳鸯镇丁门村');
  await page.screenshot({ path: join(DOCS, 'h5-checkin.png') });
  const visits = await suite.t.db.query(`SELECT village_id, verified, distance_m FROM visits WHERE cadre_id = $1 AND source = 'h5' AND started_at > now() - interval '5 minutes'`, [suite.seed.ids.zhangsan]);
  expect(visits).toHaveLength(1);
  expect(visits[0]).toMatchObject({ village_id: suite.seed.ids.dingmen, verified: true });
  expect(visits[0].distance_m).toBeGreaterThan(400);
  expect(visits[0].distance_m).toBeLessThan(700);

  // A forged request from far away is refused by the server whatever the page says.
  const far = await page.request.post(`${suite.base}/h5/api/checkin`, { data: { villageId: suite.seed.ids.xiping, latitude: 36.06, longitude: 103.83 } });
  expect(far.status()).toBe(403);
  const tooFar = await page.request.post(`${suite.base}/h5/api/checkin`, { data: { villageId: suite.seed.ids.dingmen, latitude: 36.06, longitude: 103.83 } });
  expect(tooFar.status()).toBe(422);
  expect((await tooFar.json()).message).toContain('超出签到范围');
  await context.close();
}, 60000);

test('a reminder card\'s link (#tab=ledger&problem=<id>) opens that problem in the ledger', async () => {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await loginAs(page, '/console', 'ws_leader');
  // Opened fresh, as from the card.
  await page.goto('about:blank');
  await page.goto(`${suite.base}/console#tab=ledger&problem=${suite.seed.ids.pOverdue}`);
  await page.waitForSelector('.detail h3');
  expect(await page.textContent('.detail h3')).toMatch(/^W\d{4}-0001 /);
  expect(await page.textContent('.detail')).toContain('村道路灯损坏');
  await context.close();
}, 60000);
