import type { Region } from '../../../entities';
import type { Db } from '../../lib/db';
import { shanghaiDate, shanghaiYearRange } from '../../lib/time';
import { subtreeLike } from '../people/regions';
import { getRules } from '../rules/rules';
import { unitLinkSql } from '../standing/pace-sql';

/**
 * The map coloured by pace: per village of the scope with a 联村 link valid
 * today, whether any of its links is behind this year's pace on check-ins or
 * days (the 任务进度 tab's rule, from the links' year tallies).
 */
export async function villagesBehindPace(db: Db, scope: Pick<Region, 'path'>, now: Date): Promise<Map<number, boolean>> {
  const rules = await getRules(db, ['village.visits_per_year', 'village.days_per_year']);
  const { from, to } = shanghaiYearRange(now);
  const rows: { villageId: number; behind: boolean }[] = await db.query(
    `SELECT village_id AS "villageId", bool_or(visits < required_visits OR days < required_days) AS behind
       FROM (${unitLinkSql('AND r.path LIKE $7 AND r.level = 4', false)}) s
      GROUP BY village_id`,
    [now, shanghaiDate(now), from, to, rules['village.visits_per_year'], rules['village.days_per_year'], subtreeLike(scope.path)],
  );
  return new Map(rows.map((r) => [r.villageId, r.behind]));
}
