import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb, type TestDb } from '../../support/db';
import { formatRowError, importRoster } from '../../../src/services/roster';
import { generateRoster } from '../../../bench/roster-import';
import { withCsv } from '../../support/roster-helpers';

/**
 * A first import large enough that the link triggers take their bulk path
 * (more than 1,000 households and cadres: migration 1763859600000 joins such
 * sets by sorting) leaves the same coverage and pace rows as the statements
 * planned for a small set, and as counting them from the links; so does a
 * re-import that moves 1,500 households to other cadres.
 */

const HOUSEHOLDS = 12_000; // 10 a cadre: 1,200 cadres
const NOW = new Date('2026-06-15T10:00:00+08:00');

let t: TestDb;
let dir: string;
beforeAll(async () => {
  t = await createTestDb();
  dir = await mkdtemp(join(tmpdir(), 'roster-bulk-'));
  await generateRoster(dir, HOUSEHOLDS);
  const report = await importRoster(t.db, dir, { now: NOW });
  expect(report.errors.map(formatRowError)).toEqual([]);
}, 120_000);
afterAll(async () => {
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const q = (sql: string, params: unknown[] = []) => t.db.query(sql, params);

/** Households whose covered_since is not the earliest start of their open links. */
const wronglyCovered = () => q(
  `SELECT h.id, h.covered_since, m.since FROM households h
     LEFT JOIN (SELECT household_id, min(valid_from) AS since FROM cadre_household_links WHERE valid_to IS NULL GROUP BY 1) m
       ON m.household_id = h.id
    WHERE h.covered_since <> coalesce(m.since, 'infinity')`);

const paceRows = () => q(`SELECT * FROM household_pace ORDER BY cadre_id`);

/** The pace rows written by the statement for a small set, for every cadre at once. */
async function plannedPaceRows(): Promise<unknown[]> {
  await q('DELETE FROM household_pace');
  await q('SELECT household_pace_refresh_planned(ARRAY(SELECT DISTINCT cadre_id FROM cadre_household_links))');
  return paceRows();
}

test('the first import covers every household from its link and writes the pace rows as the small-set statement does', async () => {
  expect(await q('SELECT count(*)::int AS n FROM households WHERE covered_since < $1', ['infinity'])).toEqual([{ n: HOUSEHOLDS }]);
  expect(await wronglyCovered()).toEqual([]);
  const rows = await paceRows();
  expect(rows).toHaveLength(HOUSEHOLDS / 10);
  expect(await plannedPaceRows()).toEqual(rows);
});

test('a re-import moving 1,500 households to other cadres keeps coverage and pace rows true', async () => {
  // Households 0–1,499 (cadres c0–c149) go to cadres c1000–c1149: the old links close, new ones open.
  await withCsv(dir, 'households.csv', (rows) => {
    for (let i = 1; i <= 1_500; i++) rows[i][6] = `c${1_000 + Math.floor((i - 1) / 10)}`;
  });
  const report = await importRoster(t.db, dir, { now: new Date('2026-07-01T10:00:00+08:00') });
  expect(report.errors.map(formatRowError)).toEqual([]);
  const households = report.sheets.find((s) => s.kind === 'households')!;
  expect([households.linksClosed, households.linksOpened]).toEqual([1_500, 1_500]);
  expect(await wronglyCovered()).toEqual([]);
  const rows = await paceRows();
  expect(await q(`SELECT households FROM household_pace h JOIN cadres c ON c.id = h.cadre_id WHERE c.userid IN ('c0', 'c1000')`))
    .toEqual(expect.arrayContaining([{ households: 0 }, { households: 20 }]));
  expect(await plannedPaceRows()).toEqual(rows);
});
