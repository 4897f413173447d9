import type { DataSource, EntityManager } from 'typeorm';
import type { Region } from '../../../entities';
import { subtreeLike } from '../regions';
import { getRules } from '../rules';
import { consoleRead } from './read';
import { shanghaiDate, shanghaiYearRange } from '../time';
import { VALID_ON } from '../links';

/**
 * Year-to-date standing against the DESIGN.md §2 rules for everyone linked in
 * a scope, set-based (one grouped query per table, paged in SQL):
 * - by unit: each 联村 link's check-ins and days at its village vs
 *   village.visits_per_year / village.days_per_year;
 * - by cadre: each linked household's visits, talks and visit days vs the
 *   household.* rules, and team members' days on site vs team.days_on_site_per_year.
 * Pace is the same as src/services/standing.ts (the chat's 进度 and the digest):
 * required-by-now = ceil(target × time since max(1 January, the link's start) /
 * length of the year), and only visits since the link's start count. Those
 * functions return every link of a scope unpaged; the console needs sorted pages
 * over a county or a province, hence these village-first queries.
 */

type Db = DataSource | EntityManager;

const DAYS_OF = (from: string, to: string) =>
  `generate_series((${from} AT TIME ZONE 'Asia/Shanghai')::date, (${to} AT TIME ZONE 'Asia/Shanghai')::date, interval '1 day')`;

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

export interface CadreStanding {
  cadreId: number;
  name: string;
  role: string;
  unitName: string | null;
  households: number;
  householdsOnPace: number;
  householdVisits: number;
  daysOnSite: number;
  behind: boolean;
}

export interface Page<T> { total: number; rows: T[]; targets: Record<string, Target> }

/** Share of now's Shanghai year that has passed, 0..1. */
export function yearShare(now: Date): number {
  const { from, to } = shanghaiYearRange(now);
  return Math.min(1, Math.max(0, (now.getTime() - from.getTime()) / (to.getTime() - from.getTime())));
}

/** For the page's caption: what a link that began by 1 January owes now (as requiredByNow). */
function owed(target: number, share: number): Target {
  return { target, owed: Math.ceil(target * share) };
}

/** When a link's counting starts: its valid_from (Shanghai midnight), but not before this year's start ($3). */
const SINCE = (validFrom: string) => `greatest((${validFrom}::timestamp AT TIME ZONE 'Asia/Shanghai'), $3::timestamptz)`;
/** ceil(target × elapsed share since `since`); $10 is now, $3/$4 the year's bounds. */
const REQUIRED = (target: string, since: string) =>
  `ceil(${target}::numeric * greatest(0, extract(epoch FROM ($10::timestamptz - ${since})))
        / extract(epoch FROM ($4::timestamptz - $3::timestamptz)))::int`;

const UNIT_ORDER: Record<StandingSort, string> = {
  behind: 'shortfall DESC, u.name, r.full_name',
  name: 'u.name, r.full_name',
  visits: 'visits, days, u.name',
};

export async function unitStanding(
  db: Db, scope: Region, now: Date, page: { sort: StandingSort; behindOnly: boolean; limit: number; offset: number },
): Promise<Page<UnitStanding>> {
  const rules = await getRules(db, ['village.visits_per_year', 'village.days_per_year']);
  const share = yearShare(now);
  const tv = owed(rules['village.visits_per_year'], share);
  const td = owed(rules['village.days_per_year'], share);
  const { from, to } = shanghaiYearRange(now);
  const rows: (UnitStanding & { total: number })[] = await consoleRead(db, (m) => m.query(
    `WITH links AS (
       SELECT l.unit_id, l.village_id, ${SINCE('l.valid_from')} AS since FROM regions r JOIN unit_village_links l ON l.village_id = r.id
        WHERE r.path LIKE $1 AND r.level = 4 AND ${VALID_ON('l')}),
     -- Village-first through visits_village_started_live_idx (index-only), one row per visit day;
     -- a visit is (cadre_id, started_at), counted on its first day. Only then check the cadre's unit,
     -- on the few distinct (village, cadre) pairs.
     pv AS MATERIALIZED (
       SELECT v.village_id, v.cadre_id, v.started_at, d::date = (v.started_at AT TIME ZONE 'Asia/Shanghai')::date AS first, d::date AS day
         FROM (SELECT DISTINCT village_id FROM links) lv JOIN visits v ON v.village_id = lv.village_id,
              ${DAYS_OF('v.started_at', 'coalesce(v.ended_at, v.started_at)')} d
        WHERE v.revoked_at IS NULL AND v.started_at >= $3 AND v.started_at < $4),
     own AS (
       SELECT links.unit_id, p.village_id, p.cadre_id, links.since
         FROM (SELECT DISTINCT village_id, cadre_id FROM pv) p JOIN links ON links.village_id = p.village_id
         JOIN cadres c ON c.id = p.cadre_id AND c.unit_id = links.unit_id),
     agg AS (
       SELECT own.unit_id, own.village_id, count(*) FILTER (WHERE pv.first)::int AS visits, count(DISTINCT pv.day)::int AS days
         FROM own JOIN pv ON pv.village_id = own.village_id AND pv.cadre_id = own.cadre_id AND pv.started_at >= own.since
        GROUP BY 1, 2),
     counts AS (
       SELECT links.unit_id, links.village_id, coalesce(agg.visits, 0) AS visits, coalesce(agg.days, 0) AS days,
              ${REQUIRED('$5', 'links.since')} AS rv, ${REQUIRED('$6', 'links.since')} AS rd
         FROM links LEFT JOIN agg USING (unit_id, village_id))
     SELECT counts.unit_id AS "unitId", u.name AS "unitName", counts.village_id AS "villageId",
            r.full_name AS "villageFullName", visits, days, (visits < rv OR days < rd) AS behind,
            greatest(rv - visits, 0)::float / greatest($5, 1) + greatest(rd - days, 0)::float / greatest($6, 1) AS shortfall,
            count(*) OVER ()::int AS total
       FROM counts JOIN units u ON u.id = counts.unit_id JOIN regions r ON r.id = counts.village_id
      WHERE NOT $7 OR visits < rv OR days < rd
      ORDER BY ${UNIT_ORDER[page.sort]} LIMIT $8 OFFSET $9`,
    [subtreeLike(scope.path), shanghaiDate(now), from, to, tv.target, td.target, page.behindOnly, page.limit, page.offset, now],
  ));
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map(({ total: _t, shortfall: _s, ...r }: UnitStanding & { total: number; shortfall?: number }) => r),
    targets: { visits: tv, days: td },
  };
}

