import { Lunar } from 'lunar-typescript';
import { addDays } from '../../lib/time';
import type { Db } from '../../lib/db';

/**
 * Festival dates, computed per year from the festivals table's calendar rules
 * with lunar-typescript (docs/design.md §2: never a hand-typed date table).
 * Every festival in the table falls in the Gregorian year of its lunar year
 * (春节 1/1 … 重阳 9/9), so lunar year Y gives the date in Gregorian year Y.
 */

export interface FestivalRule {
  id: number;
  name: string;
  calendar: 'lunar' | 'solar';
  month: number;
  day: number;
  remindDaysBefore: number;
  enabled: boolean;
}

export interface FestivalOn extends FestivalRule {
  /** YYYY-MM-DD, Asia/Shanghai calendar. */
  date: string;
  /** The first day reminders go out: date − remindDaysBefore. */
  remindOn: string;
}

/** The festival's date in a Gregorian year, YYYY-MM-DD. */
export function festivalDate(f: Pick<FestivalRule, 'calendar' | 'month' | 'day'>, year: number): string {
  if (f.calendar === 'solar') return `${year}-${String(f.month).padStart(2, '0')}-${String(f.day).padStart(2, '0')}`;
  return Lunar.fromYmd(year, f.month, f.day).getSolar().toYmd();
}

export async function loadFestivals(db: Db, includeDisabled = false): Promise<FestivalRule[]> {
  const rows: { id: number; name: string; calendar: 'lunar' | 'solar'; month: number; day: number;
    remind_days_before: number; enabled: boolean }[] = await db.query(
    `SELECT id, name, calendar, month, day, remind_days_before, enabled FROM festivals
      WHERE enabled OR $1 ORDER BY id`, [includeDisabled]);
  return rows.map((r) => ({
    id: r.id, name: r.name, calendar: r.calendar, month: r.month, day: r.day,
    remindDaysBefore: r.remind_days_before, enabled: r.enabled,
  }));
}

/** Each festival's occurrences in the given years, in date order. */
export function occurrences(festivals: FestivalRule[], years: number[]): FestivalOn[] {
  const out: FestivalOn[] = [];
  for (const year of years) {
    for (const f of festivals) {
      const date = festivalDate(f, year);
      out.push({ ...f, date, remindOn: addDays(date, -f.remindDaysBefore) });
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id);
}

/**
 * Festivals whose reminder window holds `today`: from the first reminder day
 * to the day before the festival (the festival day itself when reminders start
 * on it), so a run later in the window catches up on a missed one. Covers next
 * January's festivals from late December.
 */
export function remindingOn(festivals: FestivalRule[], today: string): FestivalOn[] {
  const y = Number(today.slice(0, 4));
  return occurrences(festivals, [y, y + 1])
    .filter((f) => f.remindOn <= today && (today < f.date || today === f.remindOn));
}

/**
 * The latest festival that ended within the last `withinDays` days before
 * `today` (the festival day itself excluded): the digest reports how many
 * linked households were visited in its window [remindOn, date].
 */
export function recentFestival(festivals: FestivalRule[], today: string, withinDays = 7): FestivalOn | null {
  const y = Number(today.slice(0, 4));
  const past = occurrences(festivals, [y - 1, y])
    .filter((f) => f.date < today && f.date >= addDays(today, -withinDays));
  return past.length > 0 ? past[past.length - 1] : null;
}
