import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each cadre stands against the 联户 quotas (docs/design.md §2) at any
 * instant of a year, read from one row per cadre instead of a pass over the
 * cadre's links: `household_pace`.
 *
 * A link's figures change only when it is visited, so between two acts what
 * changes with time is only what it owes: floor(target × elapsed share of the
 * year since the link's start). The k-th unit of a target falls due at
 * since + k × (length of the year) / target, so for its current figures a link
 * falls behind at one instant, known in advance. Each row keeps, sorted, the
 * instants at which its cadre's links start, end, fall behind (on any quota,
 * on visits, on talks) and owe each further visit; the number of them passed
 * by an instant is `width_bucket(instant, array)`, a binary search. A link that
 * has ended is counted until its end: its instants are kept a second time,
 * moved to no earlier than the end, and subtracted. Links valid from 1 January
 * with no end (nearly all) are counted in `households` and `visits`; only the
 * others keep their start and end instants (and one per visit).
 *
 * The row is for one year (`year`: the latest year of its links' tallies, and
 * at least the current one) and covers every link valid on some day of it.
 * `span_path` is the deepest region holding all the cadre's links (of any
 * year), so a scope reads the rows whose span lies inside it and counts the
 * few cadres whose links straddle its border, or whose row is for another
 * year, from their links as before (src/services/standing/pace-rows.ts).
 *
 * The statement triggers on cadre_household_links refresh the rows of the
 * cadres whose links changed (a visit moves its link's tally columns; the
 * roster moves links in bulk), a change of the 联户 rules refreshes them all,
 * and counts_rebuild() rebuilds them. Each refresh reads only the cadre's own
 * links and writes only the cadre's own row.
 */
