import type { DataSource } from 'typeorm';
import { AppError } from '../../lib/errors';
import { festivalDate, loadFestivals, type FestivalRule } from './festivals';

/**
 * Admin edits of policy_rules and festivals (`npm run rules`), validated:
 * a rule keeps its type (number ≥ 0, boolean, or a cron for schedule.*).
 */

/** A five-field cron (minute hour day month weekday) of digits, * , - and /. */
export function isCron(s: string): boolean {
  const fields = s.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f) => /^[\d*,/-]+$/.test(f));
}

export interface RuleRow {
  key: string;
  value: number | string | boolean | string[];
  label: string;
}

export async function listRules(db: DataSource): Promise<RuleRow[]> {
  return db.query('SELECT key, value, label FROM policy_rules ORDER BY key');
}

const TRUE = ['true', 'yes', '是', '1', 'on'];
const FALSE = ['false', 'no', '否', '0', 'off'];

/** Parses `text` to the type the rule already has; throws AppError('bad_rule_value') with the reason. */
export function parseRuleValue(key: string, current: unknown, text: string): number | string | boolean | string[] {
  const t = text.trim();
  if (Array.isArray(current)) {
    // A list of names (e.g. problem.photo_required_categories): 道路,饮水 or 道路、饮水; empty or 无 = none.
    return t === '' || t === '无' ? [] : t.split(/[,，、\s]+/).filter(Boolean);
  }
  if (typeof current === 'boolean') {
    if (TRUE.includes(t.toLowerCase())) return true;
    if (FALSE.includes(t.toLowerCase())) return false;
    throw new AppError('bad_rule_value', `${key} takes true or false`, '请填写 是/否');
  }
  if (typeof current === 'number') {
    const n = Number(t);
    if (t === '' || !Number.isFinite(n) || n < 0) {
      throw new AppError('bad_rule_value', `${key} takes a number ≥ 0`, '请填写不小于0的数字');
    }
    return n;
  }
  if (key.startsWith('schedule.') && !isCron(t)) {
    throw new AppError('bad_rule_value', `${key} takes a five-field cron such as "0 20 * * *"`, '请填写cron表达式');
  }
  return t;
}

export async function setRule(db: DataSource, key: string, text: string, now: Date): Promise<RuleRow> {
  const [row]: RuleRow[] = await db.query('SELECT key, value, label FROM policy_rules WHERE key = $1', [key]);
  if (!row) throw new AppError('unknown_rule', `no rule ${key}`, '没有这条规则', 404);
  const value = parseRuleValue(key, row.value, text);
  await db.query('UPDATE policy_rules SET value = $2::jsonb, updated_at = $3 WHERE key = $1', [key, JSON.stringify(value), now]);
  return { ...row, value };
}

export interface FestivalListing extends FestivalRule {
  dates: string[];
}

export async function listFestivals(db: DataSource, years: number[]): Promise<FestivalListing[]> {
  return (await loadFestivals(db, true)).map((f) => ({ ...f, dates: years.map((y) => festivalDate(f, y)) }));
}

export async function setFestival(
  db: DataSource, name: string, field: 'remind_days_before' | 'enabled', text: string,
): Promise<void> {
  const value = field === 'enabled' ? parseRuleValue(`festival ${name} enabled`, true, text)
    : parseRuleValue(`festival ${name} remind_days_before`, 0, text);
  if (field === 'remind_days_before' && (!Number.isInteger(value) || (value as number) > 30)) {
    throw new AppError('bad_rule_value', 'remind_days_before takes a whole number 0–30', '请填写0到30的整数');
  }
  const res = await db.query(`UPDATE festivals SET ${field} = $2 WHERE name = $1`, [name, value]);
  if (res[1] === 0) throw new AppError('unknown_festival', `no festival ${name}`, '没有这个节日', 404);
}
