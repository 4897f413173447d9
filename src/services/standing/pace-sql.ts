import { VALID_ON } from '../people/links';
import { TEAM_ROLES } from '../../lib/roles';
import { HOUSEHOLD_LINK_AS_OF, HOUSEHOLD_LINK_AS_OF_FIGURE, UNIT_LINK_AS_OF } from './as-of-sql';

/**
 * Set-based SQL behind src/services/standing/cadre-standing.ts: one statement per rule family
 * over ALL links at once (hash joins and aggregates, no per-cadre queries), with
 * an optional filter fragment for one cadre, one unit or one subtree.
 *
 * Parameters shared by every statement:
 *   $1 now (timestamptz), $2 today (Shanghai date), $3 year start (instant),
 *   $4 next year start (instant).
 * Pace (docs/design.md §2): required-by-now = floor(target × (until − since) / (length of the year)),
 * where since = max(1 January, the link's valid_from or a team member's 驻村 start) and until =
 * now (or the end of a team member's stay, if earlier); a link that began in July owes about half
 * the annual target by 31 December, and nobody owes anything before a whole visit or day is due.
 */

/** floor(target × elapsed fraction) as SQL; `target` is a parameter placeholder. */
export const REQUIRED = (target: string, since: string, until = '$1::timestamptz') =>
  `floor(${target}::numeric * greatest(0, extract(epoch FROM (${until} - ${since})))
        / extract(epoch FROM ($4::timestamptz - $3::timestamptz)))::int`;


/** Since-dates are Shanghai midnights (valid_from is a date), not before 1 January of the year asked. */
const SINCE_DATE = (validFrom: string) =>
  `greatest(${validFrom}, ($3::timestamptz AT TIME ZONE 'Asia/Shanghai')::date)`;

/**
 * The year being asked ($3 is its first instant), as an uncorrelated subquery:
 * computed once (an InitPlan) and handed to parallel workers, not per row.
 */
const YEAR_ASKED = `(SELECT extract(year FROM $3::timestamptz AT TIME ZONE 'Asia/Shanghai')::int)`;

/**
 * The year tallies the counting triggers keep (migration 1763857500000), joined
 * to the row they count: `<alias>t.visits`, `.days` (and `.talks`,
 * `.days_on_site`, `.days_resident`); absent for a year without acts, so read
 * through coalesce. A unit's link has a row per writing cadre: summed here.
 */
export const UNIT_LINK_TALLY = (alias: string) =>
  `LEFT JOIN LATERAL (SELECT sum(t.visits)::int AS visits, sum(t.days)::int AS days FROM unit_link_tallies t
                       WHERE t.link_id = ${alias}.id AND t.year = ${YEAR_ASKED}) ${alias}t ON true`;
/**
 * A 联户 link's figure for the year asked, from the latest year's tally its own
 * row carries (migration 1763857600000): no join over 5 million links, and no
 * correlated subquery, which would keep the scan out of parallel workers. A
 * link visited since in a later year (a year-end digest read in January) takes
 * the year asked from household_link_tallies, through HOUSEHOLD_LINK_EARLIER:
 * a hash join against the few links with a later year's tally
 * (household_link_tallies_year_idx), not against every link.
 */
export const HOUSEHOLD_LINK_FIGURE = (alias: string, col: 'visits' | 'days' | 'talks') =>
  `CASE WHEN ${alias}.tally_year = ${YEAR_ASKED} THEN ${alias}.tally_${col}
        WHEN ${alias}.tally_year > ${YEAR_ASKED} THEN coalesce(${alias}e.${col}, 0) ELSE 0 END`;
/** The join HOUSEHOLD_LINK_FIGURE needs, written after the link's alias. */
export const HOUSEHOLD_LINK_EARLIER = (alias: string) =>
  `LEFT JOIN (SELECT t.link_id, t.visits, t.days, t.talks FROM household_link_tallies t
               WHERE t.year = ${YEAR_ASKED}
                 AND t.link_id IN (SELECT link_id FROM household_link_tallies WHERE year > ${YEAR_ASKED})) ${alias}e
         ON ${alias}e.link_id = ${alias}.id`;
