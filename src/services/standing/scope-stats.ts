import type { EntityManager } from 'typeorm';
import { subtreeLike } from '../people/regions';
import { getRules } from '../rules/rules';
import { shanghaiDate, shanghaiYearRange, startOfShanghaiDay, addDays } from '../../lib/time';
import { VALID_ON } from '../people/links';
import { HOUSEHOLD_LINK_EARLIER, HOUSEHOLD_LINK_FIGURE, UNIT_LINK_TALLY } from './pace-sql';

/**
 * Figures for a leader's scope (统计 and the fallback 日报): 两个全覆盖
 * coverage, quota attainment this year, the problem ledger, and today's
 * activity. Each is one set-based query over the subtree's path range, reading
 * the kept tallies and rollups (history-true: an act counts for the link valid
 * when it happened), not the year's acts.
 */

export interface ScopeStats {
  villages: number;
  villagesLinked: number;
  villagesMet: number;
  households: number;
  householdsLinked: number;
  householdsVisitsMet: number;
  householdsTalksMet: number;
  problemsOpen: number;
  problemsOverdue: number;
  problemsClosedThisYear: number;
  problemsReportedThisYear: number;
  rules: { villageVisits: number; villageDays: number; householdVisits: number; householdTalks: number };
}

export async function scopeStats(manager: EntityManager, scopePath: string, now: Date): Promise<ScopeStats> {
  const rules = await getRules(manager, [
    'village.visits_per_year', 'village.days_per_year', 'household.visits_per_year', 'household.talks_per_year']);
  const { from, to } = shanghaiYearRange(now);
  const params = [subtreeLike(scopePath), shanghaiDate(now), from, to];
  // Each village's 联村 links valid today with their year tallies (each act counted for the link
  // valid when it happened); a village meets the rule when every unit linked to it does.
  const [v]: Record<string, number>[] = await manager.query(
    `WITH vs AS (SELECT id FROM regions WHERE path LIKE $1 AND level = 4),
     per AS (SELECT l.village_id, bool_and(coalesce(lt.visits, 0) >= $5 AND coalesce(lt.days, 0) >= $6) AS met
               FROM unit_village_links l ${UNIT_LINK_TALLY('l')}
              WHERE l.village_id IN (SELECT id FROM vs) AND ${VALID_ON('l')} AND $4::timestamptz IS NOT NULL
              GROUP BY l.village_id)
     SELECT (SELECT count(*) FROM vs)::int AS villages, (SELECT count(*) FROM per)::int AS linked,
            (SELECT count(*) FROM per WHERE met)::int AS met`,
    [...params, rules['village.visits_per_year'], rules['village.days_per_year']],
  );
  // Households from the coverage rollup; their visits and talks from the year tallies of their
  // 联户 links valid today.
  const [h]: Record<string, number>[] = await manager.query(
    `WITH vs AS (SELECT id FROM regions WHERE path LIKE $1 AND level = 4),
     hl AS (SELECT chl.household_id, sum(${HOUSEHOLD_LINK_FIGURE('chl', 'visits')}) AS visits,
                   sum(${HOUSEHOLD_LINK_FIGURE('chl', 'talks')}) AS talks
              FROM cadre_household_links chl ${HOUSEHOLD_LINK_EARLIER('chl')}
             WHERE chl.village_id IN (SELECT id FROM vs) AND ${VALID_ON('chl')} AND $4::timestamptz IS NOT NULL
             GROUP BY chl.household_id)
     SELECT coalesce((SELECT sum(households) FROM village_households WHERE village_id IN (SELECT id FROM vs)), 0)::int AS households,
            coalesce((SELECT sum(households) FROM village_households
                       WHERE village_id IN (SELECT id FROM vs) AND covered_since <= $2::date), 0)::int AS linked,
            (SELECT count(*) FROM hl WHERE visits >= $5)::int AS visits_met,
            (SELECT count(*) FROM hl WHERE talks >= $6)::int AS talks_met`,
    [...params, rules['household.visits_per_year'], rules['household.talks_per_year']],
  );
  const [p]: Record<string, number>[] = await manager.query(
    `SELECT count(*) FILTER (WHERE p.status = 'open')::int AS open,
            count(*) FILTER (WHERE p.status = 'open' AND p.deadline < $2::date)::int AS overdue,
            count(*) FILTER (WHERE p.status = 'closed' AND p.closed_at >= $3 AND p.closed_at < $4)::int AS closed,
            count(*) FILTER (WHERE p.reported_at >= $3 AND p.reported_at < $4)::int AS reported
       FROM problems p JOIN regions r ON r.id = p.village_id
      WHERE r.path LIKE $1 AND p.revoked_at IS NULL`,
    params,
  );
  return {
    villages: v.villages, villagesLinked: v.linked, villagesMet: v.met,
    households: h.households, householdsLinked: h.linked, householdsVisitsMet: h.visits_met, householdsTalksMet: h.talks_met,
    problemsOpen: p.open, problemsOverdue: p.overdue, problemsClosedThisYear: p.closed, problemsReportedThisYear: p.reported,
    rules: {
      villageVisits: rules['village.visits_per_year'], villageDays: rules['village.days_per_year'],
      householdVisits: rules['household.visits_per_year'], householdTalks: rules['household.talks_per_year'],
    },
  };
}

export interface DayActivity {
  date: string;
  checkins: number;
  cadresOnSite: number;
  villagesVisited: number;
  householdVisits: number;
  problemsReported: number;
  problemsClosed: number;
}

/** What happened in the scope on now's Shanghai day. */
export async function scopeDayActivity(manager: EntityManager, scopePath: string, now: Date): Promise<DayActivity> {
  const date = shanghaiDate(now);
  const from = startOfShanghaiDay(date);
  const to = startOfShanghaiDay(addDays(date, 1));
  const [r]: Record<string, number>[] = await manager.query(
    `WITH vs AS (SELECT id FROM regions WHERE path LIKE $1 AND level = 4)
     SELECT (SELECT count(*) FROM visits v JOIN vs ON vs.id = v.village_id
              WHERE v.revoked_at IS NULL AND v.started_at >= $2 AND v.started_at < $3)::int AS checkins,
            (SELECT count(DISTINCT v.cadre_id) FROM visits v JOIN vs ON vs.id = v.village_id
              WHERE v.revoked_at IS NULL AND v.started_at >= $2 AND v.started_at < $3)::int AS cadres,
            (SELECT count(DISTINCT v.village_id) FROM visits v JOIN vs ON vs.id = v.village_id
              WHERE v.revoked_at IS NULL AND v.started_at >= $2 AND v.started_at < $3)::int AS villages,
            (SELECT count(*) FROM household_visits hv JOIN vs ON vs.id = hv.village_id
              WHERE hv.revoked_at IS NULL AND hv.visited_at >= $2 AND hv.visited_at < $3)::int AS hv,
            (SELECT count(*) FROM problems p JOIN vs ON vs.id = p.village_id
              WHERE p.revoked_at IS NULL AND p.reported_at >= $2 AND p.reported_at < $3)::int AS reported,
            (SELECT count(*) FROM problems p JOIN vs ON vs.id = p.village_id
              WHERE p.revoked_at IS NULL AND p.closed_at >= $2 AND p.closed_at < $3)::int AS closed`,
    [subtreeLike(scopePath), from, to],
  );
  return {
    date, checkins: r.checkins, cadresOnSite: r.cadres, villagesVisited: r.villages,
    householdVisits: r.hv, problemsReported: r.reported, problemsClosed: r.closed,
  };
}
