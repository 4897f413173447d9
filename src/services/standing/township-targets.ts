import type { EntityManager } from 'typeorm';
import { cadreDaysOnSite } from '../visits/village-checkins';
import { getRules } from '../rules/rules';
import { shanghaiYearRange } from '../../lib/time';

/**
 * The optional township "五个百" targets (泉湖乡): 100 days on site, 100
 * households visited, 100 diary days, 100 problems solved a year. Null while
 * the rule set is switched off ('five_hundreds.enabled').
 */

export interface Quota {
  done: number;
  required: number;
}

export interface FiveHundreds {
  daysOnSite: Quota;
  householdsVisited: Quota;
  diaryDays: Quota;
  problemsSolved: Quota;
}

export async function fiveHundredsForCadre(manager: EntityManager, cadreId: number, now: Date): Promise<FiveHundreds | null> {
  const rules = await getRules(manager, [
    'five_hundreds.enabled', 'five_hundreds.days_on_site', 'five_hundreds.households_visited',
    'five_hundreds.diary_days', 'five_hundreds.problems_solved',
  ]);
  if (!rules['five_hundreds.enabled']) return null;
  const { from, to } = shanghaiYearRange(now);
  const daysOnSite = await cadreDaysOnSite(manager, cadreId, now);
  const [r]: { households: number; diary: number; solved: number }[] = await manager.query(
    `SELECT (SELECT count(DISTINCT household_id) FROM household_visits
              WHERE cadre_id = $1 AND revoked_at IS NULL AND visited_at >= $2 AND visited_at < $3)::int AS households,
            (SELECT count(DISTINCT (created_at AT TIME ZONE 'Asia/Shanghai')::date) FROM diary_entries
              WHERE cadre_id = $1 AND revoked_at IS NULL AND created_at >= $2 AND created_at < $3)::int AS diary,
            (SELECT count(*) FROM problems
              WHERE closed_by_id = $1 AND status = 'closed' AND revoked_at IS NULL
                AND closed_at >= $2 AND closed_at < $3)::int AS solved`,
    [cadreId, from, to],
  );
  return {
    daysOnSite: { done: daysOnSite, required: rules['five_hundreds.days_on_site'] },
    householdsVisited: { done: r.households, required: rules['five_hundreds.households_visited'] },
    diaryDays: { done: r.diary, required: rules['five_hundreds.diary_days'] },
    problemsSolved: { done: r.solved, required: rules['five_hundreds.problems_solved'] },
  };
}
