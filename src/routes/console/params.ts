import { z } from 'zod';
import { BadInputError } from '../../lib/errors';
import { addDays, shanghaiDate, shanghaiYear, startOfShanghaiDay } from '../../lib/time';

const BAD_DATE = '日期应为2000年至2099年间的有效日期（如2026-12-07）';
const FROM_AFTER_TO = '开始日期不能晚于结束日期。';

/** Query pieces shared by the console APIs and exports. Dates are Shanghai calendar dates; `to` is inclusive. */

/** A real calendar day of 2000–2099 (the campaign's records; day series over centuries are no query). */
const date = z.string().regex(/^20\d{2}-\d{2}-\d{2}$/, BAD_DATE)
  .refine(isCalendarDay, BAD_DATE);

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

/**
 * [from 00:00, the day after `to` 00:00) in Shanghai; defaults to this year up to today.
 * A `from` after `to` is refused (400 naming the field given), never turned into an empty range.
 */
export function toRange(q: { from?: string; to?: string }, now: Date): { from: Date; to: Date } {
  const from = q.from ?? `${shanghaiYear(now)}-01-01`;
  const to = q.to ?? shanghaiDate(now);
  if (from > to) throw new BadInputError(q.from ? 'from' : 'to', `range: from ${from} after to ${to}`, FROM_AFTER_TO);
  return { from: startOfShanghaiDay(from), to: startOfShanghaiDay(addDays(to, 1)) };
}

/**
 * The day a page's figures stand at: `to` when it is before today (Shanghai), else undefined
 * (today: the figures as they are now). A `to` after today is today.
 */
export function asOfDay(q: { from?: string; to?: string }, now: Date): string | undefined {
  toRange(q, now);
  return q.to !== undefined && q.to < shanghaiDate(now) ? q.to : undefined;
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
