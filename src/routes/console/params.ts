import { z } from 'zod';
import { addDays, shanghaiDate, shanghaiYear, startOfShanghaiDay } from '../../lib/time';

/** Query pieces shared by the console APIs and exports. Dates are Shanghai calendar dates; `to` is inclusive. */

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(d)), 'not a date');

export const scopeParam = z.coerce.number().int().positive().optional();

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
