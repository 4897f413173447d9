/**
 * Asia/Shanghai calendar helpers. China has had no daylight saving since 1991,
 * so the zone is a fixed UTC+8 offset and plain arithmetic is exact.
 */
const OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

function shifted(d: Date): Date {
  return new Date(d.getTime() + OFFSET_MS);
}

/** The Shanghai calendar date, YYYY-MM-DD. */
export function shanghaiDate(d: Date): string {
  return shifted(d).toISOString().slice(0, 10);
}

export function shanghaiYear(d: Date): number {
  return shifted(d).getUTCFullYear();
}

/** 00:00 Shanghai time of the given calendar date, as an instant. */
export function startOfShanghaiDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS);
}

/** [1 January 00:00, next 1 January 00:00) of now's Shanghai year. */
export function shanghaiYearRange(now: Date): { from: Date; to: Date } {
  const y = shanghaiYear(now);
  return { from: startOfShanghaiDay(`${y}-01-01`), to: startOfShanghaiDay(`${y + 1}-01-01`) };
}

/** YYYY-MM-DD plus n days. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Monday of the ISO week holding `date` (YYYY-MM-DD). */
export function weekStart(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((dow + 6) % 7));
}

/** As chat replies show a time: 11月23日 09:05; with the year (2027年1月6日 09:05) when it is not the year of `now`. */
export function formatShanghai(d: Date, now?: Date): string {
  const s = shifted(d);
  const hh = String(s.getUTCHours()).padStart(2, '0');
  const mm = String(s.getUTCMinutes()).padStart(2, '0');
  return `${formatDate(shanghaiDate(d), now)} ${hh}:${mm}`;
}

/** YYYY-MM-DD as 12月23日; with the year (2027年1月6日) when it is not the year of `now`. */
export function formatDate(date: string, now?: Date): string {
  const [y, m, d] = date.split('-').map(Number);
  const year = now !== undefined && y !== shanghaiYear(now) ? `${y}年` : '';
  return `${year}${m}月${d}日`;
}

/** YYYY-MM-DD as a document writes it, always with the year: 2026年12月7日. */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** Minutes as 2小时15分钟 / 40分钟. */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m}分钟`;
  return m === 0 ? `${h}小时` : `${h}小时${m}分钟`;
}
