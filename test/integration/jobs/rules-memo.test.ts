import { createTestDb, type TestDb } from '../../support/db';
import { getRule, getRules } from '../../../src/services/rules/rules';

/** Policy rules are read once per transaction, all at the first read; the next transaction sees an edit. */

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.drop());

test('a transaction reads a rule once and keeps its value; the next one reads the edit', async () => {
  await t.db.transaction(async (m) => {
    const queries: string[] = [];
    const query = m.query.bind(m);
    m.query = (sql: string, params?: unknown[]) => (queries.push(sql), query(sql, params));
    expect(await getRule(m, 'checkin.duplicate_minutes')).toBe(30);
    await t.db.query(`UPDATE policy_rules SET value = '45'::jsonb WHERE key = 'checkin.duplicate_minutes'`);
    await t.db.query(`UPDATE policy_rules SET value = '5'::jsonb WHERE key = 'village.visits_per_year'`);
    // the bot's savepoint runs on the same transaction
    await m.transaction(async (inner) => {
      expect(await getRules(inner, ['checkin.duplicate_minutes', 'village.visits_per_year']))
        .toEqual({ 'checkin.duplicate_minutes': 30, 'village.visits_per_year': 4 });
    });
    // the first read took every rule: a chat command's later rules cost no round trip
    expect(queries.filter((q) => q.includes('policy_rules'))).toHaveLength(1);
  });
  await t.db.transaction(async (m) => expect(await getRule(m, 'checkin.duplicate_minutes')).toBe(45));
  expect(await getRule(t.db, 'village.visits_per_year')).toBe(5);
  await t.db.query(`UPDATE policy_rules SET value = '4'::jsonb WHERE key = 'village.visits_per_year'`);
  expect(await getRule(t.db, 'checkin.duplicate_minutes')).toBe(45);
});