const CADRE_ORDER: Record<StandingSort, string> = {
  behind: '(agg.households - agg.on_pace) DESC, c.name',
  name: 'c.name',
  visits: 'agg.visits, c.name',
};

export async function cadreStanding(
  db: Db, scope: Region, now: Date, page: { sort: StandingSort; behindOnly: boolean; limit: number; offset: number },
): Promise<Page<CadreStanding>> {
  const rules = await getRules(db, ['household.visits_per_year', 'household.days_per_year', 'household.talks_per_year', 'team.days_on_site_per_year']);
  const share = yearShare(now);
  const tv = owed(rules['household.visits_per_year'], share);
  const td = owed(rules['household.days_per_year'], share);
  const tt = owed(rules['household.talks_per_year'], share);
  const team = owed(rules['team.days_on_site_per_year'], share);
  const { from, to } = shanghaiYearRange(now);
  const rows: (CadreStanding & { total: number })[] = await consoleRead(db, (m) => m.query(
    `WITH vs AS (SELECT id FROM regions WHERE path LIKE $1 AND level = 4),
     links AS (
       SELECT chl.cadre_id, chl.household_id, ${SINCE('chl.valid_from')} AS since FROM vs JOIN households h ON h.village_id = vs.id
         JOIN cadre_household_links chl ON chl.household_id = h.id
        WHERE ${VALID_ON('chl')}),
     hv AS (
       SELECT hv.household_id, hv.cadre_id, hv.visited_at, hv.talk
         FROM vs JOIN household_visits hv ON hv.village_id = vs.id
        WHERE hv.revoked_at IS NULL AND hv.visited_at >= $3 AND hv.visited_at < $4),
     per AS (
       SELECT links.cadre_id, links.household_id, links.since, count(hv.cadre_id)::int AS visits,
              count(hv.cadre_id) FILTER (WHERE hv.talk)::int AS talks,
              count(DISTINCT (hv.visited_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS days
         FROM links LEFT JOIN hv ON hv.household_id = links.household_id AND hv.cadre_id = links.cadre_id
              AND hv.visited_at >= links.since
        GROUP BY 1, 2, 3),
     agg AS (
       SELECT cadre_id, count(*)::int AS households, sum(visits)::int AS visits,
              count(*) FILTER (WHERE visits >= ${REQUIRED('$5', 'since')} AND days >= ${REQUIRED('$6', 'since')}
                                 AND talks >= ${REQUIRED('$7', 'since')})::int AS on_pace
         FROM per GROUP BY 1),
     page AS (
       SELECT c.id, c.name, c.role, u.name AS unit_name, agg.households, agg.on_pace, agg.visits,
              count(*) OVER ()::int AS total, row_number() OVER (ORDER BY ${CADRE_ORDER[page.sort]}) AS rn
         FROM agg JOIN cadres c ON c.id = agg.cadre_id LEFT JOIN units u ON u.id = c.unit_id
        WHERE c.active AND (NOT $8 OR agg.on_pace < agg.households)
        ORDER BY ${CADRE_ORDER[page.sort]} LIMIT $9 OFFSET $11)
     SELECT page.id AS "cadreId", page.name, page.role, page.unit_name AS "unitName", page.households,
            page.on_pace AS "householdsOnPace", page.visits AS "householdVisits", page.total,
            (SELECT count(DISTINCT d) FROM visits v, ${DAYS_OF('v.started_at', 'coalesce(v.ended_at, v.started_at)')} d
              WHERE v.cadre_id = page.id AND v.revoked_at IS NULL AND v.started_at >= $3 AND v.started_at < $4)::int AS "daysOnSite"
       FROM page ORDER BY page.rn`,
    [subtreeLike(scope.path), shanghaiDate(now), from, to, tv.target, td.target, tt.target, page.behindOnly, page.limit, now, page.offset],
  ));
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map(({ total: _t, ...r }) => ({
      ...r,
      behind: r.householdsOnPace < r.households || ((r.role === '队员' || r.role === '队长') && r.daysOnSite < team.owed),
    })),
    targets: { visits: tv, days: td, talks: tt, teamDays: team },
  };
}
