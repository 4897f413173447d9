import { RegionLevel, type Region } from '../../../entities';
import { subtreeLike } from '../people/regions';
import { getRules } from '../rules/rules';
import { consoleRead } from '../console/read';
import { addDays, shanghaiDate, shanghaiYear, shanghaiYearRange, startOfShanghaiDay } from '../../lib/time';
import { CADRE_DAYS_AS_OF } from './as-of-sql';
import { CADRE_DAYS, TEAM_REQUIRED, isTeam, householdLinkSql, unitLinkSql } from './pace-sql';
import { PACE_ROWS_LIVE, PACE_ROW_FAST, ancestorPaths, paceAt } from './pace-rows';
import { requiredByNow } from './cadre-standing';
import { isTeamRole } from '../../lib/roles';
import type { Db } from '../../lib/db';

/**
 * Year-to-date standing against the docs/design.md §2 rules for everyone linked in
 * a scope, paged in SQL, from the year tallies that links and cadres carry
 * (migrations 1763857000000 and 1763857100000):
 * - by unit: each 联村 link's check-ins and days at its village vs
 *   village.visits_per_year / village.days_per_year;
 * - by cadre: each linked household's visits, talks and visit days vs the
 *   household.* rules, and team members' days on site vs team.days_on_site_per_year.
 * Pace is that of src/services/standing/cadre-standing.ts (the chat's 进度 and the digest):
 * required-by-now = floor(target × time since max(1 January, the link's start) /
 * length of the year), and only visits since the link's start count. Those
 * functions return every link of a scope unpaged; the console wraps the same
 * per-link SQL (standing-sql.ts) in sorted pages over a county or a province.
 * With `asOf` (a day before today), the figures are year-to-date as of the end of
 * that day: the pace owed then, counted from the per-day rows (as-of-sql.ts).
 */

export type StandingSort = 'behind' | 'name' | 'visits';

export interface Target { target: number; owed: number }

export interface UnitStanding {
  unitId: number;
  unitName: string;
  villageId: number;
  villageFullName: string;
  visits: number;
  days: number;
  behind: boolean;
}

export interface CadreStandingRow {
  cadreId: number;
  name: string;
  role: string;
  unitName: string | null;
  households: number;
  householdsOnPace: number;
  householdVisits: number;
  daysOnSite: number;
  /** A resident team member's days on site owed by now, pro-rated to their stay; null for others. */
  teamDaysRequired: number | null;
  behind: boolean;
}

export interface Page<T> { total: number; rows: T[]; targets: Record<string, Target>; asOf: string }

/** The instant figures stand at: now, or the last instant of `asOf`. */
function standingAt(now: Date, asOf?: string): Date {
  return asOf === undefined ? now : new Date(startOfShanghaiDay(addDays(asOf, 1)).getTime() - 1);
}

/** For the page's caption: what a link that began by 1 January owes now. */
function owed(target: number, now: Date): Target {
  return { target, owed: requiredByNow(target, now) };
}

const UNIT_ORDER: Record<StandingSort, string> = {
  behind: 'shortfall DESC, unit_name, village_full_name',
  name: 'unit_name, village_full_name',
  visits: 'visits, days, unit_name',
};

export async function unitStanding(
  db: Db, scope: Region, now: Date, page: { sort: StandingSort; behindOnly: boolean; limit: number; offset: number }, asOf?: string,
): Promise<Page<UnitStanding>> {
  now = standingAt(now, asOf);
  const rules = await getRules(db, ['village.visits_per_year', 'village.days_per_year']);
  const tv = owed(rules['village.visits_per_year'], now);
  const td = owed(rules['village.days_per_year'], now);
  const { from, to } = shanghaiYearRange(now);
  const rows: (UnitStanding & { total: number })[] = await consoleRead(db, (m) => m.query(
    `WITH counts AS (${unitLinkSql('AND r.path LIKE $7 AND r.level = 4', false, asOf !== undefined)})
     SELECT unit_id AS "unitId", unit_name AS "unitName", village_id AS "villageId", village_full_name AS "villageFullName",
            visits, days, (visits < required_visits OR days < required_days) AS behind,
            greatest(required_visits - visits, 0)::float / greatest($5, 1)
              + greatest(required_days - days, 0)::float / greatest($6, 1) AS shortfall,
            count(*) OVER ()::int AS total
       FROM counts
      WHERE NOT $8 OR visits < required_visits OR days < required_days
      ORDER BY ${UNIT_ORDER[page.sort]} LIMIT $9 OFFSET $10`,
    [now, shanghaiDate(now), from, to, tv.target, td.target, subtreeLike(scope.path), page.behindOnly, page.limit, page.offset],
  ));
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map(({ total: _t, shortfall: _s, ...r }: UnitStanding & { total: number; shortfall?: number }) => r),
    targets: { visits: tv, days: td },
    asOf: shanghaiDate(now),
  };
}

