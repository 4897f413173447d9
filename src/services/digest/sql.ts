import { VALID_ON } from '../people/links';
import { HOUSEHOLD_LINK_EARLIER, HOUSEHOLD_LINK_FIGURE, householdLinkSql } from '../standing/pace-sql';
import { shanghaiYear } from '../../lib/time';
import { PACE_ROWS_LIVE, PACE_ROW_FAST, ancestorPaths, paceAt } from '../standing/pace-rows';
import type { StandingTargets } from '../standing/cadre-standing';
import type { Db } from '../../lib/db';

/**
 * The per-village figures behind every digest, one grouped statement each
 * over the whole subtree (`prefix` = a regions.path LIKE pattern). digest.ts
 * rolls them up to every ancestor region, so all leaders' digests cost the
 * same few statements as one.
 */

export interface VillageFigures {
  id: number;
  path: string;
  checkins: [number, number, number];
  householdVisits: [number, number, number];
  coveredVillage: number;
  householdsLinked: number;
  householdsVisitedYear: number;
  festivalVisited: number;
  problemsNew: number;
  problemsClosed: number;
  problemsOverdue: number;
  problemsReportedYear: number;
  problemsClosedYear: number;
  paceLinks: number;
  paceOnPace: number;
}

export interface Windows {
  /** The instant year-to-date figures stand at (the end of a period's last day in its year; periods.ts). */
  now: Date;
  /** Its Shanghai date. */
  today: string;
  /** current, previous, last week's same day (or an empty range): [from, to) instants. */
  ranges: [[Date, Date], [Date, Date], [Date, Date]];
  coverage: [Date, Date];
  /** The whole year whose year-to-date figures are shown: [1 January, next 1 January). */
  year: [Date, Date];
  festival: [Date, Date] | null;
}

const num = (v: unknown) => Number(v ?? 0);