export class HouseholdPace1763859400000 implements MigrationInterface {
  name = 'HouseholdPace1763859400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE household_pace (
        cadre_id int PRIMARY KEY REFERENCES cadres(id) ON DELETE CASCADE,
        year smallint NOT NULL,
        span_path text NOT NULL,
        span_ids int[] GENERATED ALWAYS AS (string_to_array(btrim(span_path, '/'), '/')::int[]) STORED,
        span_depth smallint GENERATED ALWAYS AS (cardinality(string_to_array(btrim(span_path, '/'), '/'))) STORED,
        households int NOT NULL, visits int NOT NULL,
        starts timestamptz[], ends timestamptz[],
        behind timestamptz[], behind_ended timestamptz[],
        visits_due timestamptz[], visits_due_ended timestamptz[],
        talks_due timestamptz[], talks_due_ended timestamptz[],
        owed_visits timestamptz[], owed_visits_ended timestamptz[],
        visit_starts timestamptz[], visit_ends timestamptz[]
      )`);
    // The rows a scope cannot take as they are: of another year, or spanning more than the depth it groups by.
    await q.query('CREATE INDEX household_pace_span_idx ON household_pace (year, span_depth, span_path text_pattern_ops)');
    await q.query('CREATE INDEX household_pace_span_path_idx ON household_pace (span_path)');
    await q.query(`CREATE INDEX household_pace_later_idx ON household_pace (year, span_path text_pattern_ops)
                    WHERE starts IS NOT NULL`);
    await q.query(`CREATE FUNCTION path_common(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT coalesce(max(left(a, i)), '/') FROM generate_series(1, least(length(a), length(b))) i
         WHERE substr(a, i, 1) = '/' AND left(a, i) = left(b, i)
      $$`);
    await q.query(REFRESH);
    await q.query(`CREATE FUNCTION household_pace_links_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM household_pace_refresh(ARRAY(SELECT DISTINCT cadre_id FROM new_links));
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM household_pace_refresh(ARRAY(SELECT DISTINCT cadre_id FROM old_links));
        ELSE
          PERFORM household_pace_refresh(ARRAY(
            SELECT x.cadre_id FROM new_links n JOIN old_links o ON o.id = n.id,
                   LATERAL (VALUES (n.cadre_id), (o.cadre_id)) x(cadre_id)
             WHERE (n.cadre_id, n.village_id, n.valid_from, n.valid_to, n.tally_year, n.tally_visits, n.tally_days, n.tally_talks)
                   IS DISTINCT FROM (o.cadre_id, o.village_id, o.valid_from, o.valid_to, o.tally_year, o.tally_visits, o.tally_days, o.tally_talks)
             GROUP BY 1));
        END IF;
        RETURN NULL;
      END $$`);
    await statementTriggers(q, 'household_pace', 'cadre_household_links', 'links', 'household_pace_links_changed');
    await q.query(`CREATE FUNCTION household_pace_rebuild() RETURNS void LANGUAGE sql AS $$
        DELETE FROM household_pace h WHERE NOT EXISTS (SELECT 1 FROM cadre_household_links l WHERE l.cadre_id = h.cadre_id);
        SELECT household_pace_refresh(ARRAY(SELECT DISTINCT cadre_id FROM cadre_household_links));
      $$`);
    // A change of a 联户 quota moves every link's due instants (an admin's edit; minutes at the province).
    await q.query(`CREATE FUNCTION household_pace_rules_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE changed boolean;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          changed := EXISTS (SELECT 1 FROM new_rules WHERE key IN (${QUOTA_LIST}));
        ELSIF TG_OP = 'DELETE' THEN
          changed := EXISTS (SELECT 1 FROM old_rules WHERE key IN (${QUOTA_LIST}));
        ELSE
          changed := EXISTS (SELECT 1 FROM new_rules n FULL JOIN old_rules o ON o.key = n.key
                              WHERE coalesce(n.key, o.key) IN (${QUOTA_LIST}) AND n.value IS DISTINCT FROM o.value);
        END IF;
        IF changed THEN
          PERFORM household_pace_rebuild();
        END IF;
        RETURN NULL;
      END $$`);
    await statementTriggers(q, 'household_pace_rules', 'policy_rules', 'rules', 'household_pace_rules_changed');
    await q.query(countsRebuild([...REBUILD_PARTS, 'household_pace_rebuild']));
    await q.query('SELECT household_pace_rebuild()');
    await q.query('ANALYZE household_pace');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(countsRebuild(REBUILD_PARTS));
    for (const op of ['insert', 'update', 'delete']) {
      await q.query(`DROP TRIGGER household_pace_rules_${op} ON policy_rules`);
      await q.query(`DROP TRIGGER household_pace_${op} ON cadre_household_links`);
    }
    await q.query(`DROP FUNCTION household_pace_rules_changed(), household_pace_links_changed(), household_pace_rebuild(),
      household_pace_refresh(int[]), path_common(text, text)`);
    await q.query('DROP TABLE household_pace');
  }
}

/**
 * `<name>_insert|update|delete` on `table`: statement triggers calling `fn` with the rows as
 * transition tables new_<rows> and old_<rows> (a trigger with transition tables serves one event).
 */
async function statementTriggers(q: QueryRunner, name: string, table: string, rows: string, fn: string): Promise<void> {
  const refs = { INSERT: `NEW TABLE AS new_${rows}`, UPDATE: `NEW TABLE AS new_${rows} OLD TABLE AS old_${rows}`, DELETE: `OLD TABLE AS old_${rows}` };
  for (const [op, ref] of Object.entries(refs)) {
    await q.query(`CREATE TRIGGER ${name}_${op.toLowerCase()} AFTER ${op} ON ${table}
      REFERENCING ${ref} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
  }
}

/** Above this many ids a trigger's set is a bulk load (see REFRESH); 1763859500000 and 1763859600000 use it too. */
export const BULK_IDS = 1000;

const QUOTA_KEYS = ['household.visits_per_year', 'household.days_per_year', 'household.talks_per_year'] as const;
const QUOTA_LIST = QUOTA_KEYS.map((k) => `'${k}'`).join(', ');
const REBUILD_PARTS = ['counts_rebuild_tallies', 'rollups_rebuild', 'help_tallies_rebuild'];

const countsRebuild = (parts: string[]) => `CREATE OR REPLACE FUNCTION counts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    ${parts.map((p) => `PERFORM ${p}();`).join('\n    ')}
  END $$`;

/** The defaults the initial schema seeded for the 联户 quotas (RULE_DEFAULTS in src/services/rules/rules.ts). */
const QUOTA_DEFAULTS: Record<typeof QUOTA_KEYS[number], number> = {
  'household.visits_per_year': 2, 'household.days_per_year': 7, 'household.talks_per_year': 2,
};

