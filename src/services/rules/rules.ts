import type { Db } from '../../lib/db';

/**
 * Policy rules (policy_rules) as typed values. The defaults mirror the seeded
 * rows and are used when a row is missing or holds a value of the wrong type.
 */
export const RULE_DEFAULTS = {
  'village.visits_per_year': 4,
  'village.days_per_year': 30,
  'household.visits_per_year': 2,
  'household.days_per_year': 7,
  'household.talks_per_year': 2,
  'team.days_on_site_per_year': 220,
  'team.days_resident_per_year': 160,
  'five_hundreds.enabled': false as boolean,
  'five_hundreds.days_on_site': 100,
  'five_hundreds.households_visited': 100,
  'five_hundreds.diary_days': 100,
  'five_hundreds.problems_solved': 100,
  'five_hundreds.suggestions': 100,
  'problem.deadline_days': 30,
  'problem.escalate_after_days': 7,
  'checkin.default_radius_m': 3000,
  'checkin.duplicate_minutes': 30,
  'checkin.auto_checkout_cap_hours': 8,
  'checkin.stay_cap_hours': 24,
  'chat.undo_minutes': 10,
  'notice.followup_hours': 2,
  'notice.followup_daily_hour': 8,
  'notice.followup_days': 3,
  'notice.report_hours': 24,
  'notice.urge_minutes': 30,
  'must_visit.due_days': 3,
  'must_visit.escalate_after_days': 3,
  'retention.raw_days': 180,
  'inspection.unannounced_months': 1,
  'inspection.central_months': 3,
};

export type Rules = typeof RULE_DEFAULTS;
export type RuleKey = keyof Rules;

/**
 * Values read in one transaction, by its query runner (TypeORM gives every
 * transaction its own): a 签到 asks for rules twice, and a transaction sees one
 * set of rules throughout. Inside a transaction the first read takes every
 * typed rule at once (a few dozen small rows), so a chat command's later rules
 * cost no round trip. Nothing in a transaction writes policy_rules and then
 * reads them through here.
 */
const inTransaction = new WeakMap<object, Map<RuleKey, unknown>>();
const ALL_KEYS = Object.keys(RULE_DEFAULTS) as RuleKey[];

/** Reads the given rules in one query (none when the transaction has read them all). */
export async function getRules<K extends RuleKey>(db: Db, keys: K[]): Promise<Pick<Rules, K>> {
  const runner = 'queryRunner' in db && db.queryRunner?.isTransactionActive ? db.queryRunner : undefined;
  const seen = runner ? inTransaction.get(runner) ?? new Map<RuleKey, unknown>() : new Map<RuleKey, unknown>();
  if (runner) inTransaction.set(runner, seen);
  const wanted: RuleKey[] = keys.filter((k) => !seen.has(k));
  const missing = runner && wanted.length > 0 ? ALL_KEYS.filter((k) => !seen.has(k)) : wanted;
  if (missing.length > 0) {
    const rows: { key: RuleKey; value: unknown }[] = await db.query(
      'SELECT key, value FROM policy_rules WHERE key = ANY($1)',
      [missing],
    );
    for (const k of missing) seen.set(k, RULE_DEFAULTS[k]);
    for (const r of rows) {
      if (typeof r.value === typeof RULE_DEFAULTS[r.key]) seen.set(r.key, r.value);
    }
  }
  const out = {} as Pick<Rules, K>;
  for (const k of keys) out[k] = seen.get(k) as Rules[K];
  return out;
}

export async function getRule<K extends RuleKey>(db: Db, key: K): Promise<Rules[K]> {
  return (await getRules(db, [key]))[key];
}

/** Stored values of any rules, untyped (schedules validate their own crons); a key without a row is absent. */
export async function storedRuleValues(db: Db, keys: string[]): Promise<Map<string, unknown>> {
  const rows: { key: string; value: unknown }[] = await db.query('SELECT key, value FROM policy_rules WHERE key = ANY($1)', [keys]);
  return new Map(rows.map((r) => [r.key, r.value]));
}
