import { z } from 'zod';
import { addDays, shanghaiDate, shanghaiYear, startOfShanghaiDay } from '../../lib/time';

/** Query pieces shared by the console APIs and exports. Dates are Shanghai calendar dates; `to` is inclusive. */

/** A real calendar day of 2000–2099 (the campaign's records; day series over centuries are no query). */
const date = z.string().regex(/^20\d{2}-\d{2}-\d{2}$/, 'YYYY-MM-DD, 2000–2099')
  .refine(isCalendarDay, 'not a date');

function isCalendarDay(d: string): boolean {
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
}

/** PostgreSQL `integer`: every row id is one. */
export const MAX_ID = 2147483647;

/**
 * A row id in a path, query or body: digits only (no sign, exponent, fraction or blanks),
 * 1 to 2,147,483,647, so nothing past PostgreSQL's integer ever reaches a query (400, never 500).
 */
export const idParam = z.union([z.string(), z.number().transform(String)])
  .pipe(z.string().regex(/^[1-9]\d{0,9}$/, 'must be a positive integer id'))
  .transform(Number)
  .pipe(z.number().max(MAX_ID, 'must be a positive integer id'));

export const scopeParam = idParam.optional();

export const rangeParams = {
  from: date.optional(),
  to: date.optional(),
};

/** [from 00:00, the day after `to` 00:00) in Shanghai; defaults to this year up to today. */
export function toRange(q: { from?: string; to?: string }, now: Date): { from: Date; to: Date } {
  const from = q.from ?? `${shanghaiYear(now)}-01-01`;
  const to = q.to ?? shanghaiDate(now);
  return { from: startOfShanghaiDay(from), to: startOfShanghaiDay(addDays(to, 1)) };
}

export const pageParams = {
  page: z.coerce.number().int().min(1).max(100000).default(1),
  size: z.coerce.number().int().min(1).max(200).default(20),
};

export function toPage(q: { page: number; size: number }): { limit: number; offset: number } {
  return { limit: q.size, offset: (q.page - 1) * q.size };
}

/** "1"/"true" → true; absent, "", "0", "false" → false. */
export const flag = z.preprocess((v) => v === '1' || v === 'true', z.boolean());
