import type { DataSource, EntityManager } from 'typeorm';
import type { Region } from '../../../entities';
import { subtreeLike } from '../regions';

/**
 * Visits over time for a scope: village check-ins and household visits per
 * Shanghai day, ISO week (Monday) or month. The subtree's villages come from
 * regions_path_idx; each village's rows from the (village_id, time) indexes.
 */

type Db = DataSource | EntityManager;

export type Bucket = 'day' | 'week' | 'month';

export interface ActivityPoint {
  /** The bucket's first Shanghai date, YYYY-MM-DD. */
  date: string;
  checkins: number;
  householdVisits: number;
  cadres: number;
}

export async function activitySeries(
  db: Db, scope: Region, range: { from: Date; to: Date }, bucket: Bucket,
): Promise<ActivityPoint[]> {
  const params = [subtreeLike(scope.path), range.from, range.to, bucket];
  const bucketOf = (col: string) => `to_char(date_trunc($4, ${col} AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD')`;
  const rows: { date: string; checkins: number; household_visits: number; cadres: number }[] = await db.query(
    `WITH vs AS (SELECT id FROM regions WHERE path LIKE $1 AND level = 4),
     c AS (
       SELECT ${bucketOf('v.started_at')} AS date, count(*)::int AS n, array_agg(DISTINCT v.cadre_id) AS who
         FROM vs JOIN visits v ON v.village_id = vs.id
        WHERE v.revoked_at IS NULL AND v.started_at >= $2 AND v.started_at < $3 GROUP BY 1),
     h AS (
       SELECT ${bucketOf('hv.visited_at')} AS date, count(*)::int AS n, array_agg(DISTINCT hv.cadre_id) AS who
         FROM vs JOIN household_visits hv ON hv.village_id = vs.id
        WHERE hv.revoked_at IS NULL AND hv.visited_at >= $2 AND hv.visited_at < $3 GROUP BY 1)
     SELECT coalesce(c.date, h.date) AS date, coalesce(c.n, 0) AS checkins, coalesce(h.n, 0) AS household_visits,
            (SELECT count(DISTINCT x) FROM unnest(coalesce(c.who, '{}') || coalesce(h.who, '{}')) x)::int AS cadres
       FROM c FULL JOIN h ON h.date = c.date ORDER BY 1`,
    params,
  );
  return rows.map((r) => ({ date: r.date, checkins: r.checkins, householdVisits: r.household_visits, cadres: r.cadres }));
}
