import { RegionLevel, type Region } from '../../../entities';
import { pathIds, subtreeLike } from '../people/regions';
import { standingTargets } from '../standing/cadre-standing';
import { householdLinkSql, unitLinkSql } from '../standing/pace-sql';
import { PACE_ROWS_LIVE, PACE_ROW_FAST, ancestorPaths, paceAt } from '../standing/pace-rows';
import { shanghaiDate, startOfShanghaiDay } from '../../lib/time';
import { consoleRead } from './read';
import { periodInstants, type WorkPeriod } from './week-work';
import type { Db } from '../../lib/db';

/**
 * The lower regions and the units of a scope ranked worst first, the cadres
 * furthest behind pace and the overdue problems, for a period (the 本周工作
 * page and the 通报; the figures are defined in docs/console.md "工作概况 and the 通报").
 * Pace stands at the period's end (or now, when earlier), in the year of its
 * last day, from the year tallies the links carry (pace-sql.ts), with the
 * quotas read from the rules table:
 *  - 到村率: 联村 links on pace with village.visits_per_year and village.days_per_year;
 *  - 入户率: linked households visited in the period, or on pace with household.visits_per_year;
 *  - 谈心率: linked households on pace with household.talks_per_year;
 *  - 销号率: problems reported from 1 January to the period's end, closed by its end;
 *  - 必访率: 五必访 events due in the period, visited by their deadline (null: none due).
 * A unit's households are those of its cadres (their unit now), its problems
 * those it owns, its 五必访 those of its cadres.
 */

export interface RankRow {
  id: number;
  name: string;
  villageLinks: number;
  villageOnPace: number;
  households: number;
  householdsReached: number;
  householdsTalked: number;
  problems: number;
  problemsClosed: number;
  mustDue: number;
  mustInTime: number;
  /** Shares 0–1; null where nothing applies (no link, household, problem or event due). */
  villageRate: number | null;
  householdRate: number | null;
  talkRate: number | null;
  closureRate: number | null;
  mustRate: number | null;
}

export interface BehindCadre {
  cadreId: number;
  name: string;
  unitName: string | null;
  households: number;
  behind: number;
  /** Household visits owed by the period's end and not made. */
  owed: number;
}

export interface OverdueProblem {
  id: number;
  code: string;
  villageFullName: string;
  description: string;
  ownerName: string | null;
  ownerUnitName: string | null;
  deadline: string;
  daysOverdue: number;
}

export interface Rankings {
  /** The instant pace stands at, and its Shanghai date. */
  asOf: string;
  targets: { villageVisits: number; villageDays: number; householdVisits: number; householdTalks: number };
  regions: RankRow[];
  units: RankRow[];
  behind: BehindCadre[];
  overdue: { total: number; rows: OverdueProblem[] };
}

export const WORST_BEHIND = 10;
const OVERDUE_LISTED = 50;

type Counts = Omit<RankRow, 'id' | 'name' | 'villageRate' | 'householdRate' | 'talkRate' | 'closureRate' | 'mustRate'>;
const zero = (): Counts => ({
  villageLinks: 0, villageOnPace: 0, households: 0, householdsReached: 0, householdsTalked: 0,
  problems: 0, problemsClosed: 0, mustDue: 0, mustInTime: 0,
});
const share = (a: number, b: number) => (b === 0 ? null : a / b);

