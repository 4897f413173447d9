import { addDays, shanghaiDate, startOfShanghaiDay, weekStart } from '../../lib/time';

/** The periods a digest covers (周检查、月小结、季考评、年考核 beside the daily one). */
export const DIGEST_PERIODS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type DigestPeriod = (typeof DIGEST_PERIODS)[number];

/**
 * The windows a digest reports on (Asia/Shanghai dates, [from, to) exclusive):
 * 'day' is today (so far), compared with yesterday and the same weekday last
 * week; 'week', 'month', 'quarter' and 'year' are the last COMPLETE period
 * before today (the Monday 08:00 周检查 reports the week just ended, the
 * January 年考核 the year just ended), compared with the period before it.
 *
 * Year-to-date figures (households visited, the closure rate, pace) are those
 * of the period's own year, the year it began, as they stood at the end of its
 * last day in that year (`asOf`): a digest sent on 1 January describes the
 * year that ended, and a week from 28 December to 3 January stands at 31 December.
 */

export interface DateRange {
  from: string;
  to: string;
}

export interface PeriodWindows {
  period: DigestPeriod;
  /** Idempotency key of the period: 2026-11-23, week-2026-11-16, 2026-10, 2026-Q3, 2026. */
  key: string;
  current: DateRange;
  previous: DateRange;
  /** 'day' only: the same weekday a week before. */
  lastWeek: DateRange | null;
  /** Villages count as visited when a check-in started in this range (this week so far, for 'day'). */
  coverage: DateRange;
  today: string;
  /** The year whose year-to-date figures the digest shows. */
  year: number;
  /** The last day those figures cover (today, for 'day'). */
  asOf: string;
}

const monthStart = (y: number, m: number) => {
  const d = new Date(Date.UTC(y, m - 1, 1));
  return d.toISOString().slice(0, 10);
};

export function periodWindows(now: Date, period: DigestPeriod): PeriodWindows {
  const w = windowsOf(now, period);
  if (period === 'day') return { ...w, year: Number(w.today.slice(0, 4)), asOf: w.today };
  const year = Number(w.current.from.slice(0, 4));
  const lastDay = addDays(w.current.to, -1);
  return { ...w, year, asOf: lastDay.startsWith(String(year)) ? lastDay : `${year}-12-31` };
}

function windowsOf(now: Date, period: DigestPeriod): Omit<PeriodWindows, 'year' | 'asOf'> {
  const today = shanghaiDate(now);
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  switch (period) {
    case 'day': {
      const current = { from: today, to: addDays(today, 1) };
      return {
        period, key: today, current, today,
        previous: { from: addDays(today, -1), to: today },
        lastWeek: { from: addDays(today, -7), to: addDays(today, -6) },
        coverage: { from: weekStart(today), to: current.to },
      };
    }
    case 'week': {
      const to = weekStart(today);
      const current = { from: addDays(to, -7), to };
      return {
        period, key: `week-${current.from}`, current, today, lastWeek: null, coverage: current,
        previous: { from: addDays(to, -14), to: current.from },
      };
    }
    case 'month': {
      const current = { from: monthStart(y, m - 1), to: monthStart(y, m) };
      return {
        period, key: current.from.slice(0, 7), current, today, lastWeek: null, coverage: current,
        previous: { from: monthStart(y, m - 2), to: current.from },
      };
    }
    case 'quarter': {
      const q0 = Math.floor((m - 1) / 3) * 3 + 1; // first month of today's quarter
      const current = { from: monthStart(y, q0 - 3), to: monthStart(y, q0) };
      const qy = Number(current.from.slice(0, 4));
      const qn = Math.floor((Number(current.from.slice(5, 7)) - 1) / 3) + 1;
      return {
        period, key: `${qy}-Q${qn}`, current, today, lastWeek: null, coverage: current,
        previous: { from: monthStart(y, q0 - 6), to: current.from },
      };
    }
    case 'year': {
      const current = { from: monthStart(y - 1, 1), to: monthStart(y, 1) };
      return {
        period, key: String(y - 1), current, today, lastWeek: null, coverage: current,
        previous: { from: monthStart(y - 2, 1), to: current.from },
      };
    }
  }
}

/** [from, to) as instants for SQL. */
export function instants(r: DateRange): [Date, Date] {
  return [startOfShanghaiDay(r.from), startOfShanghaiDay(r.to)];
}
