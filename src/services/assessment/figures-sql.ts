import { LEADER_ROLES, TEAM_ROLES } from '../../lib/roles';

/**
 * Set-based SQL behind src/services/assessment/scores.ts: a period's figures per
 * cadre and per unit from the day rows the counting triggers keep
 * (household_link_days, unit_link_days, unit_link_cadre_days, cadre_days; a
 * quarter needs days, the year tallies hold whole years only) and from the
 * records (problems, notice_recipients, must_visits, diary_entries, help_acts).
 *
 * Parameters: $1 from (Shanghai date), $2 to (exclusive), $3 days in the year,
 * $4 LIKE pattern of the village paths in scope. Extra targets as noted.
 * A link counts for the days of the period it was valid ([valid_from, valid_to)):
 * it owes quota × those days / days in the year, and what it did beyond that
 * is capped at what it owed, so one household visited ten times does not make
 * up for nine not visited.
 */

const TEAM_ROLE_LIST = TEAM_ROLES.map((r) => `'${r}'`).join(', ');
const LEADER_ROLE_LIST = LEADER_ROLES.map((r) => `'${r}'`).join(', ');
/** A Shanghai date's midnight as an instant. */
const MIDNIGHT = (date: string) => `(${date}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`;
const FROM_TS = MIDNIGHT('$1');
const TO_TS = MIDNIGHT('$2');

/** Days of [$1, $2) within [from, to) (to exclusive, NULL open). */
const OVERLAP = (from: string, to: string) =>
  `greatest(0, least($2::date, coalesce(${to}, $2::date)) - greatest($1::date, ${from}))`;

/** A link valid on some day of the period. */
const IN_PERIOD = (alias: string) => `${alias}.valid_from < $2::date AND (${alias}.valid_to IS NULL OR ${alias}.valid_to > $1::date)`;

/** The region columns of a village (alias `v`): its township and county, for ranking. */
const PLACE_COLUMNS = `v.id AS village_id, v.full_name AS village_full_name, v.path AS village_path, t.id AS township_id, t.name AS township_name,
       co.id AS county_id, co.name AS county_name`;
const PLACE_JOINS = (villageId: string) =>
  `JOIN regions v ON v.id = ${villageId} AND v.path LIKE $4
   JOIN regions t ON t.id = v.parent_id JOIN regions co ON co.id = t.parent_id`;

/**
 * The period's records are counted per cadre in one grouped pass each (its
 * problems due, notices received, must-visits due, diary days, 六送 acts),
 * not looked up cadre by cadre.
 * Cadres assessed: every active cadre but leaders and admins, placed at their
 * 驻村村, else the first village their unit was linked to in the period, else
 * the village of their first household link; a cadre with none is not placed
 * and not assessed. Extra params: $5 visits, $6 days, $7 talks per household
 * link a year; $8 days on site, $9 resident days a year (team members).
 */