export async function villageFigures(db: Db, prefix: string, w: Windows, t: StandingTargets): Promise<VillageFigures[]> {
  const [r0, r1, r2] = w.ranges;
  const span = [new Date(Math.min(r0[0].getTime(), r1[0].getTime(), r2[0].getTime(), w.coverage[0].getTime())),
    new Date(Math.max(r0[1].getTime(), w.coverage[1].getTime()))];
  const activity = (table: string, at: string) => db.query(
    `SELECT x.village_id AS id,
            count(*) FILTER (WHERE x.${at} >= $4 AND x.${at} < $5) AS c0,
            count(*) FILTER (WHERE x.${at} >= $6 AND x.${at} < $7) AS c1,
            count(*) FILTER (WHERE x.${at} >= $8 AND x.${at} < $9) AS c2,
            count(*) FILTER (WHERE x.${at} >= $10 AND x.${at} < $11) AS cov
       FROM ${table} x
      WHERE x.village_id IN (SELECT id FROM regions WHERE level = 4 AND path LIKE $1)
        AND x.revoked_at IS NULL AND x.${at} >= $2 AND x.${at} < $3
      GROUP BY x.village_id`,
    [prefix, span[0], span[1], ...r0, ...r1, ...r2, ...w.coverage],
  ) as Promise<Record<string, unknown>[]>;
  const fest = w.festival ?? [w.year[0], w.year[0]];
  // Sequential: inside a transaction every statement shares one connection.
  const villages = await db.query(`SELECT id, path FROM regions WHERE level = 4 AND path LIKE $1 ORDER BY path`, [prefix]);
  const visits = await activity('visits', 'started_at');
  const hvs = await activity('household_visits', 'visited_at');
  // Linked households from the links' villages and tallies (one pass, no household visits);
  // the festival window is a short range of household visits (household_visits_visited_idx).
  const households = await db.query(
      `SELECT l.village_id AS id, count(DISTINCT l.household_id) AS linked,
              count(DISTINCT l.household_id) FILTER (WHERE ${HOUSEHOLD_LINK_FIGURE('l', 'visits')} > 0) AS visited
         FROM cadre_household_links l ${HOUSEHOLD_LINK_EARLIER('l')}
        WHERE ${VALID_ON('l', '$1')}
          AND ($2::text = '%' OR l.village_id IN (SELECT id FROM regions WHERE path LIKE $2))
        GROUP BY l.village_id`,
      [w.today, prefix, w.year[0]],
  );
  const festival = await db.query(
      `SELECT hv.village_id AS id, count(DISTINCT hv.household_id) AS fest
         FROM household_visits hv
        WHERE hv.village_id IN (SELECT id FROM regions WHERE level = 4 AND path LIKE $1) AND hv.revoked_at IS NULL AND hv.visited_at >= $2 AND hv.visited_at < least($3::timestamptz, $4::timestamptz)
          AND EXISTS (SELECT 1 FROM cadre_household_links l WHERE l.household_id = hv.household_id
                         AND ${VALID_ON('l', '$5')})
        GROUP BY hv.village_id`,
      [prefix, fest[0], fest[1], w.now, w.today],
  );
  const problems = await db.query(
      `SELECT p.village_id AS id,
              count(*) FILTER (WHERE p.reported_at >= $3 AND p.reported_at < $4) AS new,
              count(*) FILTER (WHERE p.status = 'closed' AND p.closed_at >= $3 AND p.closed_at < $4) AS closed,
              count(*) FILTER (WHERE p.status = 'open' AND p.deadline < $2::date) AS overdue,
              count(*) FILTER (WHERE p.reported_at >= $5 AND p.reported_at < $6) AS reported_year,
              count(*) FILTER (WHERE p.reported_at >= $5 AND p.reported_at < $6 AND p.closed_at < $6) AS closed_year
         FROM problems p
        WHERE p.village_id IN (SELECT id FROM regions WHERE level = 4 AND path LIKE $1) AND p.revoked_at IS NULL
        GROUP BY p.village_id`,
      [prefix, w.today, ...r0, w.year[0], w.now], // the year to date: from 1 January to w.now
  );
  const byId = (rows: Record<string, unknown>[]) => new Map(rows.map((r) => [num(r.id), r]));
  const [vi, hv, hh, fe, pr] = [visits, hvs, households, festival, problems].map(byId);
  return (villages as { id: number; path: string }[]).map(({ id, path }) => {
    const a = vi.get(id) ?? {}, b = hv.get(id) ?? {}, h = hh.get(id) ?? {}, f = fe.get(id) ?? {}, p = pr.get(id) ?? {};
    return {
      id, path,
      checkins: [num(a.c0), num(a.c1), num(a.c2)], householdVisits: [num(b.c0), num(b.c1), num(b.c2)],
      coveredVillage: num(a.cov) > 0 ? 1 : 0,
      householdsLinked: num(h.linked), householdsVisitedYear: num(h.visited), festivalVisited: num(f.fest),
      problemsNew: num(p.new), problemsClosed: num(p.closed), problemsOverdue: num(p.overdue),
      problemsReportedYear: num(p.reported_year), problemsClosedYear: num(p.closed_year),
      paceLinks: 0, paceOnPace: 0, // filled from paceByVillageCadre
    };
  });
}

/** Unacknowledged notice recipients of the last 7 days, by the notice's scope region path. */
export async function unackedByScope(db: Db, prefix: string, now: Date): Promise<{ path: string; n: number }[]> {
  const rows: { path: string; n: string }[] = await db.query(
    `SELECT r.path, count(*) AS n FROM notices n JOIN regions r ON r.id = n.scope_region_id
       JOIN notice_recipients nr ON nr.notice_id = n.id AND nr.acked_at IS NULL
      WHERE r.path LIKE $1 AND n.created_at >= $2::timestamptz - interval '7 days' AND n.created_at <= $2
      GROUP BY r.path`,
    [prefix, now],
  );
  return rows.map((r) => ({ path: r.path, n: Number(r.n) }));
}

/** A village's path has this many region ids (province, city, county, township, village). */
const VILLAGE_DEPTH = 5;

export interface PaceFigures {
  /** Per village of the subtree: its 联户 links of active cadres and how many are on pace. */
  villages: { villageId: number; links: number; onPace: number }[];
  /**
   * Per township asked for: its cadres with the most links behind pace (on any
   * rule) at its villages, then the most household visits owed so far, then by id;
   * at most `top` each, in that order.
   */
  cadresBehind: { townshipId: number; cadreId: number; name: string; behind: number; owed: number }[];
}

