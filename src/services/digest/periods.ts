import { addDays, shanghaiDate, startOfShanghaiDay } from '../../lib/time';

/** The periods a digest covers (周检查、月小结、季考评 beside the daily one). */
export const DIGEST_PERIODS = ['day', 'week', 'month', 'quarter'] as const;
export type DigestPeriod = (typeof DIGEST_PERIODS)[number];

/**
 * The windows a digest reports on (Asia/Shanghai dates, [from, to) exclusive):
 * 'day' is today (so far), compared with yesterday and the same weekday last
 * week; 'week', 'month' and 'quarter' are the last COMPLETE period before
 * today (the Monday 08:00 周检查 reports the week just ended), compared with
 * the period before it.
 */

export interface DateRange {
  from: string;
  to: string;
}

export interface PeriodWindows {
  period: DigestPeriod;
  /** Idempotency key of the period: 2026-11-23, 2026-W2026-11-16, 2026-10, 2026-Q3. */
  key: string;
  current: DateRange;
  previous: DateRange;
  /** 'day' only: the same weekday a week before. */
  lastWeek: DateRange | null;
  /** Villages count as visited when a check-in started in this range (this week so far, for 'day'). */
  coverage: DateRange;
  today: string;
}

const monthStart = (y: number, m: number) => {
  const d = new Date(Date.UTC(y, m - 1, 1));
  return d.toISOString().slice(0, 10);
};

/** Monday of the ISO week holding `date`. */
export function weekStart(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((dow + 6) % 7));
}

export function periodWindows(now: Date, period: DigestPeriod): PeriodWindows {
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
  }
}

/** [from, to) as instants for SQL. */
export function instants(r: DateRange): [Date, Date] {
  return [startOfShanghaiDay(r.from), startOfShanghaiDay(r.to)];
}
