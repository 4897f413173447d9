import type { DataSource } from 'typeorm';
import { createTestDb, type TestDb } from '../../support/db';
import { buildCadre, buildHousehold, buildHouseholdLink, buildRegionPath, buildVillage } from '../../support/factories';
import { buildDigest, renderDigestMarkdown } from '../../../src/services/digest/build';

/** 季考评 and 年考核 digests name the five cadres with the highest and the five with the lowest scores. */

let t: TestDb;
let db: DataSource;
let townId = 0;
const names = ['甲', '乙', '丙', '丁', '戊', '己', '庚'].map((n) => `干部${n}`);

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  const path = await buildRegionPath(db, { names: ['甘肃省', '天水市', '甘谷县', '大像山镇'] });
  townId = path[3].id;
  const v = await buildVillage(db, { townId, name: '城关村' });
  // 干部甲 writes the diary on 6 days of Q1 2025, 干部乙 on 5, … 干部庚 on none: totals fall in that order.
  for (const [i, name] of names.entries()) {
    const c = await buildCadre(db, { name });
    const h = await buildHousehold(db, { villageId: v.id });
    await buildHouseholdLink(db, { cadreId: c.id, householdId: h.id, validFrom: '2025-01-01' });
    for (let d = 0; d < 6 - i; d++) {
      await db.query('INSERT INTO diary_entries (cadre_id, village_id, content, created_at) VALUES ($1, $2, $3, $4)',
        [c.id, v.id, '日记', `2025-02-${String(d + 1).padStart(2, '0')}T20:00:00+08:00`]);
    }
  }
});
afterAll(() => t.drop());

it('the quarterly digest lists the top five and the remaining lowest, lowest first', async () => {
  const d = await buildDigest(db, townId, new Date('2025-04-01T08:00:00+08:00'), 'quarter');
  expect(d.assessment!.top.map((x) => x.name)).toEqual(names.slice(0, 5));
  expect(d.assessment!.bottom.map((x) => x.name)).toEqual(['干部庚', '干部己']);
  expect(d.assessment!.top[0].total).toBeGreaterThan(d.assessment!.top[1].total);
  const text = renderDigestMarkdown(d);
  expect(text).toContain('**考评前五名**\n1. 干部甲');
  expect(text).toContain('**考评后五名**\n1. 干部庚');
});

it('the annual digest scores the year; a daily digest has none', async () => {
  const y = await buildDigest(db, townId, new Date('2026-01-02T08:00:00+08:00'), 'year');
  expect(y.assessment!.top[0].name).toBe('干部甲');
  const day = await buildDigest(db, townId, new Date('2025-04-01T20:00:00+08:00'), 'day');
  expect(day.assessment).toBeNull();
  expect(renderDigestMarkdown(day)).not.toContain('考评');
});
