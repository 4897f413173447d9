import request from 'supertest';
import ExcelJS from 'exceljs';
import { seedConsole } from '../../support/scenarios/console';
import { binary } from '../../support/xlsx';
import { useConsoleApp, sessionCookie } from '../../support/console-app';

/**
 * Exports are built in full before a byte is sent: the 问题台账 with photo links
 * (built from PUBLIC_URL, or the listen address in demo mode; never from a request
 * header), and a failure half-way is a clean error status, not a truncated file.
 */

const suite = useConsoleApp((t) => seedConsole(t.db), {
  env: { PORT: '3456' },
  setup: async ({ t, seed }) => {
    const [{ id }] = await t.db.query(
      `INSERT INTO photos (cadre_id, msg_id, media_id, status, sha256, content_type, size_bytes, storage_key, kind, problem_id, created_at, stored_at)
       VALUES ($1, '7300000000000000009', 'm9', 'stored', $2, 'image/jpeg', 10, 'k/x.jpg', 'problem', $3, now(), now()) RETURNING id`,
      [seed.ids.zhangsan, 'a'.repeat(64), seed.ids.pOverdue],
    );
    seed.ids.photo = id;
  },
});

const exportAs = (path: string, headers: Record<string, string> = {}) =>
  request(suite.app.callback()).get(path).set({ Cookie: sessionCookie(suite.deps, suite.seed.ids.wsLeader), ...headers }).buffer(true).parse(binary);

test('demo mode without PUBLIC_URL: the ledger with a photo downloads whole, its links built from the listen address', async () => {
  const res = await exportAs('/console/api/export/ledger.xlsx?from=2000-01-01', { Origin: 'https://evil.example', 'X-Forwarded-Host': 'evil.example' });
  expect(res.status).toBe(200);
  expect(Number(res.headers['content-length'])).toBe(res.body.length);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body);
  const ws = wb.getWorksheet('问题台账')!;
  const links = ws.getColumn(15).values.filter((v) => typeof v === 'string' && v.includes('/photos/'));
  expect(links).toEqual([`http://127.0.0.1:3456/photos/${suite.seed.ids.photo}`]);
});

test('a failure half-way answers a clean 500 with no xlsx, and leaves no temporary file', async () => {
  const { readdirSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const leftovers = () => readdirSync(tmpdir()).filter((f) => f.startsWith('sl-export-')).length;
  const before = leftovers();
  // The ledger's photo links are read after its first rows are written.
  await suite.t.db.query('ALTER TABLE photos RENAME TO photos_away');
  try {
    const res = await exportAs('/console/api/export/ledger.xlsx?from=2000-01-01');
    expect(res.status).toBe(500);
    expect(String(res.headers['content-type'])).toContain('application/json');
    expect(res.headers['content-disposition']).toBeUndefined();
  } finally {
    await suite.t.db.query('ALTER TABLE photos_away RENAME TO photos');
  }
  expect(leftovers()).toBe(before);
});
