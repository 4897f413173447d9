import type { Region } from '../../../entities';
import { subtreeLike } from '../people/regions';
import { consoleRead } from './read';
import type { Db } from '../../lib/db';

/**
 * Visits over time for a scope: village check-ins and household visits per
 * Shanghai day, ISO week (Monday) or month. The subtree's villages come from
 * regions_path_idx; each village's rows from the covering partial indexes
 * visits_village_started_live_idx / household_visits_village_live_idx
 * (index-only scans).
 */

export type ActivityBucket = 'day' | 'week' | 'month';

export interface ActivityPoint {
  /** The bucket's first Shanghai date, YYYY-MM-DD. */
  date: string;
  checkins: number;
  householdVisits: number;
  cadres: number;
}

export async function activitySeries(
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
