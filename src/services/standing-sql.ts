import { VALID_ON } from './links';

/**
 * Set-based SQL behind src/services/standing.ts: one statement per rule family
 * over ALL links at once (hash joins and aggregates, no per-cadre queries), with
 * an optional filter fragment for one cadre, one unit or one subtree.
 *
 * Parameters shared by every statement:
 *   $1 now (timestamptz), $2 today (Shanghai date), $3 year start (instant),
 *   $4 next year start (instant).
 * Pace: required-by-now = ceil(target × (now − since) / (length of the year)),
 * where since = max(1 January, the link's valid_from); a link that began in July
 * owes about half the annual target by 31 December.
 */

/** ceil(target × elapsed fraction) as SQL; `target` is a parameter placeholder. */
export const REQUIRED = (target: string, since: string) =>
  `ceil(${target}::numeric * greatest(0, extract(epoch FROM ($1::timestamptz - ${since})))
        / extract(epoch FROM ($4::timestamptz - $3::timestamptz)))::int`;


/** Distinct Shanghai dates a visit covers, from its start date to its end date. */
const VISIT_DAYS = (v: string) =>
  `generate_series((${v}.started_at AT TIME ZONE 'Asia/Shanghai')::date,
                   (coalesce(${v}.ended_at, ${v}.started_at) AT TIME ZONE 'Asia/Shanghai')::date, interval '1 day')`;

/**
 * Since-dates are Shanghai midnights (valid_from is a date), so activity can be
 * pre-aggregated per day and compared by date: no DISTINCT over millions of rows.
 */
const SINCE_DATE = (validFrom: string) =>
  `greatest(${validFrom}, ($3::timestamptz AT TIME ZONE 'Asia/Shanghai')::date)`;

/**
 * Unit→village links: visits and distinct days by any cadre of the unit at the
 * village since the link's start (a day counts when a check-in covering it
 * started on or after that date). Extra params: $5 visits target, $6 days target.
 * `visitFilter` narrows the visits scanned (aliases vi, c) like `filter` narrows the links.
 */
export function unitLinkSql(filter: string, behindOnly: boolean, visitFilter = ''): string {
  const visits = `visits vi JOIN cadres c ON c.id = vi.cadre_id
       WHERE vi.revoked_at IS NULL AND vi.started_at >= $3 AND vi.started_at < $4 AND c.unit_id IS NOT NULL ${visitFilter}`;
  return `
    WITH l AS MATERIALIZED (
      SELECT l.id, l.unit_id, l.village_id, ${SINCE_DATE('l.valid_from')} AS since_day
        FROM unit_village_links l JOIN regions r ON r.id = l.village_id
       WHERE ${VALID_ON('l')} ${filter}
    ), starts AS MATERIALIZED (
      SELECT c.unit_id, vi.village_id, (vi.started_at AT TIME ZONE 'Asia/Shanghai')::date AS start_day, count(*)::int AS n
        FROM ${visits} GROUP BY 1, 2, 3
    ), days AS (
      -- Start days come from starts; only check-ins spanning midnight add later days, joined to a
      -- constant calendar of the year (which the planner estimates well, unlike a per-row series).
      SELECT unit_id, village_id, d, max(start_day) AS last_start FROM (
        SELECT unit_id, village_id, start_day AS d, start_day FROM starts
        UNION ALL
        SELECT c.unit_id, vi.village_id, cal.d::date, (vi.started_at AT TIME ZONE 'Asia/Shanghai')::date
          FROM visits vi JOIN cadres c ON c.id = vi.cadre_id
          JOIN generate_series(($3::timestamptz AT TIME ZONE 'Asia/Shanghai')::date,
                               ($4::timestamptz AT TIME ZONE 'Asia/Shanghai')::date, interval '1 day') cal(d)
            ON cal.d::date > (vi.started_at AT TIME ZONE 'Asia/Shanghai')::date
           AND cal.d::date <= (vi.ended_at AT TIME ZONE 'Asia/Shanghai')::date
         WHERE vi.revoked_at IS NULL AND vi.started_at >= $3 AND vi.started_at < $4 AND c.unit_id IS NOT NULL
           AND vi.ended_at IS NOT NULL ${visitFilter}
           AND (vi.ended_at AT TIME ZONE 'Asia/Shanghai')::date > (vi.started_at AT TIME ZONE 'Asia/Shanghai')::date
      ) x GROUP BY 1, 2, 3
    ), sv AS (
      SELECT l.id, sum(s.n)::int AS visits FROM l
        JOIN starts s ON s.unit_id = l.unit_id AND s.village_id = l.village_id AND s.start_day >= l.since_day
       GROUP BY l.id
    ), sd AS (
      SELECT l.id, count(*)::int AS days FROM l
        JOIN days d ON d.unit_id = l.unit_id AND d.village_id = l.village_id AND d.last_start >= l.since_day
       GROUP BY l.id
    ), s AS (
      SELECT l.unit_id, u.name AS unit_name, l.village_id, r.name AS village_name, r.full_name AS village_full_name,
             r.path AS village_path, coalesce(sv.visits, 0) AS visits, coalesce(sd.days, 0) AS days,
             ${REQUIRED('$5', SINCE_TS('l.since_day'))} AS required_visits,
             ${REQUIRED('$6', SINCE_TS('l.since_day'))} AS required_days
        FROM l JOIN units u ON u.id = l.unit_id JOIN regions r ON r.id = l.village_id
        LEFT JOIN sv ON sv.id = l.id LEFT JOIN sd ON sd.id = l.id
    )
    SELECT * FROM s ${behindOnly ? 'WHERE visits < required_visits OR days < required_days' : ''}
    ORDER BY unit_id, village_id`;
}

