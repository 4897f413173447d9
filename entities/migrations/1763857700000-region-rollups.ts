import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rollups per region so that a province, a city and a county read in about the
 * same time (docs/architecture.md "Counts").
 *
 * Activity (the console's 走访动态): `region_activity` holds, for every region
 * from the province down to the township, per Shanghai day the check-ins begun
 * and household visits made at its villages and the distinct cadres who did
 * either, and per ISO week ('w') and month ('m') the distinct cadres. A
 * distinct count cannot be summed from smaller regions or shorter periods, so
 * each act also keeps a presence row `cadre_village_days` (a cadre at a village
 * on a day, with the acts behind it): when a presence appears or goes, the
 * cadre's other presences of that week and month (a few dozen rows at most)
 * tell which regions and periods gain or lose the cadre. Every row is striped
 * by cadre (`stripe` = cadre id mod 16, summed when read), so a morning burst
 * across a province updates sixteen rows per region and day, not one.
 *
 * Coverage (两个全覆盖): each household carries the first day it is covered
 * (`covered_since`: the earliest start among its 联户 links not ended;
 * 'infinity' when it has none), each village likewise for its 联村 links
 * (`unit_linked_since`), and `village_households` counts a village's households
 * by that day. A scope's coverage on a day is then a sum over its villages'
 * few rows instead of a pass over its households and their links. Links end
 * with `valid_to` set to the roster import's day, so a link not ended is one
 * valid from its start on.
 *
 * Triggers keep both; bulk loads call counts_rebuild(), which now rebuilds
 * them too.
 */
export class RegionRollups1763857700000 implements MigrationInterface {
  name = 'RegionRollups1763857700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cadre_village_days (
        cadre_id int NOT NULL, day date NOT NULL, village_id int NOT NULL, acts int NOT NULL CHECK (acts >= 0),
        PRIMARY KEY (cadre_id, day, village_id));
      CREATE TABLE region_activity (
        region_id int NOT NULL, bucket "char" NOT NULL, start date NOT NULL, stripe smallint NOT NULL,
        checkins int NOT NULL DEFAULT 0, household_visits int NOT NULL DEFAULT 0, cadres int NOT NULL DEFAULT 0,
        PRIMARY KEY (region_id, bucket, start, stripe));
      CREATE TABLE village_households (
        village_id int NOT NULL, covered_since date NOT NULL, households int NOT NULL,
        PRIMARY KEY (village_id, covered_since));
      ALTER TABLE households ADD COLUMN covered_since date NOT NULL DEFAULT 'infinity';
      ALTER TABLE villages ADD COLUMN unit_linked_since date NOT NULL DEFAULT 'infinity'`);

    // The regions above a village that keep rollups: province, city, county, township.
    await q.query(`CREATE FUNCTION rollup_regions(p_path text) RETURNS int[] LANGUAGE sql IMMUTABLE AS $$
        SELECT (string_to_array(btrim(p_path, '/'), '/')::int[])[1:4]
      $$`);

    await q.query(countActivityFunction(ADVISORY_LOCK));

    // Check-ins count on the day they began, household visits on their day; an edit that
    // moves neither cadre, village, day nor liveness touches no rollup.
    await actTriggers(q, 'visits', 'started_at', '1, 0');
    await actTriggers(q, 'household_visits', 'visited_at', '0, 1');

    // Coverage: a household's (or village's) first covered day from its links not ended.
    await q.query(`CREATE FUNCTION households_cover(p_ids int[]) RETURNS void LANGUAGE sql AS $$
        UPDATE households h SET covered_since = n.since
          FROM (SELECT i.id, coalesce((SELECT min(l.valid_from) FROM cadre_household_links l
                                        WHERE l.household_id = i.id AND l.valid_to IS NULL), 'infinity') AS since
                  FROM unnest(p_ids) i (id)) n
         WHERE h.id = n.id AND h.covered_since <> n.since
      $$`);
    await q.query(`CREATE FUNCTION villages_cover(p_ids int[]) RETURNS void LANGUAGE sql AS $$
        UPDATE villages v SET unit_linked_since = n.since
          FROM (SELECT i.id, coalesce((SELECT min(l.valid_from) FROM unit_village_links l
                                        WHERE l.village_id = i.id AND l.valid_to IS NULL), 'infinity') AS since
                  FROM unnest(p_ids) i (id)) n
         WHERE v.id = n.id AND v.unit_linked_since <> n.since
      $$`);
    // Statement triggers with transition tables: a roster import's bulk statement is one
    // set-based update, not one per row.
    for (const [table, target, fn] of [
      ['cadre_household_links', 'household_id', 'households_cover'],
      ['unit_village_links', 'village_id', 'villages_cover'],
    ]) {
      await q.query(`CREATE FUNCTION ${table}_cover() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN PERFORM ${fn}(array(SELECT DISTINCT ${target} FROM new_rows));
          ELSIF TG_OP = 'DELETE' THEN PERFORM ${fn}(array(SELECT DISTINCT ${target} FROM old_rows));
          ELSE
            -- Only links whose household (village), start or end changed: a visit's tally copied
            -- onto its 联户 link is an update too.
            PERFORM ${fn}(ids) FROM (
              SELECT array(SELECT unnest(array[o.${target}, n.${target}]) FROM old_rows o JOIN new_rows n ON n.id = o.id
                            WHERE (o.${target}, o.valid_from, o.valid_to) IS DISTINCT FROM (n.${target}, n.valid_from, n.valid_to)) AS ids) x
             WHERE cardinality(ids) > 0;
          END IF;
          RETURN NULL;
        END $$`);
      await q.query(`CREATE TRIGGER ${table}_cover_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION ${table}_cover()`);
      await q.query(`CREATE TRIGGER ${table}_cover_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION ${table}_cover()`);
      await q.query(`CREATE TRIGGER ${table}_cover_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION ${table}_cover()`);
    }
    // village_households follows the households themselves (new, removed, moved, covered).
    const addHouseholds = (rows: string, sign: string, where = '') => `
      INSERT INTO village_households AS t (village_id, covered_since, households)
        SELECT r.village_id, r.covered_since, ${sign}count(*) FROM ${rows} r ${where} GROUP BY 1, 2
      ON CONFLICT (village_id, covered_since) DO UPDATE SET households = t.households + EXCLUDED.households`;
    const moved = (other: string) => `WHERE EXISTS (SELECT 1 FROM ${other} x
      WHERE x.id = r.id AND (x.village_id, x.covered_since) <> (r.village_id, r.covered_since))`;
    await q.query(`CREATE FUNCTION households_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN ${addHouseholds('new_rows', '')};
        ELSIF TG_OP = 'DELETE' THEN ${addHouseholds('old_rows', '-')};
        ELSE
          ${addHouseholds('old_rows', '-', moved('new_rows'))};
          ${addHouseholds('new_rows', '', moved('old_rows'))};
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER households_rollup_insert AFTER INSERT ON households REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION households_rollup()`);
    await q.query(`CREATE TRIGGER households_rollup_update AFTER UPDATE ON households REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION households_rollup()`);
    await q.query(`CREATE TRIGGER households_rollup_delete AFTER DELETE ON households REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION households_rollup()`);

    // From the raw rows, for bulk loads and repairs (the triggers are off under
    // session_replication_role = replica, as the seed loads).
    await q.query(`CREATE FUNCTION rollups_rebuild() RETURNS void LANGUAGE plpgsql SET work_mem = '512MB' AS $$
      BEGIN
        UPDATE households h SET covered_since = n.since
          FROM (SELECT h.id, coalesce(min(l.valid_from), 'infinity') AS since
                  FROM households h LEFT JOIN cadre_household_links l ON l.household_id = h.id AND l.valid_to IS NULL
                 GROUP BY h.id) n
         WHERE h.id = n.id AND h.covered_since <> n.since;
        UPDATE villages v SET unit_linked_since = n.since
          FROM (SELECT v.id, coalesce(min(l.valid_from), 'infinity') AS since
                  FROM villages v LEFT JOIN unit_village_links l ON l.village_id = v.id AND l.valid_to IS NULL
                 GROUP BY v.id) n
         WHERE v.id = n.id AND v.unit_linked_since <> n.since;
        TRUNCATE village_households, cadre_village_days, region_activity;
        INSERT INTO village_households (village_id, covered_since, households)
          SELECT village_id, covered_since, count(*) FROM households GROUP BY 1, 2;
        INSERT INTO cadre_village_days (cadre_id, day, village_id, acts)
          SELECT cadre_id, day, village_id, count(*) FROM (
            SELECT cadre_id, (started_at AT TIME ZONE 'Asia/Shanghai')::date AS day, village_id FROM visits WHERE revoked_at IS NULL
            UNION ALL
            SELECT cadre_id, (visited_at AT TIME ZONE 'Asia/Shanghai')::date, village_id FROM household_visits WHERE revoked_at IS NULL) x
           GROUP BY 1, 2, 3;
        -- The acts of each cadre, day and township, then up the township's ancestors.
        CREATE TEMP TABLE rollup_acts ON COMMIT DROP AS
          SELECT a.cadre_id, a.day, r.parent_id AS township, sum(a.checkins)::int AS checkins, sum(a.visits)::int AS visits
            FROM (SELECT cadre_id, (started_at AT TIME ZONE 'Asia/Shanghai')::date AS day, village_id, 1 AS checkins, 0 AS visits
                    FROM visits WHERE revoked_at IS NULL
                  UNION ALL
                  SELECT cadre_id, (visited_at AT TIME ZONE 'Asia/Shanghai')::date, village_id, 0, 1
                    FROM household_visits WHERE revoked_at IS NULL) a
            JOIN regions r ON r.id = a.village_id
           GROUP BY 1, 2, 3;
        CREATE TEMP TABLE rollup_up ON COMMIT DROP AS
          SELECT t.id AS township, unnest(rollup_regions(t.path)) AS region_id FROM regions t WHERE t.level = 3;
        ANALYZE rollup_acts, rollup_up;
        INSERT INTO region_activity (region_id, bucket, start, stripe, checkins, household_visits, cadres)
          SELECT u.region_id, 'd', a.day, a.cadre_id % 16, sum(a.checkins), sum(a.visits), count(DISTINCT a.cadre_id)
            FROM rollup_acts a JOIN rollup_up u ON u.township = a.township GROUP BY 1, 3, 4;
        INSERT INTO region_activity (region_id, bucket, start, stripe, cadres)
          SELECT u.region_id, b.bucket, b.start, a.cadre_id % 16, count(DISTINCT a.cadre_id)
            FROM rollup_acts a JOIN rollup_up u ON u.township = a.township,
                 LATERAL (VALUES ('w'::"char", date_trunc('week', a.day)::date), ('m'::"char", date_trunc('month', a.day)::date)) b (bucket, start)
           GROUP BY 1, 2, 3, 4;
      END $$`);
    await q.query('ALTER FUNCTION counts_rebuild() RENAME TO counts_rebuild_tallies');
    await q.query(`CREATE FUNCTION counts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM counts_rebuild_tallies();
        PERFORM rollups_rebuild();
      END $$`);
    await q.query("SET LOCAL maintenance_work_mem = '512MB'");
    await q.query('SELECT rollups_rebuild()');
    await q.query('ANALYZE households, villages, village_households, cadre_village_days, region_activity');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION counts_rebuild()');
    await q.query('ALTER FUNCTION counts_rebuild_tallies() RENAME TO counts_rebuild');
    for (const table of ['visits', 'household_visits']) {
      for (const op of ['insert', 'delete', 'update']) await q.query(`DROP TRIGGER ${table}_activity_${op} ON ${table}`);
      await q.query(`DROP FUNCTION ${table}_activity()`);
    }
    for (const table of ['cadre_household_links', 'unit_village_links', 'households']) {
      const fn = table === 'households' ? 'households_rollup' : `${table}_cover`;
      for (const op of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER ${fn}_${op} ON ${table}`);
      await q.query(`DROP FUNCTION ${fn}()`);
    }
    await q.query(`DROP FUNCTION rollups_rebuild(), households_cover(int[]), villages_cover(int[]),
      count_activity(int, int, date, int, int), rollup_regions(text)`);
    await q.query('DROP TABLE cadre_village_days, region_activity, village_households');
    await q.query('ALTER TABLE households DROP COLUMN covered_since');
    await q.query('ALTER TABLE villages DROP COLUMN unit_linked_since');
  }
}

