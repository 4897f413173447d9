import type { EntityManager } from 'typeorm';
import { subtreeLike } from '../people/regions';
import { getRules } from '../rules/rules';
import { shanghaiDate, shanghaiYearRange, startOfShanghaiDay, addDays } from '../../lib/time';
import { VALID_ON } from '../people/links';

/**
 * Figures for a leader's scope (统计 and the fallback 日报): 两个全覆盖
 * coverage, quota attainment this year, the problem ledger, and today's
 * activity. Each is one set-based query over the subtree's path range.
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
  const [v]: Record<string, number>[] = await manager.query(
    `WITH vs AS (SELECT id FROM regions WHERE path LIKE $1 AND level = 4),
     links AS (SELECT DISTINCT l.village_id, l.unit_id FROM unit_village_links l JOIN vs ON vs.id = l.village_id WHERE ${VALID_ON('l')}),
     vv AS (SELECT v.village_id, v.started_at, coalesce(v.ended_at, v.started_at) AS ended_at
              FROM visits v JOIN links ON links.village_id = v.village_id JOIN cadres c ON c.id = v.cadre_id AND c.unit_id = links.unit_id
             WHERE v.revoked_at IS NULL AND v.started_at >= $3 AND v.started_at < $4),
     per AS (SELECT village_id, count(*) AS visits FROM vv GROUP BY village_id),
     per_days AS (SELECT village_id, count(DISTINCT d) AS days FROM vv,
                    generate_series((started_at AT TIME ZONE 'Asia/Shanghai')::date, (ended_at AT TIME ZONE 'Asia/Shanghai')::date, interval '1 day') d
                   GROUP BY village_id)
     SELECT (SELECT count(*) FROM vs)::int AS villages,
            (SELECT count(DISTINCT village_id) FROM links)::int AS linked,
            (SELECT count(*) FROM per JOIN per_days USING (village_id) WHERE visits >= $5 AND days >= $6)::int AS met`,
    [...params, rules['village.visits_per_year'], rules['village.days_per_year']],
  );
  const [h]: Record<string, number>[] = await manager.query(
    `WITH vs AS (SELECT id FROM regions WHERE path LIKE $1 AND level = 4),
     hh AS (SELECT h.id FROM households h JOIN vs ON vs.id = h.village_id),
     hl AS (SELECT DISTINCT chl.household_id, chl.cadre_id FROM cadre_household_links chl JOIN hh ON hh.id = chl.household_id WHERE ${VALID_ON('chl')}),
     hv AS (SELECT hv.household_id, count(*) AS visits, count(*) FILTER (WHERE hv.talk) AS talks
              FROM household_visits hv JOIN hl ON hl.household_id = hv.household_id AND hl.cadre_id = hv.cadre_id
             WHERE hv.revoked_at IS NULL AND hv.visited_at >= $3 AND hv.visited_at < $4 GROUP BY hv.household_id)
     SELECT (SELECT count(*) FROM hh)::int AS households,
            (SELECT count(DISTINCT household_id) FROM hl)::int AS linked,
            (SELECT count(*) FROM hv WHERE visits >= $5)::int AS visits_met,
            (SELECT count(*) FROM hv WHERE talks >= $6)::int AS talks_met`,
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
