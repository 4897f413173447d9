/** Asia/Shanghai has no daylight saving: local time is UTC+8 all year. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The seed's notion of "this year so far", in Asia/Shanghai days. */
export interface SeedClock {
  now: Date;
  year: number;
  /** 00:00 Asia/Shanghai on 1 January, as epoch ms. */
  yearStartMs: number;
  /** 00:00 Asia/Shanghai today, as epoch ms. */
  todayStartMs: number;
  /** Whole days from 1 January up to (not including) today; at least 1. */
  pastDays: number;
}

export function seedClock(now: Date): SeedClock {
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  const year = local.getUTCFullYear();
  const yearStartMs = Date.UTC(year, 0, 1) - SHANGHAI_OFFSET_MS;
  const todayStartMs = Date.UTC(year, local.getUTCMonth(), local.getUTCDate()) - SHANGHAI_OFFSET_MS;
  return { now, year, yearStartMs, todayStartMs, pastDays: Math.max(1, Math.round((todayStartMs - yearStartMs) / DAY_MS)) };
}

/** Epoch ms of local time `minuteOfDay` on day `day` (0 = 1 January), Asia/Shanghai. */
export function localMs(clock: SeedClock, day: number, minuteOfDay: number): number {
  return clock.yearStartMs + day * DAY_MS + minuteOfDay * 60_000;
}

/** YYYY-MM-DD of an epoch ms, Asia/Shanghai. */
export function localDate(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export { DAY_MS };