export const CADRE_FIGURES_SQL = `
  WITH c AS (
    SELECT c.*, coalesce(c.resident_village_id,
             (SELECT l.village_id FROM unit_village_links l WHERE l.unit_id = c.unit_id AND ${IN_PERIOD('l')}
               ORDER BY l.valid_from, l.id LIMIT 1),
             (SELECT l.village_id FROM cadre_household_links l WHERE l.cadre_id = c.id AND ${IN_PERIOD('l')}
               ORDER BY l.valid_from, l.id LIMIT 1)) AS place_id
      FROM cadres c WHERE c.active AND c.role NOT IN (${LEADER_ROLE_LIST})
  ), hh AS (
    SELECT l.cadre_id,
           sum($5::numeric * l.ov / $3) AS visits_owed, sum(least(l.visits, $5::numeric * l.ov / $3)) AS visits_done,
           sum($6::numeric * l.ov / $3) AS days_owed, sum(least(l.days, $6::numeric * l.ov / $3)) AS days_done,
           sum($7::numeric * l.ov / $3) AS talks_owed, sum(least(l.talks, $7::numeric * l.ov / $3)) AS talks_done
      FROM (SELECT l.cadre_id, ${OVERLAP('l.valid_from', 'l.valid_to')} AS ov,
                   coalesce(d.visits, 0) AS visits, coalesce(d.days, 0) AS days, coalesce(d.talks, 0) AS talks
              FROM cadre_household_links l
              LEFT JOIN LATERAL (SELECT sum(d.visits) AS visits, count(*) FILTER (WHERE d.visits > 0) AS days, sum(d.talks) AS talks
                                   FROM household_link_days d WHERE d.link_id = l.id AND d.day >= $1::date AND d.day < $2::date) d ON true
             WHERE ${IN_PERIOD('l')} AND l.cadre_id IN (SELECT id FROM c)) l
     GROUP BY l.cadre_id
  ), team AS (
    SELECT c.id AS cadre_id, ${OVERLAP('coalesce(c.resident_from, $1::date)', '(c.resident_to + 1)')} AS ov,
           (SELECT count(*) FILTER (WHERE d.on_site > 0) FROM cadre_days d WHERE d.cadre_id = c.id AND d.day >= $1::date AND d.day < $2::date) AS on_site,
           (SELECT count(*) FILTER (WHERE d.resident > 0) FROM cadre_days d WHERE d.cadre_id = c.id AND d.day >= $1::date AND d.day < $2::date) AS resident
      FROM c WHERE c.role IN (${TEAM_ROLE_LIST})
  ), pr AS (
    SELECT p.owner_cadre_id AS cadre_id, count(*) AS due,
           count(*) FILTER (WHERE p.closed_at < ${MIDNIGHT('(p.deadline + 1)')}) AS in_time
      FROM problems p WHERE p.revoked_at IS NULL AND p.deadline >= $1::date AND p.deadline < $2::date GROUP BY 1
  ), nt AS (
    SELECT nr.cadre_id, count(*) AS received, count(nr.acked_at) AS acked
      FROM notices n JOIN notice_recipients nr ON nr.notice_id = n.id
     WHERE n.created_at >= ${FROM_TS} AND n.created_at < ${TO_TS} GROUP BY 1
  ), mv AS (
    SELECT m.cadre_id, count(*) AS due, count(*) FILTER (WHERE m.done_at <= m.due_at) AS in_time
      FROM must_visits m WHERE m.revoked_at IS NULL AND m.due_at >= ${FROM_TS} AND m.due_at < ${TO_TS} GROUP BY 1
  ), di AS (
    SELECT e.cadre_id, count(DISTINCT (e.created_at AT TIME ZONE 'Asia/Shanghai')::date) AS days
      FROM diary_entries e WHERE e.revoked_at IS NULL AND e.created_at >= ${FROM_TS} AND e.created_at < ${TO_TS} GROUP BY 1
  ), ha AS (
    SELECT a.cadre_id, count(*) AS acts
      FROM help_acts a WHERE a.revoked_at IS NULL AND a.acted_at >= ${FROM_TS} AND a.acted_at < ${TO_TS} GROUP BY 1
  )
  SELECT c.id AS cadre_id, c.name, c.userid, c.unit_id, u.name AS unit_name, c.role, ${PLACE_COLUMNS},
         hh.visits_owed, hh.visits_done, hh.days_owed, hh.days_done, hh.talks_owed, hh.talks_done,
         $8::numeric * team.ov / $3 AS on_site_owed, team.on_site AS on_site_done,
         $9::numeric * team.ov / $3 AS resident_owed, team.resident AS resident_done,
         coalesce(pr.due, 0) AS problems_due, coalesce(pr.in_time, 0) AS problems_in_time,
         coalesce(nt.received, 0) AS notices_received, coalesce(nt.acked, 0) AS notices_acked,
         coalesce(mv.due, 0) AS must_visits_due, coalesce(mv.in_time, 0) AS must_visits_in_time,
         coalesce(di.days, 0) AS diary_days, coalesce(ha.acts, 0) AS help_acts
    FROM c ${PLACE_JOINS('c.place_id')}
    LEFT JOIN units u ON u.id = c.unit_id
    LEFT JOIN hh ON hh.cadre_id = c.id
    LEFT JOIN team ON team.cadre_id = c.id
    LEFT JOIN pr ON pr.cadre_id = c.id LEFT JOIN nt ON nt.cadre_id = c.id LEFT JOIN mv ON mv.cadre_id = c.id
    LEFT JOIN di ON di.cadre_id = c.id LEFT JOIN ha ON ha.cadre_id = c.id
   ORDER BY c.id`;

/**
 * Units with a 联村 link in the period, placed at the first village linked:
 * check-ins (any cadre of the unit) and distinct days per link, capped at what
 * each link owed. Extra params: $5 visits, $6 days per village link a year.
 */
export const UNIT_FIGURES_SQL = `
  WITH l AS (
    SELECT l.unit_id, l.village_id, l.valid_from, l.id, ${OVERLAP('l.valid_from', 'l.valid_to')} AS ov,
           coalesce((SELECT sum(d.visits) FROM unit_link_cadre_days d
                      WHERE d.link_id = l.id AND d.day >= $1::date AND d.day < $2::date), 0) AS visits,
           (SELECT count(*) FROM unit_link_days d WHERE d.link_id = l.id AND d.day >= $1::date AND d.day < $2::date) AS days
      FROM unit_village_links l WHERE ${IN_PERIOD('l')}
  ), u AS (
    SELECT l.unit_id, (array_agg(l.village_id ORDER BY l.valid_from, l.id))[1] AS place_id,
           sum($5::numeric * l.ov / $3) AS visits_owed, sum(least(l.visits, $5::numeric * l.ov / $3)) AS visits_done,
           sum($6::numeric * l.ov / $3) AS days_owed, sum(least(l.days, $6::numeric * l.ov / $3)) AS days_done
      FROM l GROUP BY l.unit_id
  )
  SELECT u.unit_id, un.name AS unit_name, ${PLACE_COLUMNS}, u.visits_owed, u.visits_done, u.days_owed, u.days_done
    FROM u JOIN units un ON un.id = u.unit_id ${PLACE_JOINS('u.place_id')}
   ORDER BY u.unit_id`;

/** Ratings of the period's quarters ($1 text[]), averaged: a year's is the mean of its rated quarters. */
export const RATINGS_SQL = `
  SELECT cadre_id, unit_id, kind, avg(score)::float8 AS score
    FROM assessment_ratings WHERE period = ANY($1)
   GROUP BY cadre_id, unit_id, kind`;
