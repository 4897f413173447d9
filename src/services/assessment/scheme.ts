import { storedRuleValues } from '../rules/rules';
import { addDays, shanghaiDate } from '../../lib/time';
import { BadInputError } from '../../lib/errors';
import type { Db } from '../../lib/db';

/**
 * The scoring scheme of 季考评/年考核 (docs/design.md §2 "Assessment"): the
 * policy rules score.* (migration 1763858700000), editable with `npm run rules
 * -- set`. Defaults mirror the seeded rows and apply when a row is missing or
 * is not a number.
 */
export const SCORE_DEFAULTS = {
  'score.household_visits': 15,
  'score.household_days': 10,
  'score.household_talks': 10,
  'score.team_days_on_site': 10,
  'score.team_days_resident': 10,
  'score.problems_in_time': 10,
  'score.notices_acknowledged': 10,
  'score.must_visits_in_time': 10,
  'score.diary_days': 5,
  'score.diary_days_per_year': 100,
  'score.help_acts': 10,
  'score.help_acts_per_year': 6,
  'score.village_visits': 25,
  'score.village_days': 25,
  'score.unit_cadres': 50,
  'score.share_work': 60,
  'score.share_leader': 20,
  'score.share_mass': 20,
};

export type ScoreScheme = typeof SCORE_DEFAULTS;

export async function loadScoreScheme(db: Db): Promise<ScoreScheme> {
  const stored = await storedRuleValues(db, Object.keys(SCORE_DEFAULTS));
  const out = { ...SCORE_DEFAULTS };
  for (const key of Object.keys(out) as (keyof ScoreScheme)[]) {
    const v = stored.get(key);
    if (typeof v === 'number' && v >= 0) out[key] = v;
  }
  return out;
}

/** An assessment period: a quarter (2026-Q1) or a year (2026), as Shanghai dates [from, to). */
export interface AssessmentPeriod {
  key: string;
  from: string;
  to: string;
  /** The quarters whose ratings count (one for a quarter, four for a year). */
  quarters: string[];
  /** Days in the period's year: quotas are yearly and pro-rated by days. */
  yearDays: number;
}

/** A year of 2000–2099 (the campaign's records), or a quarter of one. */
const PERIOD_RE = /^(20\d{2})(?:-Q([1-4]))?$/;

/** Parses a quarter (2026-Q1, or 2026Q1) or a year (2026) of 2000–2099; else a 400 naming the field `period` (code bad_period). */
export function parsePeriod(text: string): AssessmentPeriod {
  const m = PERIOD_RE.exec(text.trim().toUpperCase().replace(/^(\d{4})Q/, '$1-Q'));
  if (!m) throw new BadInputError('period', `bad assessment period ${text}`, '考评期间请写 2026-Q1 或 2026', 'bad_period');
  const year = Number(m[1]);
  const yearDays = (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000;
  if (!m[2]) {
    return { key: String(year), from: `${year}-01-01`, to: `${year + 1}-01-01`, yearDays,
      quarters: [1, 2, 3, 4].map((q) => `${year}-Q${q}`) };
  }
  const q = Number(m[2]);
  const from = `${year}-${String(q * 3 - 2).padStart(2, '0')}-01`;
  const to = q === 4 ? `${year + 1}-01-01` : `${year}-${String(q * 3 + 1).padStart(2, '0')}-01`;
  return { key: `${year}-Q${q}`, from, to, yearDays, quarters: [`${year}-Q${q}`] };
}

/** Days in [from, to). */
export const periodDays = (p: Pick<AssessmentPeriod, 'from' | 'to'>): number =>
  (Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / 86_400_000;

/** The last day of the period. */
export const lastDay = (p: AssessmentPeriod): string => addDays(p.to, -1);

/** The Shanghai quarter holding `now`, as 2026-Q4. */
export function quarterOf(now: Date): string {
  const d = shanghaiDate(now);
  return `${d.slice(0, 4)}-Q${Math.ceil(Number(d.slice(5, 7)) / 3)}`;
}

export interface SchemeRule { key: string; value: number; label: string }

/** The score.* rules with their labels, for the console; absent rows show their default. */
export async function listScoreScheme(db: Db): Promise<SchemeRule[]> {
  const rows: { key: string; label: string }[] = await db.query(
    'SELECT key, label FROM policy_rules WHERE key = ANY($1)', [Object.keys(SCORE_DEFAULTS)]);
  const labels = new Map(rows.map((r) => [r.key, r.label]));
  const scheme = await loadScoreScheme(db);
  return (Object.keys(SCORE_DEFAULTS) as (keyof ScoreScheme)[])
    .map((key) => ({ key, value: scheme[key], label: labels.get(key) ?? key }));
}

/** Whether `key` is a rule of the scoring scheme (the console edits only those). */
export const isScoreRule = (key: string): key is keyof ScoreScheme => Object.hasOwn(SCORE_DEFAULTS, key);