/**
 * Household-link pace of the subtree: one pass over its links grouped by
 * (village, cadre), then summed per village and ranked per township in the
 * same statement, so half a million groups never leave PostgreSQL.
 */
export async function paceFigures(
  db: Db, prefix: string, w: Windows, t: StandingTargets, townships: number[], top: number,
): Promise<PaceFigures> {
  const all = prefix === '%';
  // A cadre whose links lie in one village is read from its pace row (pace-rows.ts); the others from their links.
  // A period's digest stands at its end (a midnight) for the links valid the day before: plain rows only.
  const filter = `${all ? '' : 'AND chl.village_id IN (SELECT id FROM regions WHERE path LIKE $10)'}
                  AND chl.cadre_id IN ${PACE_ROWS_LIVE('$12::int', '$10', '$11', String(VILLAGE_DEPTH), true)}`;
  const pace = paceAt('h', '$1::timestamptz');
  const rows: Record<string, unknown>[] = await db.query(
    `WITH vc AS MATERIALIZED (
       SELECT x.village_id, r.parent_id AS township_id, x.cadre_id, true AS live, count(*) AS links,
              count(*) FILTER (WHERE x.visits < x.required_visits OR x.days < x.required_days
                                 OR x.talks < x.required_talks) AS behind,
              sum(greatest(0, x.required_visits - x.visits)) AS owed
         FROM (${householdLinkSql(filter, { ordered: false, householder: false })}) x JOIN regions r ON r.id = x.village_id
        GROUP BY x.village_id, r.parent_id, x.cadre_id
       UNION ALL
       SELECT f.village_id, f.township_id, f.cadre_id, false, f.links, f.behind, f.owed
         FROM (SELECT h.span_ids[${VILLAGE_DEPTH}] AS village_id, h.span_ids[${VILLAGE_DEPTH - 1}] AS township_id, h.cadre_id,
                      ${pace.households} AS links, ${pace.behind} AS behind, ${pace.owedVisits} AS owed
                 FROM household_pace h WHERE ${PACE_ROW_FAST('h', '$12::int', '$10', String(VILLAGE_DEPTH), true)} OFFSET 0) f
         JOIN cadres c ON c.id = f.cadre_id AND c.active
        WHERE f.links > 0),
     -- a pace row's cadre is in one village, so in one township: only the cadres counted from links are summed
     town AS (
       SELECT township_id, cadre_id, sum(behind) AS behind, sum(owed) AS owed
         FROM vc WHERE live AND behind > 0 AND township_id = ANY($8::int[]) GROUP BY 1, 2
       UNION ALL
       SELECT township_id, cadre_id, behind, owed FROM vc WHERE NOT live AND behind > 0 AND township_id = ANY($8::int[])),
     ranked AS (
       SELECT town.*, row_number() OVER (PARTITION BY town.township_id ORDER BY town.behind DESC, town.owed DESC, town.cadre_id) AS rank
         FROM town)
     SELECT 'village' AS kind, vc.village_id AS id, NULL::int AS cadre_id, NULL::text AS name,
            sum(vc.links) AS links, sum(vc.links - vc.behind) AS on_pace, NULL::bigint AS behind, NULL::bigint AS owed, NULL::bigint AS rank
       FROM vc GROUP BY vc.village_id
     UNION ALL
     SELECT 'township', ranked.township_id, ranked.cadre_id, (SELECT c.name FROM cadres c WHERE c.id = ranked.cadre_id),
            NULL, NULL, ranked.behind, ranked.owed, ranked.rank
       FROM ranked WHERE ranked.rank <= $9
      ORDER BY 1 DESC, 2, 9`,
    [w.now, w.today, ...w.year, t.householdVisits, t.householdDays, t.householdTalks, townships, top, prefix,
      ancestorPaths(all ? '' : prefix.slice(0, -1)), shanghaiYear(w.year[0])],
  );
  const out: PaceFigures = { villages: [], cadresBehind: [] };
  for (const r of rows) {
    if (r.kind === 'village') out.villages.push({ villageId: num(r.id), links: num(r.links), onPace: num(r.on_pace) });
    else out.cadresBehind.push({ townshipId: num(r.id), cadreId: num(r.cadre_id), name: r.name as string, behind: num(r.behind), owed: num(r.owed) });
  }
  return out;
}
