import { addDays, weekStart } from '../../lib/time';

/**
 * The periods of an activity series across a whole range, so a chart or an export
 * shows a quiet week as a zero instead of leaving it out, each with the label
 * people read under it:
 * - day: 12月7日;
 * - week (Monday to Sunday): 12月第1周, the week's Monday's month and that Monday's
 *   rank in it (the first Monday of December is in 12月第1周; a week of Monday
 *   30 November is 11月第5周);
 * - month: 12月.
 * A range that spans more than one calendar year puts the year before each label
 * (2026年12月第1周).
 */

export type Bucket = 'day' | 'week' | 'month';

/** Dates are YYYY-MM-DD; `toExclusive` is the day after the range's last day. */
export function bucketStarts(from: string, toExclusive: string, bucket: Bucket): string[] {
  const starts: string[] = [];
  for (let d = startOf(from, bucket); d < toExclusive; d = next(d, bucket)) starts.push(d);
  return starts;
}

export function bucketLabel(start: string, bucket: Bucket, withYear: boolean): string {
  const [y, m, d] = start.split('-').map(Number);
  const year = withYear ? `${y}年` : '';
  if (bucket === 'day') return `${year}${m}月${d}日`;
  if (bucket === 'week') return `${year}${m}月第${Math.ceil(d / 7)}周`;
  return `${year}${m}月`;
}

/** Every period of the range, in order, each with its label; periods without a point get `empty`. */
export function fillBuckets<P extends { date: string }>(
  points: P[], range: { from: string; toExclusive: string }, bucket: Bucket, empty: (date: string) => P,
): (P & { label: string })[] {
  const byDate = new Map(points.map((p) => [p.date, p]));
  const withYear = range.from.slice(0, 4) !== addDays(range.toExclusive, -1).slice(0, 4);
  return bucketStarts(range.from, range.toExclusive, bucket)
    .map((date) => ({ ...(byDate.get(date) ?? empty(date)), label: bucketLabel(date, bucket, withYear) }));
}

function startOf(day: string, bucket: Bucket): string {
  if (bucket === 'day') return day;
  if (bucket === 'month') return `${day.slice(0, 7)}-01`;
  return weekStart(day);
}

function next(start: string, bucket: Bucket): string {
  if (bucket === 'day') return addDays(start, 1);
  if (bucket === 'week') return addDays(start, 7);
  const [y, m] = start.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}