const SINCE_TS = (day: string) => `(${day}::timestamp AT TIME ZONE 'Asia/Shanghai')`;

/** The link's tally when it is for the year being asked ($3 is that year's first instant), else 0. */
const TALLY = (col: string) =>
  `CASE WHEN chl.tally_year = extract(year FROM $3::timestamptz AT TIME ZONE 'Asia/Shanghai') THEN chl.${col} ELSE 0 END`;

/**
 * Cadre→household links: visits, distinct days and talks since the link's start,
 * from the tally each link carries (kept by triggers on household_visits:
 * migration 1763857000000), so all 5 million links are one pass over one table.
 * What a link owes by now depends only on its start day, so it is computed once
 * per day of the year into arrays (req) and looked up by day number.
 * Extra params: $5 visits, $6 days, $7 talks targets. `householder`: join
 * households for the name (per-link lists need it; the grouped figures do not).
 */
export function householdLinkSql(filter: string, behindOnly: boolean, ordered = filter !== '', householder = true): string {
  const jan1 = `($3::timestamptz AT TIME ZONE 'Asia/Shanghai')::date`;
  const owed = (target: string) => `array_agg(${REQUIRED(target, SINCE_TS('d::date'))} ORDER BY d)`;
  return `
    WITH req AS MATERIALIZED (
      SELECT ${owed('$5')} AS visits, ${owed('$6')} AS days, ${owed('$7')} AS talks
        FROM generate_series(${jan1}, $2::date, interval '1 day') d
    ), l AS (
      SELECT chl.cadre_id, chl.household_id, ${householder ? 'h.householder' : 'NULL::text AS householder'}, chl.village_id,
             ${TALLY('tally_visits')} AS visits, ${TALLY('tally_days')} AS days, ${TALLY('tally_talks')} AS talks,
             ${SINCE_DATE('chl.valid_from')} - ${jan1} + 1 AS day_no
        FROM cadre_household_links chl ${householder ? 'JOIN households h ON h.id = chl.household_id' : ''}
        JOIN cadres c ON c.id = chl.cadre_id AND c.active
       WHERE ${VALID_ON('chl')} ${filter}
    ), s AS (
      SELECT l.cadre_id, l.household_id, l.householder, l.village_id, l.visits, l.days, l.talks,
             (SELECT visits FROM req)[l.day_no] AS required_visits,
             (SELECT days FROM req)[l.day_no] AS required_days,
             (SELECT talks FROM req)[l.day_no] AS required_talks
        FROM l
    )
    SELECT * FROM s
    ${behindOnly ? 'WHERE visits < required_visits OR days < required_days OR talks < required_talks' : ''}
    ${ordered ? 'ORDER BY cadre_id, household_id' : ''}`;
}

/**
 * Resident team members (队员/队长): days on site (any check-in) and resident
 * days. A resident day is a date on which a check-in started that lasted ≥ 8 h
 * (auto-closed check-ins excluded: a forgotten 签退 proves nothing), or a night
 * spent at the village (every date from a check-in's start date up to the day
 * before its end date). Extra params: $5 on-site target, $6 resident target.
 */
export function teamSql(filter: string, behindOnly: boolean): string {
  return `
    WITH c AS (
      SELECT c.id AS cadre_id FROM cadres c WHERE c.active AND c.role IN ('队员', '队长') AND $2::date IS NOT NULL ${filter}
    ), v AS (
      SELECT vi.* FROM visits vi JOIN c ON c.cadre_id = vi.cadre_id
       WHERE vi.revoked_at IS NULL AND vi.started_at >= $3 AND vi.started_at < $4
    ), on_site AS (
      SELECT v.cadre_id, count(DISTINCT d)::int AS days FROM v, ${VISIT_DAYS('v')} d GROUP BY v.cadre_id
    ), resident AS (
      SELECT cadre_id, count(DISTINCT d)::int AS days FROM (
        SELECT v.cadre_id, (v.started_at AT TIME ZONE 'Asia/Shanghai')::date AS d FROM v
         WHERE NOT v.auto_closed AND v.ended_at >= v.started_at + interval '8 hours'
        UNION ALL
        SELECT v.cadre_id, n::date FROM v, generate_series((v.started_at AT TIME ZONE 'Asia/Shanghai')::date,
               (v.ended_at AT TIME ZONE 'Asia/Shanghai')::date - 1, interval '1 day') n
         WHERE v.ended_at IS NOT NULL AND NOT v.auto_closed
      ) x GROUP BY cadre_id
    ), s AS (
      SELECT c.cadre_id, coalesce(o.days, 0) AS days_on_site, coalesce(r.days, 0) AS days_resident,
             ${REQUIRED('$5', '$3::timestamptz')} AS required_on_site,
             ${REQUIRED('$6', '$3::timestamptz')} AS required_resident
        FROM c LEFT JOIN on_site o ON o.cadre_id = c.cadre_id LEFT JOIN resident r ON r.cadre_id = c.cadre_id
    )
    SELECT * FROM s ${behindOnly ? 'WHERE days_on_site < required_on_site OR days_resident < required_resident' : ''}
    ORDER BY cadre_id`;
}
