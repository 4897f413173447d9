import type { EntityManager } from 'typeorm';
import type { Cadre } from '../../entities';
import { villageVisitCounts, type VisitCounts } from './checkin';
import { isTeamMember } from './cadres';
import { linkedVillages } from './links';
import { getRules } from './rules';
import { shanghaiDate, shanghaiYearRange } from './time';

/**
 * One cadre's year-to-date figures against every rule that applies to them
 * (the chat's 进度). The jobs area's standing service covers all cadres at
 * once for reminders and the console; this is the single-person read.
 */

export interface Quota {
  done: number;
  required: number;
}

export interface CadreProgress {
  villages: { id: number; fullName: string; visits: Quota; days: Quota }[];
  households: {
    total: number;
    visitsMet: number;
    daysMet: number;
    talksMet: number;
    behind: { householder: string; visits: number; days: number; talks: number }[];
  };
  rules: { householdVisits: number; householdDays: number; householdTalks: number };
  team: { daysOnSite: Quota; daysResident: Quota } | null;
  fiveHundreds: { daysOnSite: Quota; householdsVisited: Quota; diaryDays: Quota; problemsSolved: Quota } | null;
}

type Who = Pick<Cadre, 'id' | 'unitId' | 'role'>;

export async function cadreProgress(manager: EntityManager, cadre: Who, now: Date): Promise<CadreProgress> {
  const rules = await getRules(manager, [
    'village.visits_per_year', 'village.days_per_year', 'household.visits_per_year', 'household.days_per_year',
    'household.talks_per_year', 'team.days_on_site_per_year', 'team.days_resident_per_year', 'five_hundreds.enabled',
    'five_hundreds.days_on_site', 'five_hundreds.households_visited', 'five_hundreds.diary_days', 'five_hundreds.problems_solved',
  ]);
  const villages = [];
  for (const v of (await linkedVillages(manager, cadre, now)).filter((x) => x.viaUnit && cadre.unitId !== null)) {
    const c = await villageVisitCounts(manager, { unitId: cadre.unitId! }, v.id, now);
    villages.push({
      id: v.id, fullName: v.fullName,
      visits: { done: c.visits, required: rules['village.visits_per_year'] },
      days: { done: c.days, required: rules['village.days_per_year'] },
    });
  }
  const households = await householdFigures(manager, cadre.id, now, rules);
  const own = isTeamMember(cadre) || rules['five_hundreds.enabled'] ? await ownDays(manager, cadre.id, now) : null;
  const team = isTeamMember(cadre) && own ? {
    daysOnSite: { done: own.days, required: rules['team.days_on_site_per_year'] },
    daysResident: { done: own.residentDays, required: rules['team.days_resident_per_year'] },
  } : null;
  const fiveHundreds = rules['five_hundreds.enabled'] && own
    ? await fiveHundredFigures(manager, cadre.id, now, own, rules) : null;
  return {
    villages, households, team, fiveHundreds,
    rules: {
      householdVisits: rules['household.visits_per_year'],
      householdDays: rules['household.days_per_year'],
      householdTalks: rules['household.talks_per_year'],
    },
  };
}

async function householdFigures(
  manager: EntityManager, cadreId: number, now: Date,
  rules: { 'household.visits_per_year': number; 'household.days_per_year': number; 'household.talks_per_year': number },
): Promise<CadreProgress['households']> {
  const { from, to } = shanghaiYearRange(now);
  const rows: { householder: string; visits: number; days: number; talks: number }[] = await manager.query(
    `SELECT h.householder,
            count(hv.id)::int AS visits,
            count(DISTINCT (hv.visited_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS days,
            count(hv.id) FILTER (WHERE hv.talk)::int AS talks
       FROM cadre_household_links chl JOIN households h ON h.id = chl.household_id
       LEFT JOIN household_visits hv ON hv.household_id = h.id AND hv.cadre_id = chl.cadre_id
             AND hv.revoked_at IS NULL AND hv.visited_at >= $3 AND hv.visited_at < $4
      WHERE chl.cadre_id = $1 AND chl.valid_from <= $2::date AND (chl.valid_to IS NULL OR chl.valid_to > $2::date)
      GROUP BY h.id, h.householder ORDER BY count(hv.id), h.id`,
    [cadreId, shanghaiDate(now), from, to],
  );
  const v = rules['household.visits_per_year'];
  const d = rules['household.days_per_year'];
  const t = rules['household.talks_per_year'];
  return {
    total: rows.length,
    visitsMet: rows.filter((r) => r.visits >= v).length,
    daysMet: rows.filter((r) => r.days >= d).length,
    talksMet: rows.filter((r) => r.talks >= t).length,
    behind: rows.filter((r) => r.visits < v || r.days < d || r.talks < t),
  };
}

/** Days at any village this year; resident days are nights spent there (a visit spanning midnight). */
async function ownDays(manager: EntityManager, cadreId: number, now: Date): Promise<VisitCounts & { residentDays: number }> {
  const all = await villageVisitCounts(manager, { cadreId }, null, now);
  const { from, to } = shanghaiYearRange(now);
  const rows: { n: number }[] = await manager.query(
    `SELECT count(DISTINCT d)::int AS n FROM visits v,
            generate_series((v.started_at AT TIME ZONE 'Asia/Shanghai')::date,
                            (coalesce(v.ended_at, v.started_at) AT TIME ZONE 'Asia/Shanghai')::date - 1, interval '1 day') d
      WHERE v.cadre_id = $1 AND v.revoked_at IS NULL AND v.started_at >= $2 AND v.started_at < $3`,
    [cadreId, from, to],
  );
  return { ...all, residentDays: rows[0].n };
}

async function fiveHundredFigures(
  manager: EntityManager, cadreId: number, now: Date, own: VisitCounts,
  rules: Record<'five_hundreds.days_on_site' | 'five_hundreds.households_visited' | 'five_hundreds.diary_days' | 'five_hundreds.problems_solved', number>,
): Promise<NonNullable<CadreProgress['fiveHundreds']>> {
  const { from, to } = shanghaiYearRange(now);
  const rows: { households: number; diary: number; solved: number }[] = await manager.query(
    `SELECT (SELECT count(DISTINCT household_id) FROM household_visits
              WHERE cadre_id = $1 AND revoked_at IS NULL AND visited_at >= $2 AND visited_at < $3)::int AS households,
            (SELECT count(DISTINCT (created_at AT TIME ZONE 'Asia/Shanghai')::date) FROM diary_entries
              WHERE cadre_id = $1 AND revoked_at IS NULL AND created_at >= $2 AND created_at < $3)::int AS diary,
            (SELECT count(*) FROM problems
              WHERE closed_by_id = $1 AND status = 'closed' AND closed_at >= $2 AND closed_at < $3)::int AS solved`,
    [cadreId, from, to],
  );
  const r = rows[0];
  return {
    daysOnSite: { done: own.days, required: rules['five_hundreds.days_on_site'] },
    householdsVisited: { done: r.households, required: rules['five_hundreds.households_visited'] },
    diaryDays: { done: r.diary, required: rules['five_hundreds.diary_days'] },
    problemsSolved: { done: r.solved, required: rules['five_hundreds.problems_solved'] },
  };
}