/**
 * The activity triggers of an act table: its live rows count at their village on the
 * Shanghai day of `at`; `counts` is the (check-ins, household visits) one row makes.
 */
async function actTriggers(q: QueryRunner, table: string, at: string, counts: string): Promise<void> {
  const day = (row: string) => `(${row}.${at} AT TIME ZONE 'Asia/Shanghai')::date`;
  const neg = counts.split(',').map((c) => `-${c.trim()}`).join(', ');
  await q.query(`CREATE FUNCTION ${table}_activity() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.revoked_at IS NULL THEN
        PERFORM count_activity(OLD.cadre_id, OLD.village_id, ${day('OLD')}, ${neg});
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.revoked_at IS NULL THEN
        PERFORM count_activity(NEW.cadre_id, NEW.village_id, ${day('NEW')}, ${counts});
      END IF;
      RETURN NULL;
    END $$`);
  const key = (row: string) => `(${row}.cadre_id, ${row}.village_id, ${day(row)}, ${row}.revoked_at IS NULL)`;
  await q.query(`CREATE TRIGGER ${table}_activity_insert AFTER INSERT ON ${table}
    FOR EACH ROW WHEN (NEW.revoked_at IS NULL) EXECUTE FUNCTION ${table}_activity()`);
  await q.query(`CREATE TRIGGER ${table}_activity_delete AFTER DELETE ON ${table}
    FOR EACH ROW WHEN (OLD.revoked_at IS NULL) EXECUTE FUNCTION ${table}_activity()`);
  await q.query(`CREATE TRIGGER ${table}_activity_update AFTER UPDATE ON ${table}
    FOR EACH ROW WHEN (${key('OLD')} IS DISTINCT FROM ${key('NEW')}) EXECUTE FUNCTION ${table}_activity()`);
}

