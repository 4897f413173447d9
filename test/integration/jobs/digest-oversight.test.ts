import type { DataSource } from 'typeorm';
import { createTestDb, type TestDb } from '../../support/db';
import { IDS } from '../../support/scenarios/jobs';
import { DIGEST_NOW, seedDigestDataset } from '../../support/scenarios/digest';
import { buildDigest, renderDigestMarkdown } from '../../../src/services/digest/build';

/**
 * The oversight a county's and a township's digest carries (docs/design.md §2):
 * villages without the 督查 each kind is due (明察暗访 monthly, 集中督查 quarterly,
 * by the inspection.* rules), and resident team members below pace on 220/160.
 */

let t: TestDb;
let db: DataSource;

const inspect = (villageId: number, kind: string, at: string, revoked = false) => db.query(
  `INSERT INTO inspections (cadre_id, village_id, kind, note, inspected_at, revoked_at) VALUES ($1, $2, $3, '检查', $4, $5)`,
  [IDS.countyLeader, villageId, kind, at, revoked ? at : null]);

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await seedDigestDataset(db);
  await inspect(IDS.dingmen, '明察暗访', '2026-11-10T10:00:00+08:00');
  await inspect(IDS.wangmen, '明察暗访', '2026-10-20T10:00:00+08:00'); // last month
  await inspect(IDS.wangmen, '明察暗访', '2026-11-20T10:00:00+08:00', true); // undone
  await inspect(IDS.xiping, '集中督查', '2026-10-15T10:00:00+08:00');
});
afterAll(() => t.drop());

it('gives a township the villages without this month\'s 明察暗访 and this quarter\'s 集中督查, and its team behind pace', async () => {
  const d = await buildDigest(db.manager, IDS.yuanyang, DIGEST_NOW, 'day');
  expect(d.oversight).toMatchObject({
    villages: 2, unannouncedMonths: 1, centralMonths: 3, noUnannounced: 1, noCentral: 2, noUnannouncedNames: ['王门村'], teamBehind: 1,
  });
  // 李娜 (队长): 2 days on site of the 196 owed by 23 November, no night
  expect(d.oversight!.team).toMatchObject([{ name: '李娜', villageName: '丁门村', daysOnSite: 2, requiredOnSite: 196, daysResident: 0, requiredResident: 143 }]);
  const md = renderDigestMarkdown(d);
  expect(md).toContain('> 督查：本月未明察暗访 <font color="warning">1</font>/2 个村，本季度未集中督查 <font color="warning">2</font>/2 个村');
  expect(md).toContain('**本月未明察暗访的村**\n王门村\n**驻村队员进度落后（1人）**\n1. 李娜（丁门村）到村2/196天，驻村0/143天');
});

it('names a county\'s villages with their township; a city digest has no oversight part', async () => {
  const d = await buildDigest(db.manager, IDS.county, DIGEST_NOW, 'day');
  expect(d.oversight).toMatchObject({ villages: 3, noUnannounced: 2, noCentral: 2, noUnannouncedNames: ['鸳鸯镇王门村', '洛门镇西坪村'] });
  const city = await buildDigest(db.manager, IDS.city, DIGEST_NOW, 'day');
  expect(city.oversight).toBeNull();
  expect(renderDigestMarkdown(city)).not.toContain('督查');
});

it('the monthly digest of November counts November; the daily digest of 1 December starts a new month', async () => {
  const dec1 = new Date('2026-12-01T08:00:00+08:00');
  expect((await buildDigest(db.manager, IDS.county, dec1, 'month')).oversight).toMatchObject({ noUnannounced: 2, noCentral: 2 });
  expect((await buildDigest(db.manager, IDS.county, dec1, 'day')).oversight).toMatchObject({ noUnannounced: 3, noCentral: 2 });
});

it('follows the rules: 明察暗访 due once a quarter counts October\'s', async () => {
  await db.query(`UPDATE policy_rules SET value = '3'::jsonb WHERE key = 'inspection.unannounced_months'`);
  try {
    const d = await buildDigest(db.manager, IDS.county, DIGEST_NOW, 'day');
    expect(d.oversight).toMatchObject({ unannouncedMonths: 3, noUnannounced: 1, noUnannouncedNames: ['洛门镇西坪村'] });
    expect(renderDigestMarkdown(d)).toContain('> 督查：本季度未明察暗访 <font color="warning">1</font>/3 个村');
  } finally {
    await db.query(`UPDATE policy_rules SET value = '1'::jsonb WHERE key = 'inspection.unannounced_months'`);
  }
});