export async function rankings(db: Db, scope: Region, period: WorkPeriod, now: Date): Promise<Rankings> {
  const [from, end] = periodInstants(period);
  const asOf = new Date(Math.min(now.getTime(), end.getTime()));
  const day = shanghaiDate(new Date(asOf.getTime() - 1));
  const year = Number(day.slice(0, 4));
  const yearRange = [startOfShanghaiDay(`${year}-01-01`), startOfShanghaiDay(`${year + 1}-01-01`)];
  const prefix = subtreeLike(scope.path);
  const t = await standingTargets(db);
  return consoleRead(db, async (m) => {
    const villages: { id: number; path: string }[] = await m.query(
      'SELECT id, path FROM regions WHERE path LIKE $1 AND level = 4', [prefix]);
    const unitLinks: { unit_id: number; unit_name: string; village_id: number; visits: number; days: number; required_visits: number; required_days: number }[] =
      await m.query(unitLinkSql('AND r.path LIKE $7 AND r.level = 4', false),
        [asOf, day, ...yearRange, t.villageVisits, t.villageDays, prefix]);
    // The scope's 联户 figures per cadre and child region, grouped twice: by (child region, unit)
    // for the rankings and by cadre, of which only the WORST_BEHIND furthest behind leave the
    // database. A cadre whose links lie in one child region is read from its pace row
    // (pace-rows.ts); the others, and every link visited in the period though behind on
    // visits (reached by that visit), are counted from their links. Pace stands at a
    // period's end, a midnight, for the links valid on the day before: rows whose links
    // all run the whole year only.
    const scopeLinks = 'AND chl.village_id IN (SELECT id FROM regions WHERE path LIKE $8 AND level = 4)';
    const live = PACE_ROWS_LIVE('$13::int', '$8', '$12', '$11::int', true);
    const linkSql = (filter: string) => householdLinkSql(`${scopeLinks} ${filter}`,
      { ordered: false, householder: false, perLink: scope.level >= RegionLevel.County });
    const pace = paceAt('h', '$1::timestamptz');
    const householdGroups: { child_id: number | null; unit_id: number | null; cadre_id: number | null; by_cadre: boolean;
      links: number; reached: number; talked: number; behind: number; owed: number }[] = await m.query(
      `WITH pv AS (
         SELECT DISTINCT hv.household_id FROM regions r JOIN household_visits hv ON hv.village_id = r.id
          WHERE r.path LIKE $8 AND r.level = 4 AND hv.revoked_at IS NULL AND hv.visited_at >= $9 AND hv.visited_at < $10),
       by_visit AS (
         SELECT x.cadre_id, count(*)::int AS n FROM (${linkSql(`AND chl.household_id IN (SELECT household_id FROM pv) AND chl.cadre_id NOT IN ${live}`)}) x
          WHERE x.visits < x.required_visits GROUP BY 1),
       per AS MATERIALIZED (
         SELECT x.cadre_id, c2.unit_id, (string_to_array(btrim(r.path, '/'), '/')::int[])[$11] AS child_id, true AS live,
                count(*)::int AS links,
                count(*) FILTER (WHERE x.visits >= x.required_visits OR pv.household_id IS NOT NULL)::int AS reached,
                count(*) FILTER (WHERE x.talks >= x.required_talks)::int AS talked,
                count(*) FILTER (WHERE x.visits < x.required_visits OR x.days < x.required_days OR x.talks < x.required_talks)::int AS behind,
                sum(greatest(0, x.required_visits - x.visits))::int AS owed
           FROM (${linkSql(`AND chl.cadre_id IN ${live}`)}) x
           JOIN cadres c2 ON c2.id = x.cadre_id JOIN regions r ON r.id = x.village_id
           LEFT JOIN pv ON pv.household_id = x.household_id
          GROUP BY 1, 2, 3
         UNION ALL
         SELECT h.cadre_id, c.unit_id, h.span_ids[$11], false, f.links,
                f.links - f.visits_behind + coalesce(bv.n, 0), f.links - f.talks_behind, f.behind, f.owed
           FROM household_pace h JOIN cadres c ON c.id = h.cadre_id AND c.active
                CROSS JOIN LATERAL (SELECT ${pace.households} AS links, ${pace.visitsBehind} AS visits_behind,
                                           ${pace.talksBehind} AS talks_behind, ${pace.behind} AS behind, ${pace.owedVisits} AS owed) f
                LEFT JOIN by_visit bv ON bv.cadre_id = h.cadre_id
          WHERE ${PACE_ROW_FAST('h', '$13::int', '$8', '$11::int', true)} AND f.links > 0),
       -- a row read from the pace rows is its cadre's whole figure; one counted from links is per child region
       worst AS (
         SELECT * FROM (
           SELECT cadre_id, sum(links)::int AS links, sum(reached)::int AS reached, sum(talked)::int AS talked,
                  sum(behind)::int AS behind, sum(owed)::int AS owed FROM per WHERE live GROUP BY cadre_id
           UNION ALL
           SELECT cadre_id, links, reached, talked, behind, owed FROM per WHERE NOT live) w
          WHERE behind > 0 ORDER BY behind DESC, owed DESC, cadre_id LIMIT ${WORST_BEHIND})
       SELECT child_id, unit_id, NULL::int AS cadre_id, false AS by_cadre, sum(links)::int AS links, sum(reached)::int AS reached,
              sum(talked)::int AS talked, sum(behind)::int AS behind, sum(owed)::int AS owed, 0::bigint AS rn
         FROM per GROUP BY child_id, unit_id
       UNION ALL
       SELECT NULL, NULL, cadre_id, true, links, reached, talked, behind, owed,
              row_number() OVER (ORDER BY behind DESC, owed DESC, cadre_id) FROM worst
        ORDER BY by_cadre, rn`,
      [asOf, day, ...yearRange, t.householdVisits, t.householdDays, t.householdTalks, prefix, from, asOf, scope.level + 2,
        ancestorPaths(scope.path), year]);
    const problems: { village_id: number; owner_unit_id: number | null; reported: number; closed: number }[] = await m.query(
      `SELECT p.village_id, p.owner_unit_id, count(*)::int AS reported,
              count(*) FILTER (WHERE p.status = 'closed' AND p.closed_at < $3)::int AS closed
         FROM problems p
        WHERE p.village_id IN (SELECT id FROM regions WHERE path LIKE $1 AND level = 4) AND p.revoked_at IS NULL
          AND p.reported_at >= $2 AND p.reported_at < $3
        GROUP BY 1, 2`,
      [prefix, yearRange[0], asOf]);
    const must: { village_id: number; unit_id: number | null; due: number; in_time: number }[] = await m.query(
      `SELECT m.village_id, c.unit_id, count(*)::int AS due, count(*) FILTER (WHERE m.done_at <= m.due_at)::int AS in_time
         FROM must_visits m LEFT JOIN cadres c ON c.id = m.cadre_id
        WHERE m.village_id IN (SELECT id FROM regions WHERE path LIKE $1 AND level = 4) AND m.revoked_at IS NULL
          AND m.due_at >= $2 AND m.due_at < $3
        GROUP BY 1, 2`,
      [prefix, from, asOf]);

    // Each village's child region of the scope (a township scope ranks its villages).
    const childOf = new Map(villages.map((v) => [v.id, pathIds(v.path)[scope.level + 1]]));
    const byRegion = new Map<number, Counts>();
    const byUnit = new Map<number, Counts>();
    const acc = (map: Map<number, Counts>, id: number | null | undefined) =>
      id == null ? null : map.get(id) ?? map.set(id, zero()).get(id)!;
    const unitNames = new Map<number, string>();
    for (const l of unitLinks) {
      unitNames.set(l.unit_id, l.unit_name);
      const onPace = l.visits >= l.required_visits && l.days >= l.required_days ? 1 : 0;
      for (const c of [acc(byRegion, childOf.get(l.village_id)), acc(byUnit, l.unit_id)]) {
        if (c) { c.villageLinks++; c.villageOnPace += onPace; }
      }
    }
    for (const h of householdGroups.filter((g) => !g.by_cadre)) {
      for (const c of [acc(byRegion, h.child_id), acc(byUnit, h.unit_id)]) {
        if (c) { c.households += h.links; c.householdsReached += h.reached; c.householdsTalked += h.talked; }
      }
    }
    for (const p of problems) {
      for (const c of [acc(byRegion, childOf.get(p.village_id)), acc(byUnit, p.owner_unit_id)]) {
        if (c) { c.problems += p.reported; c.problemsClosed += p.closed; }
      }
    }
    for (const e of must) {
      for (const c of [acc(byRegion, childOf.get(e.village_id)), acc(byUnit, e.unit_id)]) {
        if (c) { c.mustDue += e.due; c.mustInTime += e.in_time; }
      }
    }

    const children: { id: number; name: string }[] = scope.level < 4
      ? await m.query('SELECT id, name FROM regions WHERE parent_id = $1 ORDER BY name', [scope.id]) : [];
    const missing = [...byUnit.keys()].filter((id) => !unitNames.has(id));
    if (missing.length > 0) {
      for (const u of await m.query('SELECT id, name FROM units WHERE id = ANY($1)', [missing]) as { id: number; name: string }[]) {
        unitNames.set(u.id, u.name);
      }
    }
    const regions = children.map((r) => ranked(r.id, r.name, byRegion.get(r.id) ?? zero())).sort(worstFirst);
    const units = [...byUnit].map(([id, c]) => ranked(id, unitNames.get(id) ?? String(id), c)).sort(worstFirst);
    return {
      asOf: day,
      targets: { villageVisits: t.villageVisits, villageDays: t.villageDays, householdVisits: t.householdVisits, householdTalks: t.householdTalks },
      regions, units,
      behind: await cadresBehind(m, householdGroups.filter((g) => g.by_cadre)),
      overdue: await overdueProblems(m, prefix, day),
    };
  });
}

