import { VALID_ON } from '../people/links';

/**
 * Set-based SQL behind src/services/standing/cadre-standing.ts: one statement per rule family
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


/** Since-dates are Shanghai midnights (valid_from is a date), not before 1 January of the year asked. */
const SINCE_DATE = (validFrom: string) =>
  `greatest(${validFrom}, ($3::timestamptz AT TIME ZONE 'Asia/Shanghai')::date)`;

/**
 * A tally column when its tally_year is the year being asked ($3 is that year's
 * first instant), else 0. The year is an uncorrelated subquery: computed once (an
 * InitPlan) and handed to parallel workers, not per row.
 */
export const TALLY = (alias: string, col: string) =>
  `CASE WHEN ${alias}.tally_year = (SELECT extract(year FROM $3::timestamptz AT TIME ZONE 'Asia/Shanghai')::int)
        THEN ${alias}.${col} ELSE 0 END`;

/** A Shanghai date's midnight as an instant. */
const SINCE_TS = (day: string) => `(${day}::timestamp AT TIME ZONE 'Asia/Shanghai')`;

/**
 * Unit→village links: check-ins by any cadre of the unit at the village since
 * the link's start and the distinct days they cover, from the tally each link
 * carries (kept by triggers on visits and cadres: migration 1763857100000).
 * Extra params: $5 visits target, $6 days target.
 */
export function unitLinkSql(filter: string, behindOnly: boolean): string {
  return `
    WITH s AS (
      SELECT l.unit_id, u.name AS unit_name, l.village_id, r.name AS village_name, r.full_name AS village_full_name,
             r.path AS village_path, ${TALLY('l', 'tally_visits')} AS visits, ${TALLY('l', 'tally_days')} AS days,
             ${REQUIRED('$5', SINCE_TS(SINCE_DATE('l.valid_from')))} AS required_visits,
             ${REQUIRED('$6', SINCE_TS(SINCE_DATE('l.valid_from')))} AS required_days
        FROM unit_village_links l JOIN units u ON u.id = l.unit_id JOIN regions r ON r.id = l.village_id
       WHERE ${VALID_ON('l')} ${filter}
    )
    SELECT * FROM s ${behindOnly ? 'WHERE visits < required_visits OR days < required_days' : ''}
    ORDER BY unit_id, village_id`;
}

/**
 * Cadre→household links: visits, distinct days and talks since the link's start,
 * from the tally each link carries (kept by triggers on household_visits:
 * migration 1763857000000), so all 5 million links are one pass over one table.
 * What a link owes by now depends only on its start day, so it is computed once
 * per day of the year into arrays and looked up by day number.
 * Extra params: $5 visits, $6 days, $7 talks targets. Options: `householder`
 * joins households for the name (per-link lists need it; the grouped figures do
 * not); `activeOnly: false` leaves out the join to cadres for a caller that
 * filters active cadres after grouping (half a million rows instead of 5 million).
 */
export function householdLinkSql(
  filter: string,
  { behindOnly = false, ordered = filter !== '', householder = true, activeOnly = true } = {},
): string {
  const jan1 = `($3::timestamptz AT TIME ZONE 'Asia/Shanghai')::date`;
  // Uncorrelated scalar subqueries, like TALLY's year: computed once and handed to parallel workers.
  const owed = (target: string) =>
    `(SELECT array_agg(${REQUIRED(target, SINCE_TS('d::date'))} ORDER BY d)
        FROM generate_series(${jan1}, $2::date, interval '1 day') d)[${SINCE_DATE('chl.valid_from')} - ${jan1} + 1]`;
  return `
    SELECT * FROM (
      SELECT chl.cadre_id, chl.household_id, ${householder ? 'h.householder' : 'NULL::text AS householder'}, chl.village_id,
             ${TALLY('chl', 'tally_visits')} AS visits, ${TALLY('chl', 'tally_days')} AS days, ${TALLY('chl', 'tally_talks')} AS talks,
             ${owed('$5')} AS required_visits, ${owed('$6')} AS required_days, ${owed('$7')} AS required_talks
        FROM cadre_household_links chl
        ${householder ? 'JOIN households h ON h.id = chl.household_id' : ''}
        ${activeOnly ? 'JOIN cadres c ON c.id = chl.cadre_id AND c.active' : ''}
       WHERE ${VALID_ON('chl')} ${filter}
    ) s
    ${behindOnly ? 'WHERE visits < required_visits OR days < required_days OR talks < required_talks' : ''}
    ${ordered ? 'ORDER BY cadre_id, household_id' : ''}`;
}

/**
 * Resident team members (队员/队长): days on site (any check-in) and resident
 * days, from the tally each cadre carries (migration 1763857100000). A resident
 * day is a date on which a check-in started that lasted ≥ 8 h (auto-closed
 * check-ins excluded: a forgotten 签退 proves nothing), or a night spent at the
 * village. Extra params: $5 on-site target, $6 resident target.
 */
export function teamSql(filter: string, behindOnly: boolean): string {
  return `
    WITH s AS (
      SELECT c.id AS cadre_id, ${TALLY('c', 'tally_days_on_site')} AS days_on_site,
             ${TALLY('c', 'tally_days_resident')} AS days_resident,
             ${REQUIRED('$5', '$3::timestamptz')} AS required_on_site,
             ${REQUIRED('$6', '$3::timestamptz')} AS required_resident
        FROM cadres c WHERE c.active AND c.role IN ('队员', '队长') AND $2::date IS NOT NULL ${filter}
    )
    SELECT * FROM s ${behindOnly ? 'WHERE days_on_site < required_on_site OR days_resident < required_resident' : ''}
    ORDER BY cadre_id`;
}
