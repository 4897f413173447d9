import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Overnight stays (docs/design.md §2 "Time on site").
 *
 * - A resident day is a night at the village: every date from a check-in's start
 *   up to the day before its end, for a check-in closed by its cadre (an
 *   auto-closed one proves nothing). A stay of 8 hours or more within one day is
 *   no longer one. visit_days() is replaced, and the resident counts the
 *   triggers kept under the old definition are corrected in one pass: the only
 *   check-ins that change are the single-day ones of 8 hours or more, whose
 *   start date stops being resident.
 * - An open check-in is closed automatically only once it has been open longer
 *   than `checkin.stay_cap_hours` (24 h), which a real overnight stay does not
 *   reach; a manual 签退 after longer counts up to that cap. The auto-checkout
 *   job therefore runs every hour instead of at 23:59 (unless an admin has set
 *   another time).
 */
export class OvernightStays1763857800000 implements MigrationInterface {
  name = 'OvernightStays1763857800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(visitDaysFunction(NIGHTS_ONLY));
    await q.query(recountSingleDayStays(-1));
    await setRules(q, RULES_NOW, RULES_BEFORE);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(visitDaysFunction(NIGHTS_AND_LONG_DAYS));
    await q.query(recountSingleDayStays(1));
    await setRules(q, RULES_BEFORE, RULES_NOW);
  }
}

/** Resident: every date before the end date (a night spent there), closed by the cadre. */
const NIGHTS_ONLY = `NOT p_auto AND p_end IS NOT NULL AND d::date < b.e`;
/** The definition of migration 1763857500000: also the start date of a stay of ≥ 8 h. */
const NIGHTS_AND_LONG_DAYS = `NOT p_auto AND p_end IS NOT NULL
                                 AND ((d::date = b.s AND p_end >= p_start + interval '8 hours') OR d::date < b.e)`;

/** The dates a check-in covers (its start date while open) and which of them are resident days. */
const visitDaysFunction = (resident: string) => `CREATE OR REPLACE FUNCTION visit_days(p_start timestamptz, p_end timestamptz, p_auto boolean)
      RETURNS TABLE (day date, resident boolean) LANGUAGE sql STABLE AS $$
        WITH b AS (SELECT (p_start AT TIME ZONE 'Asia/Shanghai')::date AS s,
                          (coalesce(p_end, p_start) AT TIME ZONE 'Asia/Shanghai')::date AS e)
        SELECT d::date, coalesce(${resident}, false)
          FROM b, generate_series(b.s, b.e, interval '1 day') d
      $$`;

/**
 * The check-ins whose resident days differ between the two definitions (closed by their
 * cadre, within one date, 8 hours or more: their start date) take `sign` from that day's
 * resident counter, and the year tallies follow the days that start or stop being resident.
 */
const recountSingleDayStays = (sign: 1 | -1) => `
  WITH changed AS (
    SELECT cadre_id, (started_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*)::int AS n
      FROM visits
     WHERE revoked_at IS NULL AND NOT auto_closed AND ended_at >= started_at + interval '8 hours'
       AND (started_at AT TIME ZONE 'Asia/Shanghai')::date = (ended_at AT TIME ZONE 'Asia/Shanghai')::date
     GROUP BY 1, 2),
  days AS (
    UPDATE cadre_days c SET resident = c.resident + ${sign} * x.n FROM changed x
     WHERE c.cadre_id = x.cadre_id AND c.day = x.day
    RETURNING c.cadre_id, c.day, (c.resident > 0)::int - (c.resident - ${sign} * x.n > 0)::int AS delta)
  UPDATE cadre_tallies t SET days_resident = t.days_resident + y.delta
    FROM (SELECT cadre_id, extract(year FROM day) AS year, sum(delta)::int AS delta FROM days GROUP BY 1, 2) y
   WHERE t.cadre_id = y.cadre_id AND t.year = y.year AND y.delta <> 0`;

type Rule = [key: string, value: string | number, label: string];

/** The rules as this migration leaves them, and as they were. */
const RULES_NOW: Rule[] = [
  ['checkin.stay_cap_hours', 24, '签到超过多少小时未签退即自动签退，签退时停留最多计入（小时）'],
  ['checkin.auto_checkout_cap_hours', 8, '未签退被自动签退时按签到后多少小时计入（小时）'],
  ['schedule.auto_checkout', '0 * * * *', '自动签退检查（cron）'],
];
const RULES_BEFORE: Rule[] = [
  ['checkin.auto_checkout_cap_hours', 8, '未签退时自动签退计入时长上限（小时）'],
  ['schedule.auto_checkout', '59 23 * * *', '自动签退时间（cron）'],
];

/**
 * Rules of `next` are added when missing and take their label; a value moves to next's only
 * while it is still prev's (an admin's own setting stays). Rules only in `prev` go.
 */
async function setRules(q: QueryRunner, next: Rule[], prev: Rule[]): Promise<void> {
  const asRows = (rules: Rule[]) => JSON.stringify(rules.map(([key, value, label]) => ({ key, value, label })));
  await q.query(
    `INSERT INTO policy_rules AS p (key, value, label)
     SELECT n.key, n.value, n.label FROM jsonb_to_recordset($1::jsonb) AS n(key text, value jsonb, label text)
     ON CONFLICT (key) DO UPDATE SET label = EXCLUDED.label,
       value = CASE WHEN p.value = (SELECT o.value FROM jsonb_to_recordset($2::jsonb) AS o(key text, value jsonb) WHERE o.key = p.key)
                    THEN EXCLUDED.value ELSE p.value END`,
    [asRows(next), asRows(prev)],
  );
  const gone = prev.map(([key]) => key).filter((key) => !next.some(([k]) => k === key));
  await q.query('DELETE FROM policy_rules WHERE key = ANY($1)', [gone]);
}
