import pino from 'pino';
import { createTestDb, type TestDb } from '../../support/db';
import { loadDemoRosterIfEmpty } from '../../../src/demo/roster';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.drop();
});

test('the demo roster loads into an empty database, once', async () => {
  const logger = pino({ level: 'silent' });
  const counts = await loadDemoRosterIfEmpty(t.db, logger, { now: new Date('2026-03-15T02:00:00Z') });
  expect(counts).toEqual({ villages: 17, units: 8, cadres: 20, households: 99, groups: 3 });
  // two full coverages: every village has a linked unit, every household a linked cadre
  const [gaps] = await t.db.query(`SELECT
      (SELECT count(*)::int FROM villages v WHERE NOT EXISTS
         (SELECT 1 FROM unit_village_links l WHERE l.village_id = v.id AND l.valid_to IS NULL)) AS villages,
      (SELECT count(*)::int FROM households h WHERE NOT EXISTS
         (SELECT 1 FROM cadre_household_links l WHERE l.household_id = h.id AND l.valid_to IS NULL)) AS households`);
  expect(gaps).toEqual({ villages: 0, households: 0 });
  expect(await loadDemoRosterIfEmpty(t.db, logger)).toBeNull();
});