function ranked(id: number, name: string, c: Counts): RankRow {
  return {
    id, name, ...c,
    villageRate: share(c.villageOnPace, c.villageLinks),
    householdRate: share(c.householdsReached, c.households),
    talkRate: share(c.householdsTalked, c.households),
    closureRate: share(c.problemsClosed, c.problems),
    mustRate: share(c.mustInTime, c.mustDue),
  };
}

/** 到村率, then 入户率, 谈心率, 销号率, 必访率, lowest first; a rate that does not apply sorts after every rate. */
export function worstFirst(a: RankRow, b: RankRow): number {
  for (const k of ['villageRate', 'householdRate', 'talkRate', 'closureRate', 'mustRate'] as const) {
    const x = a[k] ?? 2, y = b[k] ?? 2;
    if (x !== y) return x - y;
  }
  return a.name.localeCompare(b.name, 'zh-CN');
}

/** The cadres with the most linked households behind pace, then the most visits owed (already ranked and cut by the query). */
async function cadresBehind(
  db: Db, rows: { cadre_id: number | null; links: number; behind: number; owed: number }[],
): Promise<BehindCadre[]> {
  if (rows.length === 0) return [];
  const names: { id: number; name: string; unit_name: string | null }[] = await db.query(
    'SELECT c.id, c.name, u.name AS unit_name FROM cadres c LEFT JOIN units u ON u.id = c.unit_id WHERE c.id = ANY($1)',
    [rows.map((r) => r.cadre_id)]);
  const byId = new Map(names.map((n) => [n.id, n]));
  return rows.map((r) => ({
    cadreId: r.cadre_id!, name: byId.get(r.cadre_id!)?.name ?? String(r.cadre_id), unitName: byId.get(r.cadre_id!)?.unit_name ?? null,
    households: r.links, behind: r.behind, owed: r.owed,
  }));
}

/** Open problems past their deadline on `day`, longest overdue first (the first 50, and how many in all). */
async function overdueProblems(db: Db, prefix: string, day: string): Promise<{ total: number; rows: OverdueProblem[] }> {
  const rows: (OverdueProblem & { total: number })[] = await db.query(
    `SELECT p.id, p.code, r.full_name AS "villageFullName", p.description, c.name AS "ownerName", u.name AS "ownerUnitName",
            to_char(p.deadline, 'YYYY-MM-DD') AS deadline, ($2::date - p.deadline)::int AS "daysOverdue",
            count(*) OVER ()::int AS total
       FROM problems p JOIN regions r ON r.id = p.village_id
       LEFT JOIN cadres c ON c.id = p.owner_cadre_id LEFT JOIN units u ON u.id = p.owner_unit_id
      WHERE p.village_id IN (SELECT id FROM regions WHERE path LIKE $1 AND level = 4)
        AND p.status = 'open' AND p.revoked_at IS NULL AND p.deadline < $2::date
      ORDER BY p.deadline, p.code LIMIT ${OVERDUE_LISTED}`,
    [prefix, day]);
  return { total: rows[0]?.total ?? 0, rows: rows.map(({ total: _t, ...r }) => r) };
}

