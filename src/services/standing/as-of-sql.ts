/**
 * Year-to-date figures as of a past day (the console's 任务进度 and its export
 * with a date range ending before today), counted from the per-day rows the
 * counting triggers keep (migration 1763857500000) instead of the year tallies,
 * which hold the whole year so far. Each fragment yields the same columns as its
 * tally counterpart in pace-sql.ts, so the statements around it do not change.
 *
 * Parameters as in pace-sql.ts: $2 is the day asked (Shanghai date), $3 the
 * first instant of its year. Every read is one link's (or cadre's) rows through
 * their primary key: (link_id, day), (cadre_id, day); check-ins through
 * visits_unit_link_started_idx (migration 1763859300000). Index-only where
 * the tables are vacuumed: a few leaf pages per link.
 */

/** 1 January of the year asked, as a date. */
const JAN1 = `($3::timestamptz AT TIME ZONE 'Asia/Shanghai')::date`;
/** The first instant after the day asked. */
const AFTER_DAY = `(($2::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`;

/**
 * A 联村 link's check-ins begun from 1 January through the day asked (each counted for the
 * link it recorded) and the distinct days it covered: `<alias>t.visits`, `.days`.
 */
export const UNIT_LINK_AS_OF = (alias: string) =>
  `LEFT JOIN LATERAL (
     SELECT (SELECT count(*)::int FROM visits v
              WHERE v.unit_link_id = ${alias}.id AND v.started_at >= $3::timestamptz AND v.started_at < ${AFTER_DAY}
                AND v.revoked_at IS NULL) AS visits,
            (SELECT count(*)::int FROM unit_link_days d
              WHERE d.link_id = ${alias}.id AND d.day BETWEEN ${JAN1} AND $2::date) AS days) ${alias}t ON true`;

/** A 联户 link's visits, visit days and talks from 1 January through the day asked: `<alias>d.*`. */
export const HOUSEHOLD_LINK_AS_OF = (alias: string) =>
  `LEFT JOIN LATERAL (SELECT sum(d.visits)::int AS visits, count(*)::int AS days, sum(d.talks)::int AS talks
                        FROM household_link_days d
                       WHERE d.link_id = ${alias}.id AND d.day BETWEEN ${JAN1} AND $2::date) ${alias}d ON true`;
/** The figure HOUSEHOLD_LINK_AS_OF joined, as HOUSEHOLD_LINK_FIGURE reads the tally. */
export const HOUSEHOLD_LINK_AS_OF_FIGURE = (alias: string, col: 'visits' | 'days' | 'talks') => `coalesce(${alias}d.${col}, 0)`;

/**
 * A cadre's days on site from 1 January through the day asked: `<alias>t.days_on_site`. A
 * cadre_days row exists only for a day on site (every day a check-in covers is one; a resident
 * day is one of them), so this counts primary-key entries alone, never reading the rows.
 */
export const CADRE_DAYS_AS_OF = (alias: string) =>
  `(SELECT count(*)::int FROM cadre_days d WHERE d.cadre_id = ${alias}.id AND d.day BETWEEN ${JAN1} AND $2::date)`;