/** How migration 1763857700000 serialised one cadre's presence changes: a lock-table entry each, until commit. */
export const ADVISORY_LOCK = 'PERFORM pg_advisory_xact_lock(-1, p_cadre);';

/**
 * One act (a check-in begun, a household visit) of a cadre at a village on a day, added
 * (+1) or taken back (-1); `lock` serialises one cadre's presence changes.
 */
export const countActivityFunction = (lock: string) => `CREATE OR REPLACE FUNCTION count_activity(p_cadre int, p_village int, p_day date, p_checkins int, p_visits int) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        delta int := p_checkins + p_visits;
        v_stripe smallint := p_cadre % 16;
        wk date := date_trunc('week', p_day)::date;
        mo date := date_trunc('month', p_day)::date;
        n int;
        seen int := 0;
        v_regions int[];
        on_day int[]; on_week int[]; on_month int[];
        a int;
      BEGIN
        IF delta > 0 THEN
          INSERT INTO cadre_village_days AS c (cadre_id, day, village_id, acts) VALUES (p_cadre, p_day, p_village, delta)
          ON CONFLICT (cadre_id, day, village_id) DO UPDATE SET acts = c.acts + EXCLUDED.acts
          RETURNING acts INTO n;
          IF n = delta THEN seen := 1; END IF;
        ELSE
          UPDATE cadre_village_days SET acts = acts + delta
           WHERE cadre_id = p_cadre AND day = p_day AND village_id = p_village RETURNING acts INTO STRICT n;
          IF n = 0 THEN
            DELETE FROM cadre_village_days WHERE cadre_id = p_cadre AND day = p_day AND village_id = p_village;
            seen := -1;
          END IF;
        END IF;
        SELECT rollup_regions(r.path) INTO STRICT v_regions FROM regions r WHERE r.id = p_village;
        IF seen <> 0 THEN
          -- The cadre's presences change one at a time (a lock of the cadre's own), so each sees
          -- the others committed.
          ${lock}
          SELECT coalesce(array_agg(DISTINCT x.a) FILTER (WHERE x.day = p_day), '{}'),
                 coalesce(array_agg(DISTINCT x.a) FILTER (WHERE x.day >= wk AND x.day < wk + 7), '{}'),
                 coalesce(array_agg(DISTINCT x.a) FILTER (WHERE x.day >= mo AND x.day < (mo + interval '1 month')::date), '{}')
            INTO on_day, on_week, on_month
            FROM (SELECT p.day, unnest(rollup_regions(r.path)) AS a
                    FROM cadre_village_days p JOIN regions r ON r.id = p.village_id
                   WHERE p.cadre_id = p_cadre AND p.day >= least(wk, mo) AND p.day < greatest(wk + 7, (mo + interval '1 month')::date)
                     AND (p.day, p.village_id) <> (p_day, p_village)) x;
        END IF;
        FOREACH a IN ARRAY v_regions LOOP
          INSERT INTO region_activity AS t (region_id, bucket, start, stripe, checkins, household_visits, cadres)
          VALUES (a, 'd', p_day, v_stripe, p_checkins, p_visits, CASE WHEN seen <> 0 AND NOT a = ANY (on_day) THEN seen ELSE 0 END)
          ON CONFLICT (region_id, bucket, start, stripe) DO UPDATE
            SET checkins = t.checkins + EXCLUDED.checkins, household_visits = t.household_visits + EXCLUDED.household_visits,
                cadres = t.cadres + EXCLUDED.cadres;
          IF seen <> 0 AND NOT a = ANY (on_week) THEN
            INSERT INTO region_activity AS t (region_id, bucket, start, stripe, cadres) VALUES (a, 'w', wk, v_stripe, seen)
            ON CONFLICT (region_id, bucket, start, stripe) DO UPDATE SET cadres = t.cadres + EXCLUDED.cadres;
          END IF;
          IF seen <> 0 AND NOT a = ANY (on_month) THEN
            INSERT INTO region_activity AS t (region_id, bucket, start, stripe, cadres) VALUES (a, 'm', mo, v_stripe, seen)
            ON CONFLICT (region_id, bucket, start, stripe) DO UPDATE SET cadres = t.cadres + EXCLUDED.cadres;
          END IF;
        END LOOP;
      END $$`;