/**
 * The same figures read per link, for a scope small enough to be read through
 * the village index (a county): the earlier year's tally is looked up only
 * for a link whose own row carries a later year. The condition on the link's
 * column gates the lookup (a one-time filter per link; OFFSET 0 keeps the
 * subquery from being flattened into a join, which would lose the gate),
 * where the join above is answered with two index probes for every link once
 * the planner expects a nested loop.
 */
export const HOUSEHOLD_LINK_EARLIER_PER_LINK = (alias: string) =>
  `LEFT JOIN LATERAL (SELECT t.visits, t.days, t.talks FROM household_link_tallies t
                       WHERE ${alias}.tally_year > ${YEAR_ASKED} AND t.link_id = ${alias}.id AND t.year = ${YEAR_ASKED}
                      OFFSET 0) ${alias}e ON true`;
/** A cadre's days on site in the year asked, as a scalar subquery (NULL without a tally). */
export const CADRE_DAYS = (alias: string) =>
  `(SELECT t.days_on_site FROM cadre_tallies t WHERE t.cadre_id = ${alias}.id AND t.year = ${YEAR_ASKED})`;
export const CADRE_TALLY = (alias: string) =>
  `LEFT JOIN cadre_tallies ${alias}t ON ${alias}t.cadre_id = ${alias}.id AND ${alias}t.year = ${YEAR_ASKED}`;

/** A Shanghai date's midnight as an instant. */
const SINCE_TS = (day: string) => `(${day}::timestamp AT TIME ZONE 'Asia/Shanghai')`;

/**
 * Unit→village links: check-ins by any cadre of the unit at the village since
 * the link's start and the distinct days they cover, from the link's year tally
 * (each check-in counted for the link valid when it happened).
 * Extra params: $5 visits target, $6 days target. `asOf`: counted from the per-day rows
 * through $2, a day before today (as-of-sql.ts), instead of the year tally.
 */
export function unitLinkSql(filter: string, behindOnly: boolean, asOf = false): string {
  return `
    WITH s AS (
      SELECT l.unit_id, u.name AS unit_name, l.village_id, r.name AS village_name, r.full_name AS village_full_name,
             r.path AS village_path, coalesce(lt.visits, 0) AS visits, coalesce(lt.days, 0) AS days,
             ${REQUIRED('$5', SINCE_TS(SINCE_DATE('l.valid_from')))} AS required_visits,
             ${REQUIRED('$6', SINCE_TS(SINCE_DATE('l.valid_from')))} AS required_days
        FROM unit_village_links l JOIN units u ON u.id = l.unit_id JOIN regions r ON r.id = l.village_id
             ${(asOf ? UNIT_LINK_AS_OF : UNIT_LINK_TALLY)('l')}
       WHERE ${VALID_ON('l')} ${filter}
    )
    SELECT * FROM s ${behindOnly ? 'WHERE visits < required_visits OR days < required_days' : ''}
    ORDER BY unit_id, village_id`;
}

/**
 * Cadre→household links: visits, distinct days and talks since the link's start,
 * from the year tally each link carries, so all 5 million links are one pass
 * over one table.
 * What a link owes by now depends only on its start day, so it is computed once
 * per day of the year into arrays and looked up by day number.
 * Extra params: $5 visits, $6 days, $7 talks targets. Options: `householder`
 * joins households for the name (per-link lists need it; the grouped figures do
 * not); `activeOnly: false` leaves out the join to cadres for a caller that
 * filters active cadres after grouping (half a million rows instead of 5 million); `asOf`
 * counts from the per-day rows through $2, a day before today (as-of-sql.ts); `perLink`
 * reads an earlier year's tally per link (HOUSEHOLD_LINK_EARLIER_PER_LINK), for a county or less.
 */
