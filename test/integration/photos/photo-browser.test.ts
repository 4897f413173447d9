import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeTestPhoto } from '../../support/photos';
import { useBrowserConsole } from '../../support/browser';
import { photoKey } from '../../../src/services/photos/storage';
import { seedConsole } from '../../support/scenarios/console';

/** The ledger's detail panel in a real browser shows a problem's photo thumbnail (allowed by the CSP, served in scope). */


let dir: string;

const suite = useBrowserConsole((t) => seedConsole(t.db), {
  env: () => ({ DATA_DIR: dir }),
  setup: async (t, seed) => {
    dir = await mkdtemp(join(tmpdir(), 'sl-photo-browser-'));
    const { photo, sha } = await storeTestPhoto(dir, 140);
    await t.db.query(
      `INSERT INTO photos (cadre_id, msg_id, media_id, status, sha256, content_type, size_bytes, storage_key, kind, problem_id, created_at, stored_at)
       VALUES ($1, '7300000000000000001', 'm1', 'stored', $2, 'image/jpeg', $3, $4, 'problem', $5, now(), now())`,
      [seed.ids.zhangsan, sha, photo.length, photoKey(sha, 'image/jpeg'), seed.ids.pOverdue],
    );
  },
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('a leader opens a problem and sees its photo thumbnail, linking to the full picture', async () => {
  const { base } = suite;
  const page = await (await suite.browser.newContext({ locale: 'zh-CN' })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`); });
  await page.goto(`${base}/console`);
  await page.waitForURL(/\/console\/login/);
  await page.click('button[data-userid="ws_leader"]');
  await page.waitForSelector('.kpi');
  await page.click('[data-tab="ledger"]');
  await page.click('.ledger tbody tr:has-text("村道路灯损坏")');
  await page.waitForSelector('.detail .photos img');
  await page.waitForFunction(() => (document.querySelector('.detail .photos img') as HTMLImageElement).complete);
  const img = await page.$eval('.detail .photos img', (el) => {
    const i = el as HTMLImageElement;
    return { width: i.naturalWidth, href: i.closest('a')!.getAttribute('href') };
  });
  expect(img.width).toBe(320);
  expect(img.href).toMatch(/^\/photos\/\d+$/);
  expect(await page.textContent('.detail h4:has-text("照片")')).toBe('照片（1）');
  expect(errors).toEqual([]);
});