/** A 联户 quota as the rules table holds it, else its default (src/services/rules/rules.ts reads them the same way). */
const quota = (key: typeof QUOTA_KEYS[number]) =>
  `coalesce((SELECT (value)::numeric FROM policy_rules WHERE key = '${key}' AND jsonb_typeof(value) = 'number'), ${QUOTA_DEFAULTS[key]})`;

/**
 * The instant the k-th unit of `target` falls due for a link counted from
 * `since`: the first microsecond at which floor(target × elapsed / year) ≥ k,
 * the pace of src/services/standing/pace-sql.ts; NULL for none (k > target).
 */
const DUE = (k: string, target: string) =>
  `CASE WHEN (${k}) <= ${target} THEN since + ceil((${k}) * year_us / ${target})::float8 * interval '1 microsecond' END`;

/** A sorted array of the non-null values of `expr`; NULL when there are none (most of the ended-link arrays: no bytes). */
const SORTED = (expr: string, where = 'true') =>
  `array_agg(${expr} ORDER BY ${expr}) FILTER (WHERE ${expr} IS NOT NULL AND ${where})`;

/*
 * One statement for any set of cadres, run with EXECUTE so that it is planned for the
 * array it is given: planned once for an unknown array (as a LANGUAGE sql body is), it
 * expects a handful of cadres and joins its steps by nested loops, quadratic in the half
 * million cadres of a roster import. Planning costs about a millisecond per call.
 */