export function householdLinkSql(
  filter: string,
  { behindOnly = false, ordered = filter !== '', householder = true, activeOnly = true, asOf = false, perLink = false } = {},
): string {
  const earlier = asOf ? HOUSEHOLD_LINK_AS_OF : perLink ? HOUSEHOLD_LINK_EARLIER_PER_LINK : HOUSEHOLD_LINK_EARLIER;
  const figure = asOf ? HOUSEHOLD_LINK_AS_OF_FIGURE : HOUSEHOLD_LINK_FIGURE;
  const jan1 = `($3::timestamptz AT TIME ZONE 'Asia/Shanghai')::date`;
  // Uncorrelated scalar subqueries, like TALLY's year: computed once and handed to parallel workers.
  const owed = (target: string) =>
    `(SELECT array_agg(${REQUIRED(target, SINCE_TS('d::date'))} ORDER BY d)
        FROM generate_series(${jan1}, $2::date, interval '1 day') d)[${SINCE_DATE('chl.valid_from')} - ${jan1} + 1]`;
  return `
    SELECT * FROM (
      SELECT chl.id AS link_id, chl.cadre_id, chl.household_id, ${householder ? 'h.householder' : 'NULL::text AS householder'}, chl.village_id,
             ${figure('chl', 'visits')} AS visits, ${figure('chl', 'days')} AS days, ${figure('chl', 'talks')} AS talks,
             ${owed('$5')} AS required_visits, ${owed('$6')} AS required_days, ${owed('$7')} AS required_talks
        FROM cadre_household_links chl ${earlier('chl')}
        ${householder ? 'JOIN households h ON h.id = chl.household_id' : ''}
        ${activeOnly ? 'JOIN cadres c ON c.id = chl.cadre_id AND c.active' : ''}
       WHERE ${VALID_ON('chl')} ${filter}
    ) s
    ${behindOnly ? 'WHERE visits < required_visits OR days < required_days OR talks < required_talks' : ''}
    ${ordered ? 'ORDER BY cadre_id, household_id' : ''}`;
}

/** A team member's stay within the year asked: from their 驻村 start (else 1 January) to the end of its last day (else now). */
const TEAM_SINCE = SINCE_TS(SINCE_DATE('c.resident_from'));
const TEAM_UNTIL = `least($1::timestamptz, ${SINCE_TS('(c.resident_to + 1)')})`;
const TEAM_ROLE_LIST = TEAM_ROLES.map((r) => `'${r}'`).join(', ');

/** Whether cadre `alias` is a resident team member. */
export const isTeam = (alias: string) => `${alias}.role IN (${TEAM_ROLE_LIST})`;

/** What a resident team member (cadres alias `c`) owes of `target` days by now, pro-rated to their stay; NULL for others. */
export const TEAM_REQUIRED = (target: string) =>
  `CASE WHEN ${isTeam('c')} THEN ${REQUIRED(target, TEAM_SINCE, TEAM_UNTIL)} END`;

/**
 * Resident team members (TEAM_ROLES): days on site (any check-in) and resident
 * days (nights at the village; auto-closed check-ins excluded: a forgotten 签退
 * proves nothing), from the cadre's year tally; what they owe is pro-rated to
 * their stay. Extra params: $5 on-site target, $6 resident target.
 */
export function teamSql(filter: string, behindOnly: boolean): string {
  return `
    WITH s AS (
      SELECT c.id AS cadre_id, coalesce(ct.days_on_site, 0) AS days_on_site,
             coalesce(ct.days_resident, 0) AS days_resident,
             ${REQUIRED('$5', TEAM_SINCE, TEAM_UNTIL)} AS required_on_site,
             ${REQUIRED('$6', TEAM_SINCE, TEAM_UNTIL)} AS required_resident
        FROM cadres c ${CADRE_TALLY('c')} WHERE c.active AND ${isTeam('c')} AND $2::date IS NOT NULL ${filter}
    )
    SELECT * FROM s ${behindOnly ? 'WHERE days_on_site < required_on_site OR days_resident < required_resident' : ''}
    ORDER BY cadre_id`;
}
