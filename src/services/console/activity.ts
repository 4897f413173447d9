import type { Region } from '../../../entities';
import { subtreeLike } from '../people/regions';
import { addDays, shanghaiDate, startOfShanghaiDay } from '../../lib/time';
import { fillBuckets } from './buckets';
import { consoleRead } from './read';
import type { Db } from '../../lib/db';

/**
 * Visits over time for a scope: village check-ins and household visits per
 * Shanghai day, ISO week (Monday) or month, and the distinct cadres behind them.
 *
 * A province, city, county or township reads the region rollups of migration
 * 1763857700000 (a few rows per day, whatever the scope's size). A week or
 * month cut by the range holds the distinct cadres of the whole period; when
 * acts fall in its part outside the range, that bucket's cadres are counted
 * from the acts of its part inside. A village, or a range that does not
 * begin and end at Shanghai midnights, is counted from the acts themselves
 * (visits_village_started_live_idx / household_visits_village_live_idx,
 * index-only scans).
 */

export type ActivityBucket = 'day' | 'week' | 'month';

export interface ActivityPoint {
  /** The bucket's first Shanghai date, YYYY-MM-DD. */
  date: string;
  checkins: number;
  householdVisits: number;
  cadres: number;
}

/** The console's series: every period of the range, a quiet one with zeros, each with its label. */
export async function filledActivitySeries(
  db: Db, scope: Region, range: { from: Date; to: Date }, bucket: ActivityBucket,
): Promise<(ActivityPoint & { label: string })[]> {
  const days = { from: shanghaiDate(range.from), toExclusive: addDays(shanghaiDate(new Date(range.to.getTime() - 1)), 1) };
  if (days.from >= days.toExclusive) return [];
  return fillBuckets(await activitySeries(db, scope, range, bucket), days, bucket,
    (date) => ({ date, checkins: 0, householdVisits: 0, cadres: 0 }));
}

/** The deepest region level that keeps rollups (township). */
const ROLLUP_LEVEL = 3;
const PERIOD_ROWS: Record<ActivityBucket, string | null> = { day: null, week: 'w', month: 'm' };

/** The periods with acts. */
export async function activitySeries(
  db: Db, scope: Region, range: { from: Date; to: Date }, bucket: ActivityBucket,
): Promise<ActivityPoint[]> {
  const fromDay = shanghaiDate(range.from);
  const toDay = shanghaiDate(range.to);
  const aligned = startOfShanghaiDay(fromDay).getTime() === range.from.getTime()
    && startOfShanghaiDay(toDay).getTime() === range.to.getTime();
  if (scope.level > ROLLUP_LEVEL || !aligned) return countedFromActs(db, scope, range, bucket);
  if (fromDay >= toDay) return [];

  // Every day of the buckets the range touches, marked inside or outside the range.
  const days: { b: string; b_end: string; inside: boolean; checkins: number; visits: number; cadres: number }[] = await consoleRead(db, (m) => m.query(
    `SELECT to_char(date_trunc($4, start), 'YYYY-MM-DD') AS b,
            to_char(date_trunc($4, start) + ('1 ' || $4)::interval, 'YYYY-MM-DD') AS b_end,
            start >= $2::date AND start < $3::date AS inside,
            sum(checkins)::int AS checkins, sum(household_visits)::int AS visits, sum(cadres)::int AS cadres
       FROM region_activity
      WHERE region_id = $1 AND bucket = 'd'
        AND start >= date_trunc($4, $2::date)::date AND start < (date_trunc($4, $3::date - 1) + ('1 ' || $4)::interval)::date
      GROUP BY 1, 2, 3`,
    [scope.id, fromDay, toDay, bucket],
  ));
  const period = PERIOD_ROWS[bucket];
  const periodCadres = new Map<string, number>();
  if (period) {
    const rows: { b: string; cadres: number }[] = await consoleRead(db, (m) => m.query(
      `SELECT to_char(start, 'YYYY-MM-DD') AS b, sum(cadres)::int AS cadres FROM region_activity
        WHERE region_id = $1 AND bucket = $2 AND start >= date_trunc($4, $3::date)::date AND start < $5::date
        GROUP BY 1`,
      [scope.id, period, fromDay, bucket, toDay],
    ));
    for (const r of rows) periodCadres.set(r.b, r.cadres);
  }

  const buckets = new Map<string, ActivityPoint & { end: string; outsideActs: number }>();
  for (const d of days) {
    const p = buckets.get(d.b) ?? buckets.set(d.b, { date: d.b, end: d.b_end, checkins: 0, householdVisits: 0, cadres: 0, outsideActs: 0 }).get(d.b)!;
    if (d.inside) {
      p.checkins += d.checkins;
      p.householdVisits += d.visits;
      p.cadres += d.cadres;
    } else {
      p.outsideActs += d.checkins + d.visits;
    }
  }
  const points: ActivityPoint[] = [];
  for (const p of [...buckets.values()].sort((a, b) => a.date.localeCompare(b.date))) {
    if (p.checkins + p.householdVisits === 0) continue;
    let cadres = p.cadres;
    if (period) {
      cadres = p.outsideActs === 0
        ? periodCadres.get(p.date) ?? 0
        : (await countedFromActs(db, scope, {
          from: startOfShanghaiDay(p.date < fromDay ? fromDay : p.date),
          to: startOfShanghaiDay(p.end > toDay ? toDay : p.end),
        }, bucket))[0]?.cadres ?? 0;
    }
    points.push({ date: p.date, checkins: p.checkins, householdVisits: p.householdVisits, cadres });
  }
  return points;
}

/** The same series counted from the acts of the scope's villages. */
async function countedFromActs(
  db: Db, scope: Region, range: { from: Date; to: Date }, bucket: ActivityBucket,
): Promise<ActivityPoint[]> {
  const params = [subtreeLike(scope.path), range.from, range.to, bucket];
  const bucketOf = (col: string) => `date_trunc($4, ${col} AT TIME ZONE 'Asia/Shanghai')`;
  const rows: { date: string; checkins: number; household_visits: number; cadres: number }[] = await consoleRead(db, (m) => m.query(
    `WITH vs AS (SELECT id FROM regions WHERE path LIKE $1 AND level = 4),
     u AS (
       SELECT ${bucketOf('v.started_at')} AS b, v.cadre_id, true AS checkin
         FROM vs JOIN visits v ON v.village_id = vs.id
        WHERE v.revoked_at IS NULL AND v.started_at >= $2 AND v.started_at < $3
       UNION ALL
       SELECT ${bucketOf('hv.visited_at')}, hv.cadre_id, false
         FROM vs JOIN household_visits hv ON hv.village_id = vs.id
        WHERE hv.revoked_at IS NULL AND hv.visited_at >= $2 AND hv.visited_at < $3)
     SELECT to_char(b, 'YYYY-MM-DD') AS date, count(*) FILTER (WHERE checkin)::int AS checkins,
            count(*) FILTER (WHERE NOT checkin)::int AS household_visits, count(DISTINCT cadre_id)::int AS cadres
       FROM u GROUP BY b ORDER BY b`,
    params,
  ));
  return rows.map((r) => ({ date: r.date, checkins: r.checkins, householdVisits: r.household_visits, cadres: r.cadres }));
}