/** A pace row's figures at the instant standing is asked for ($1). */
const pace = paceAt('h', '$1::timestamptz');

const CADRE_ORDER: Record<StandingSort, string> = {
  behind: '(k.households - k.on_pace) DESC, k.name, k.id',
  name: 'k.name, k.id',
  visits: 'k.visits, k.name, k.id',
};

export async function cadreStanding(
  db: Db, scope: Region, now: Date, page: { sort: StandingSort; behindOnly: boolean; limit: number; offset: number }, asOf?: string,
): Promise<Page<CadreStandingRow>> {
  now = standingAt(now, asOf);
  // days on site, read only for the team members filtered and the page's rows
  const days = asOf ? CADRE_DAYS_AS_OF : CADRE_DAYS;
  const rules = await getRules(db, ['household.visits_per_year', 'household.days_per_year', 'household.talks_per_year', 'team.days_on_site_per_year']);
  const tv = owed(rules['household.visits_per_year'], now);
  const td = owed(rules['household.days_per_year'], now);
  const tt = owed(rules['household.talks_per_year'], now);
  const team = owed(rules['team.days_on_site_per_year'], now);
  const { from, to } = shanghaiYearRange(now);
  const rows: (CadreStandingRow & { total: number })[] = await consoleRead(db, (m) => m.query(
    `WITH per AS (${householdLinkSql(`AND chl.village_id IN (SELECT id FROM regions WHERE path LIKE $8 AND level = 4)
                                       ${asOf === undefined ? `AND chl.cadre_id IN ${PACE_ROWS_LIVE('$14::int', '$8', '$13')}` : ''}`,
                                      { ordered: false, householder: false, activeOnly: false, asOf: asOf !== undefined,
                                        perLink: scope.level >= RegionLevel.County })}),
     agg AS (
       SELECT cadre_id, count(*)::int AS households, sum(visits)::int AS visits,
              count(*) FILTER (WHERE visits >= required_visits AND days >= required_days AND talks >= required_talks)::int AS on_pace
         FROM per GROUP BY 1
       ${asOf === undefined ? `UNION ALL
       SELECT h.cadre_id, f.households, f.visits, f.households - f.behind
         FROM household_pace h
              CROSS JOIN LATERAL (SELECT ${pace.households} AS households, ${pace.visits} AS visits, ${pace.behind} AS behind) f
        WHERE ${PACE_ROW_FAST('h', '$14::int', '$8')} AND f.households > 0` : ''}),
     -- No window over the scope's cadres (a province's half million would be sorted whole): the
     -- page is a top-N sort and the total a count of the same rows.
     kept AS MATERIALIZED (
       SELECT c.id, c.name, c.role, c.unit_id, agg.households, agg.on_pace, agg.visits, ${TEAM_REQUIRED('$12')} AS team_required
         FROM agg JOIN cadres c ON c.id = agg.cadre_id
        WHERE c.active AND (NOT $9 OR agg.on_pace < agg.households
                            OR CASE WHEN ${isTeam('c')} THEN coalesce(${days('c')}, 0) < ${TEAM_REQUIRED('$12')} ELSE false END)),
     page AS (SELECT * FROM kept k ORDER BY ${CADRE_ORDER[page.sort]} LIMIT $10 OFFSET $11)
     SELECT k.id AS "cadreId", k.name, k.role, u.name AS "unitName", k.households,
            k.on_pace AS "householdsOnPace", k.visits AS "householdVisits", (SELECT count(*) FROM kept)::int AS total,
            coalesce(${days('k')}, 0) AS "daysOnSite", k.team_required AS "teamDaysRequired"
       FROM page k LEFT JOIN units u ON u.id = k.unit_id ORDER BY ${CADRE_ORDER[page.sort]}`,
    [now, shanghaiDate(now), from, to, tv.target, td.target, tt.target, subtreeLike(scope.path), page.behindOnly, page.limit, page.offset,
      team.target, ...(asOf === undefined ? [ancestorPaths(scope.path), shanghaiYear(now)] : [])],
  ));
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map(({ total: _t, ...r }) => ({
      ...r,
      behind: r.householdsOnPace < r.households || (r.teamDaysRequired !== null && r.daysOnSite < r.teamDaysRequired),
    })),
    targets: { visits: tv, days: td, talks: tt, teamDays: team },
    asOf: shanghaiDate(now),
  };
}