const REFRESH = `CREATE FUNCTION household_pace_refresh(p_cadres int[]) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE nestloop text := current_setting('enable_nestloop');
BEGIN
  -- A roster import refreshes its cadres in the statement that loaded their links, before
  -- any ANALYZE: the planner then takes a half-million-row step for a few rows and would
  -- join the steps by nested loops. Many cadres are joined by hashing.
  IF cardinality(p_cadres) > ${BULK_IDS} THEN
    PERFORM set_config('enable_nestloop', 'off', true);
  END IF;
  EXECUTE $q$
  WITH targets AS (
    SELECT ${quota('household.visits_per_year')} AS tv, ${quota('household.days_per_year')} AS td,
           ${quota('household.talks_per_year')} AS tt
  ),
  links AS (
    SELECT l.id, l.cadre_id, l.valid_from, l.valid_to, l.tally_year, l.tally_visits, l.tally_days, l.tally_talks, r.path
      FROM cadre_household_links l JOIN regions r ON r.id = l.village_id
     WHERE l.cadre_id IN (SELECT unnest($1))
  ),
  cadre_year AS (
    SELECT cadre_id, greatest(max(tally_year), extract(year FROM now() AT TIME ZONE 'Asia/Shanghai'))::int AS year,
           path_common(min(path), max(path)) AS span_path
      FROM links GROUP BY cadre_id
  ),
  yl AS (
    SELECT l.*, y.year,
           (l.valid_from::timestamp AT TIME ZONE 'Asia/Shanghai') AS start_at,
           (l.valid_to::timestamp AT TIME ZONE 'Asia/Shanghai') AS end_at,
           (greatest(l.valid_from, make_date(y.year, 1, 1))::timestamp AT TIME ZONE 'Asia/Shanghai') AS since,
           (extract(epoch FROM (make_date(y.year + 1, 1, 1)::timestamp - make_date(y.year, 1, 1)::timestamp)) * 1000000)::numeric AS year_us,
           CASE WHEN l.tally_year = y.year THEN l.tally_visits ELSE 0 END AS v,
           CASE WHEN l.tally_year = y.year THEN l.tally_days ELSE 0 END AS d,
           CASE WHEN l.tally_year = y.year THEN l.tally_talks ELSE 0 END AS t
      FROM links l JOIN cadre_year y ON y.cadre_id = l.cadre_id
     WHERE l.valid_from < make_date(y.year + 1, 1, 1)
       AND (l.valid_to IS NULL OR (l.valid_to > make_date(y.year, 1, 1) AND l.valid_to > l.valid_from))
  ),
  due AS (
    SELECT yl.*, tv, ${DUE('v + 1', 'tv')} AS fv, ${DUE('d + 1', 'td')} AS fd, ${DUE('t + 1', 'tt')} AS ft
      FROM yl, targets
  ),
  per AS (
    SELECT due.*, least(fv, fd, ft) AS fb, (valid_from > make_date(year, 1, 1) OR valid_to IS NOT NULL) AS odd FROM due
  ),
  owed AS (
    SELECT p.cadre_id, ${SORTED('o')} AS owed_visits, ${SORTED('greatest(o, p.end_at)', 'p.end_at IS NOT NULL')} AS owed_visits_ended
      FROM per p, LATERAL (SELECT ${DUE('k', 'p.tv')} AS o FROM generate_series(p.v + 1, p.tv::int) k) x GROUP BY 1
  ),
  visited AS (
    SELECT p.cadre_id, ${SORTED('p.start_at')} AS visit_starts, ${SORTED('p.end_at')} AS visit_ends
      FROM per p, generate_series(1, p.v) WHERE p.odd GROUP BY 1
  ),
  fresh AS (
    SELECT y.cadre_id, y.year, y.span_path,
           count(p.id) FILTER (WHERE NOT p.odd)::int AS households, coalesce(sum(p.v) FILTER (WHERE NOT p.odd), 0)::int AS visits,
           ${SORTED('p.start_at', 'p.odd')} AS starts, ${SORTED('p.end_at')} AS ends,
           ${SORTED('p.fb')} AS behind, ${SORTED('greatest(p.fb, p.end_at)', 'p.fb IS NOT NULL AND p.end_at IS NOT NULL')} AS behind_ended,
           ${SORTED('p.fv')} AS visits_due, ${SORTED('greatest(p.fv, p.end_at)', 'p.fv IS NOT NULL AND p.end_at IS NOT NULL')} AS visits_due_ended,
           ${SORTED('p.ft')} AS talks_due, ${SORTED('greatest(p.ft, p.end_at)', 'p.ft IS NOT NULL AND p.end_at IS NOT NULL')} AS talks_due_ended
      FROM cadre_year y LEFT JOIN per p ON p.cadre_id = y.cadre_id
     GROUP BY 1, 2, 3
  ),
  gone AS (
    DELETE FROM household_pace h WHERE h.cadre_id IN (SELECT unnest($1)) AND NOT EXISTS (SELECT 1 FROM cadre_year y WHERE y.cadre_id = h.cadre_id)
  )
  INSERT INTO household_pace AS h (cadre_id, year, span_path, households, visits, starts, ends, behind, behind_ended, visits_due, visits_due_ended,
                                   talks_due, talks_due_ended, owed_visits, owed_visits_ended, visit_starts, visit_ends)
  SELECT f.cadre_id, f.year, f.span_path, f.households, f.visits, f.starts, f.ends, f.behind, f.behind_ended, f.visits_due, f.visits_due_ended,
         f.talks_due, f.talks_due_ended, o.owed_visits, o.owed_visits_ended, vi.visit_starts, vi.visit_ends
    FROM fresh f LEFT JOIN owed o ON o.cadre_id = f.cadre_id LEFT JOIN visited vi ON vi.cadre_id = f.cadre_id
   ORDER BY f.cadre_id
  ON CONFLICT (cadre_id) DO UPDATE SET
    year = EXCLUDED.year, span_path = EXCLUDED.span_path, households = EXCLUDED.households, visits = EXCLUDED.visits, starts = EXCLUDED.starts, ends = EXCLUDED.ends,
    behind = EXCLUDED.behind, behind_ended = EXCLUDED.behind_ended, visits_due = EXCLUDED.visits_due,
    visits_due_ended = EXCLUDED.visits_due_ended, talks_due = EXCLUDED.talks_due, talks_due_ended = EXCLUDED.talks_due_ended,
    owed_visits = EXCLUDED.owed_visits, owed_visits_ended = EXCLUDED.owed_visits_ended,
    visit_starts = EXCLUDED.visit_starts, visit_ends = EXCLUDED.visit_ends
  $q$ USING p_cadres;
  PERFORM set_config('enable_nestloop', nestloop, true);
END $f$`;
