import type { MigrationInterface, QueryRunner } from 'typeorm';
import { HouseholdLinkTallies1763857000000 } from './1763857000000-household-link-tallies';
import { SiteTallies1763857100000 } from './1763857100000-site-tallies';

/**
 * Counts that stay true and cheap (docs/design.md §2 "History"; docs/architecture.md "Counts").
 *
 * Every act records the link valid when it happened: a check-in its cadre's
 * unit (`visits.unit_id`) and that unit's 联村 link to the village on the day
 * (`unit_link_id`); a household visit the 联户 link (`household_link_id`); a
 * diary entry and a problem the unit of their writer. A later change of unit,
 * reassignment or end of a link moves nothing already counted.
 *
 * Counts are kept per act, in small rows, instead of recounting a year:
 *  - per day: `cadre_days` (check-ins covering the day, resident ones),
 *    `unit_link_cadre_days` (a link's check-ins covering a day, per cadre),
 *    `unit_link_days` (the days a link has covered: one row each),
 *    `household_link_days` (a link's household visits and talks on a day);
 *  - per year: `cadre_tallies`, `unit_link_tallies`, `household_link_tallies`.
 * A day is counted when its first act arrives and uncounted when its last one
 * goes (undo, revocation, an edit), so days stay distinct and exact. Rows a
 * single cadre writes (their own days, their household links) are plain
 * counters. A unit's link is shared by every cadre of the unit, so nothing on
 * it is a single counter row: its year tally has a row per writing cadre
 * (`stripe`, summed when read), and its day rows are claimed with
 * INSERT … ON CONFLICT DO NOTHING under a shared advisory lock per (link, day)
 * that only the removal of a day takes exclusively. A morning burst at one
 * village therefore takes no lock that another cadre waits on, but for the
 * first two check-ins of a day, which meet on the day row's insert.
 *
 * Triggers keep every writer exact; bulk loads that bypass them (and repairs)
 * call counts_rebuild(), which recomputes everything from the raw rows.
 */
export class HistoryTrueCounts1763857500000 implements MigrationInterface {
  name = 'HistoryTrueCounts1763857500000';

  async up(q: QueryRunner): Promise<void> {
    await dropRecounts(q);

    // No foreign keys on a check-in's unit and link: the check would take a share lock on the
    // link row, which every cadre of the unit checking in at once would hold. Links and units
    // are never deleted (a link ends with valid_to). The other keys are added after the rebuild,
    // validated in one pass each instead of a lookup per row.
    await q.query('ALTER TABLE visits ADD COLUMN unit_id int, ADD COLUMN unit_link_id int');
    await q.query('ALTER TABLE household_visits ADD COLUMN household_link_id int');
    await q.query('ALTER TABLE diary_entries ADD COLUMN unit_id int');
    await q.query('ALTER TABLE problems ADD COLUMN reporter_unit_id int');

    await q.query(`
      CREATE TABLE cadre_days (
        cadre_id int NOT NULL, day date NOT NULL,
        on_site int NOT NULL CHECK (on_site >= 0), resident int NOT NULL CHECK (resident >= 0),
        PRIMARY KEY (cadre_id, day));
      CREATE TABLE cadre_tallies (
        cadre_id int NOT NULL, year smallint NOT NULL,
        days_on_site int NOT NULL DEFAULT 0, days_resident int NOT NULL DEFAULT 0,
        PRIMARY KEY (cadre_id, year));
      CREATE TABLE unit_link_cadre_days (
        link_id int NOT NULL, day date NOT NULL, cadre_id int NOT NULL, visits int NOT NULL CHECK (visits >= 0),
        PRIMARY KEY (link_id, day, cadre_id));
      CREATE TABLE unit_link_days (link_id int NOT NULL, day date NOT NULL, PRIMARY KEY (link_id, day));
      CREATE TABLE unit_link_tallies (
        link_id int NOT NULL, year smallint NOT NULL, stripe int NOT NULL,
        visits int NOT NULL DEFAULT 0, days int NOT NULL DEFAULT 0,
        PRIMARY KEY (link_id, year, stripe));
      CREATE TABLE household_link_days (
        link_id int NOT NULL, day date NOT NULL,
        visits int NOT NULL CHECK (visits >= 0), talks int NOT NULL CHECK (talks >= 0),
        PRIMARY KEY (link_id, day));
      CREATE TABLE household_link_tallies (
        link_id int NOT NULL, year smallint NOT NULL,
        visits int NOT NULL DEFAULT 0, days int NOT NULL DEFAULT 0, talks int NOT NULL DEFAULT 0,
        PRIMARY KEY (link_id, year))`);

    // The dates a check-in covers and which of them are resident days (docs/design.md §2 time
    // on site): every date from its start to its end (its start while open); resident are the
    // start date of a stay of ≥ 8 h and every night before its end date, auto-closed stays
    // excluded (a forgotten 签退 proves nothing).
    await q.query(`CREATE FUNCTION visit_days(p_start timestamptz, p_end timestamptz, p_auto boolean)
      RETURNS TABLE (day date, resident boolean) LANGUAGE sql STABLE AS $$
        WITH b AS (SELECT (p_start AT TIME ZONE 'Asia/Shanghai')::date AS s,
                          (coalesce(p_end, p_start) AT TIME ZONE 'Asia/Shanghai')::date AS e)
        SELECT d::date, coalesce(NOT p_auto AND p_end IS NOT NULL
                                 AND ((d::date = b.s AND p_end >= p_start + interval '8 hours') OR d::date < b.e), false)
          FROM b, generate_series(b.s, b.e, interval '1 day') d
      $$`);

    // The links valid on a day (the latest start wins where two overlap).
    await q.query(`CREATE FUNCTION unit_link_at(p_unit int, p_village int, p_day date) RETURNS int
      LANGUAGE sql STABLE AS $$
        SELECT id FROM unit_village_links
         WHERE unit_id = p_unit AND village_id = p_village
           AND valid_from <= p_day AND (valid_to IS NULL OR valid_to > p_day)
         ORDER BY valid_from DESC, id DESC LIMIT 1
      $$`);
    await q.query(`CREATE FUNCTION household_link_at(p_cadre int, p_household int, p_day date) RETURNS int
      LANGUAGE sql STABLE AS $$
        SELECT id FROM cadre_household_links
         WHERE cadre_id = p_cadre AND household_id = p_household
           AND valid_from <= p_day AND (valid_to IS NULL OR valid_to > p_day)
         ORDER BY valid_from DESC, id DESC LIMIT 1
      $$`);

    // A cadre's day: counters of the check-ins covering it; the year tally moves when the day
    // starts or stops being a day on site or a resident day.
    await q.query(`CREATE FUNCTION count_cadre_day(p_cadre int, p_day date, p_on_site int, p_resident int) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        n_on int; n_res int;
      BEGIN
        -- A CHECK is tested on the row an INSERT proposes: negative changes go through UPDATE.
        IF p_on_site >= 0 AND p_resident >= 0 THEN
          INSERT INTO cadre_days AS c (cadre_id, day, on_site, resident) VALUES (p_cadre, p_day, p_on_site, p_resident)
          ON CONFLICT (cadre_id, day) DO UPDATE SET on_site = c.on_site + EXCLUDED.on_site, resident = c.resident + EXCLUDED.resident
          RETURNING on_site, resident INTO n_on, n_res;
        ELSE
          UPDATE cadre_days SET on_site = on_site + p_on_site, resident = resident + p_resident
           WHERE cadre_id = p_cadre AND day = p_day RETURNING on_site, resident INTO STRICT n_on, n_res;
        END IF;
        IF n_on = 0 AND n_res = 0 THEN
          DELETE FROM cadre_days WHERE cadre_id = p_cadre AND day = p_day;
        END IF;
        IF (n_on > 0) <> (n_on - p_on_site > 0) OR (n_res > 0) <> (n_res - p_resident > 0) THEN
          INSERT INTO cadre_tallies AS t (cadre_id, year, days_on_site, days_resident)
          VALUES (p_cadre, extract(year FROM p_day),
                  (n_on > 0)::int - (n_on - p_on_site > 0)::int, (n_res > 0)::int - (n_res - p_resident > 0)::int)
          ON CONFLICT (cadre_id, year) DO UPDATE
            SET days_on_site = t.days_on_site + EXCLUDED.days_on_site, days_resident = t.days_resident + EXCLUDED.days_resident;
        END IF;
      END $$`);

    await q.query(`CREATE FUNCTION count_unit_link(p_link int, p_year int, p_stripe int, p_visits int, p_days int) RETURNS void
      LANGUAGE sql AS $$
        INSERT INTO unit_link_tallies AS t (link_id, year, stripe, visits, days) VALUES (p_link, p_year, p_stripe, p_visits, p_days)
        ON CONFLICT (link_id, year, stripe) DO UPDATE SET visits = t.visits + EXCLUDED.visits, days = t.days + EXCLUDED.days
      $$`);

    // A link's day through one cadre. The day row of the link is claimed by the first cadre
    // (under the shared lock, which every adder holds at once) and released by the last one
    // (under the exclusive lock: it waits for adders in flight, then sees their rows).
    await q.query(`CREATE FUNCTION count_unit_link_day(p_link int, p_day date, p_cadre int, p_delta int) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        n int; changed int;
      BEGIN
        IF p_delta > 0 THEN
          INSERT INTO unit_link_cadre_days AS c (link_id, day, cadre_id, visits) VALUES (p_link, p_day, p_cadre, p_delta)
          ON CONFLICT (link_id, day, cadre_id) DO UPDATE SET visits = c.visits + EXCLUDED.visits
          RETURNING visits INTO n;
        ELSE
          UPDATE unit_link_cadre_days SET visits = visits + p_delta
           WHERE link_id = p_link AND day = p_day AND cadre_id = p_cadre RETURNING visits INTO STRICT n;
        END IF;
        IF p_delta > 0 AND n = p_delta THEN
          PERFORM pg_advisory_xact_lock_shared(p_link, p_day - DATE '2000-01-01');
          INSERT INTO unit_link_days (link_id, day) VALUES (p_link, p_day) ON CONFLICT DO NOTHING;
          GET DIAGNOSTICS changed = ROW_COUNT;
          IF changed = 1 THEN PERFORM count_unit_link(p_link, extract(year FROM p_day)::int, p_cadre, 0, 1); END IF;
        ELSIF p_delta < 0 AND n = 0 THEN
          DELETE FROM unit_link_cadre_days WHERE link_id = p_link AND day = p_day AND cadre_id = p_cadre;
          PERFORM pg_advisory_xact_lock(p_link, p_day - DATE '2000-01-01');
          IF NOT EXISTS (SELECT 1 FROM unit_link_cadre_days WHERE link_id = p_link AND day = p_day) THEN
            DELETE FROM unit_link_days WHERE link_id = p_link AND day = p_day;
            GET DIAGNOSTICS changed = ROW_COUNT;
            IF changed = 1 THEN PERFORM count_unit_link(p_link, extract(year FROM p_day)::int, p_cadre, 0, -1); END IF;
          END IF;
        END IF;
      END $$`);

    // One check-in's change (o: before, n: after; a side that is not live counts nothing).
    // Days both sides cover for the same cadre and link are left alone: a 签退 on the day
    // it began touches no shared row.
    await q.query(`CREATE FUNCTION count_visit_change(
        o_live boolean, o_cadre int, o_link int, o_start timestamptz, o_end timestamptz, o_auto boolean,
        n_live boolean, n_cadre int, n_link int, n_start timestamptz, n_end timestamptz, n_auto boolean) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        r record;
        o_year int := extract(year FROM (o_start AT TIME ZONE 'Asia/Shanghai'));
        n_year int := extract(year FROM (n_start AT TIME ZONE 'Asia/Shanghai'));
      BEGIN
        -- the visit itself, in its start's year
        IF o_live AND o_link IS NOT NULL AND NOT (n_live AND n_link IS NOT DISTINCT FROM o_link AND n_year = o_year) THEN
          PERFORM count_unit_link(o_link, o_year, o_cadre, -1, 0);
        END IF;
        IF n_live AND n_link IS NOT NULL AND NOT (o_live AND o_link IS NOT DISTINCT FROM n_link AND o_year IS NOT DISTINCT FROM n_year) THEN
          PERFORM count_unit_link(n_link, n_year, n_cadre, 1, 0);
        END IF;
        -- the cadre's days
        FOR r IN
          SELECT coalesce(a.day, b.day) AS day, a.day IS NOT NULL AS was, b.day IS NOT NULL AS now,
                 coalesce(a.resident, false) AS was_res, coalesce(b.resident, false) AS now_res
            FROM (SELECT * FROM visit_days(o_start, o_end, o_auto) WHERE o_live) a
            FULL JOIN (SELECT * FROM visit_days(n_start, n_end, n_auto) WHERE n_live AND n_cadre IS NOT DISTINCT FROM o_cadre) b ON a.day = b.day
        LOOP
          IF r.was <> r.now OR r.was_res <> r.now_res THEN
            PERFORM count_cadre_day(o_cadre, r.day, r.now::int - r.was::int, r.now_res::int - r.was_res::int);
          END IF;
        END LOOP;
        IF n_live AND n_cadre IS DISTINCT FROM o_cadre THEN
          PERFORM count_cadre_day(n_cadre, d.day, 1, d.resident::int) FROM visit_days(n_start, n_end, n_auto) d;
        END IF;
        -- the link's days
        FOR r IN
          SELECT coalesce(a.day, b.day) AS day, a.day IS NOT NULL AS was, b.day IS NOT NULL AS now
            FROM (SELECT day FROM visit_days(o_start, o_end, o_auto) WHERE o_live AND o_link IS NOT NULL) a
            FULL JOIN (SELECT day FROM visit_days(n_start, n_end, n_auto)
                        WHERE n_live AND n_link IS NOT NULL AND n_link IS NOT DISTINCT FROM o_link
                          AND n_cadre IS NOT DISTINCT FROM o_cadre) b ON a.day = b.day
        LOOP
          IF r.was <> r.now THEN
            PERFORM count_unit_link_day(o_link, r.day, o_cadre, r.now::int - r.was::int);
          END IF;
        END LOOP;
        IF n_live AND n_link IS NOT NULL AND (n_link IS DISTINCT FROM o_link OR n_cadre IS DISTINCT FROM o_cadre) THEN
          PERFORM count_unit_link_day(n_link, d.day, n_cadre, 1) FROM visit_days(n_start, n_end, n_auto) d;
        END IF;
      END $$`);

    // A household visit: one day of its link.
    await q.query(householdLinkDayFunction());

    // Before a check-in is stored: its cadre's unit now and that unit's link on the day (an
    // importer may pass either). An edit of its village or start finds the link again, for the
    // unit it recorded.
    await q.query(`CREATE FUNCTION visits_link() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          IF NEW.unit_id IS NULL THEN SELECT c.unit_id INTO NEW.unit_id FROM cadres c WHERE c.id = NEW.cadre_id; END IF;
          IF NEW.unit_link_id IS NOT NULL THEN RETURN NEW; END IF;
        END IF;
        NEW.unit_link_id := CASE WHEN NEW.unit_id IS NULL THEN NULL
          ELSE unit_link_at(NEW.unit_id, NEW.village_id, (NEW.started_at AT TIME ZONE 'Asia/Shanghai')::date) END;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER visits_link BEFORE INSERT OR UPDATE OF village_id, started_at, unit_id ON visits
      FOR EACH ROW EXECUTE FUNCTION visits_link()`);

    await q.query(`CREATE FUNCTION visits_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM count_visit_change(false, NULL, NULL, NULL, NULL, NULL,
            NEW.revoked_at IS NULL, NEW.cadre_id, NEW.unit_link_id, NEW.started_at, NEW.ended_at, NEW.auto_closed);
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM count_visit_change(OLD.revoked_at IS NULL, OLD.cadre_id, OLD.unit_link_id, OLD.started_at, OLD.ended_at, OLD.auto_closed,
            false, NULL, NULL, NULL, NULL, NULL);
        ELSE
          PERFORM count_visit_change(OLD.revoked_at IS NULL, OLD.cadre_id, OLD.unit_link_id, OLD.started_at, OLD.ended_at, OLD.auto_closed,
            NEW.revoked_at IS NULL, NEW.cadre_id, NEW.unit_link_id, NEW.started_at, NEW.ended_at, NEW.auto_closed);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER visits_count_insert AFTER INSERT ON visits
      FOR EACH ROW WHEN (NEW.revoked_at IS NULL) EXECUTE FUNCTION visits_count()`);
    await q.query(`CREATE TRIGGER visits_count_delete AFTER DELETE ON visits
      FOR EACH ROW WHEN (OLD.revoked_at IS NULL) EXECUTE FUNCTION visits_count()`);
    await q.query(`CREATE TRIGGER visits_count_update AFTER UPDATE ON visits FOR EACH ROW
      WHEN ((OLD.cadre_id, OLD.unit_link_id, OLD.started_at, OLD.ended_at, OLD.auto_closed, OLD.revoked_at IS NULL)
            IS DISTINCT FROM (NEW.cadre_id, NEW.unit_link_id, NEW.started_at, NEW.ended_at, NEW.auto_closed, NEW.revoked_at IS NULL))
      EXECUTE FUNCTION visits_count()`);

    await q.query(`CREATE FUNCTION household_visits_link() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' AND NEW.household_link_id IS NOT NULL THEN RETURN NEW; END IF;
        NEW.household_link_id := household_link_at(NEW.cadre_id, NEW.household_id, (NEW.visited_at AT TIME ZONE 'Asia/Shanghai')::date);
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER household_visits_link BEFORE INSERT OR UPDATE OF cadre_id, household_id, visited_at
      ON household_visits FOR EACH ROW EXECUTE FUNCTION household_visits_link()`);

    await q.query(`CREATE FUNCTION household_visits_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.revoked_at IS NULL AND OLD.household_link_id IS NOT NULL THEN
          PERFORM count_household_link_day(OLD.household_link_id, (OLD.visited_at AT TIME ZONE 'Asia/Shanghai')::date, -1, -OLD.talk::int);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.revoked_at IS NULL AND NEW.household_link_id IS NOT NULL THEN
          PERFORM count_household_link_day(NEW.household_link_id, (NEW.visited_at AT TIME ZONE 'Asia/Shanghai')::date, 1, NEW.talk::int);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER household_visits_count AFTER INSERT OR DELETE OR UPDATE OF household_link_id, visited_at, talk, revoked_at
      ON household_visits FOR EACH ROW EXECUTE FUNCTION household_visits_count()`);

    // A link that appears or whose dates, unit or village change takes the acts of its unit
    // (or its cadre and household) in its new validity, and gives back those outside it:
    // that link's acts only, moved through the triggers above.
    await q.query(`CREATE FUNCTION unit_village_links_claim() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          -- through the village's check-ins (visits_village_started_idx): a link's acts are all at its village
          UPDATE visits v SET unit_link_id = unit_link_at(v.unit_id, v.village_id, (v.started_at AT TIME ZONE 'Asia/Shanghai')::date)
           WHERE v.village_id = OLD.village_id AND v.unit_link_id = NEW.id;
        END IF;
        UPDATE visits v SET unit_link_id = NEW.id
         WHERE v.village_id = NEW.village_id AND v.unit_id = NEW.unit_id AND v.unit_link_id IS DISTINCT FROM NEW.id
           AND unit_link_at(v.unit_id, v.village_id, (v.started_at AT TIME ZONE 'Asia/Shanghai')::date) = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER unit_village_links_claim AFTER INSERT ON unit_village_links
      FOR EACH ROW EXECUTE FUNCTION unit_village_links_claim()`);
    await q.query(`CREATE TRIGGER unit_village_links_reclaim AFTER UPDATE ON unit_village_links FOR EACH ROW
      WHEN ((OLD.unit_id, OLD.village_id, OLD.valid_from, OLD.valid_to) IS DISTINCT FROM (NEW.unit_id, NEW.village_id, NEW.valid_from, NEW.valid_to))
      EXECUTE FUNCTION unit_village_links_claim()`);

    await q.query(`CREATE FUNCTION cadre_household_links_claim() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          UPDATE household_visits hv
             SET household_link_id = household_link_at(hv.cadre_id, hv.household_id, (hv.visited_at AT TIME ZONE 'Asia/Shanghai')::date)
           WHERE hv.household_id = OLD.household_id AND hv.household_link_id = NEW.id;
        END IF;
        -- A roster import opens millions of links to households nobody has visited: one probe each.
        IF EXISTS (SELECT 1 FROM household_visits hv WHERE hv.household_id = NEW.household_id AND hv.cadre_id = NEW.cadre_id) THEN
          UPDATE household_visits hv SET household_link_id = NEW.id
           WHERE hv.household_id = NEW.household_id AND hv.cadre_id = NEW.cadre_id AND hv.household_link_id IS DISTINCT FROM NEW.id
             AND household_link_at(hv.cadre_id, hv.household_id, (hv.visited_at AT TIME ZONE 'Asia/Shanghai')::date) = NEW.id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER cadre_household_links_claim AFTER INSERT ON cadre_household_links
      FOR EACH ROW EXECUTE FUNCTION cadre_household_links_claim()`);
    await q.query(`CREATE TRIGGER cadre_household_links_reclaim AFTER UPDATE ON cadre_household_links FOR EACH ROW
      WHEN ((OLD.cadre_id, OLD.household_id, OLD.valid_from, OLD.valid_to) IS DISTINCT FROM (NEW.cadre_id, NEW.household_id, NEW.valid_from, NEW.valid_to))
      EXECUTE FUNCTION cadre_household_links_claim()`);

    // A 联户 link carries its household's village (the console and digests read links by village).
    await q.query(`CREATE FUNCTION household_link_village() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.village_id IS NULL OR (TG_OP = 'UPDATE' AND NEW.household_id <> OLD.household_id) THEN
          SELECT h.village_id INTO NEW.village_id FROM households h WHERE h.id = NEW.household_id;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER cadre_household_links_village BEFORE INSERT OR UPDATE OF household_id
      ON cadre_household_links FOR EACH ROW EXECUTE FUNCTION household_link_village()`);

    // The writer's unit on diary entries and problems.
    await q.query(`CREATE FUNCTION diary_entries_unit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.unit_id IS NULL THEN SELECT c.unit_id INTO NEW.unit_id FROM cadres c WHERE c.id = NEW.cadre_id; END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER diary_entries_unit BEFORE INSERT ON diary_entries FOR EACH ROW EXECUTE FUNCTION diary_entries_unit()`);
    await q.query(`CREATE FUNCTION problems_reporter_unit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.reporter_unit_id IS NULL THEN SELECT c.unit_id INTO NEW.reporter_unit_id FROM cadres c WHERE c.id = NEW.reporter_id; END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER problems_reporter_unit BEFORE INSERT ON problems FOR EACH ROW EXECUTE FUNCTION problems_reporter_unit()`);

    // Everything from the raw rows, set-based: the links of every act, then every count.
    // Acts without a recorded unit take their writer's unit now (the best knowledge there is).
    // The counting triggers are off meanwhile (ALTER TABLE locks the act tables until commit:
    // a repair or a bulk load, not something to run beside the chat).
    await q.query(`CREATE FUNCTION counts_rebuild() RETURNS void LANGUAGE plpgsql
      SET work_mem = '512MB' AS $$
      BEGIN
        ALTER TABLE visits DISABLE TRIGGER visits_link, DISABLE TRIGGER visits_count_update;
        ALTER TABLE household_visits DISABLE TRIGGER household_visits_link, DISABLE TRIGGER household_visits_count;
        UPDATE diary_entries e SET unit_id = c.unit_id FROM cadres c WHERE c.id = e.cadre_id AND e.unit_id IS NULL AND c.unit_id IS NOT NULL;
        UPDATE problems p SET reporter_unit_id = c.unit_id FROM cadres c
         WHERE c.id = p.reporter_id AND p.reporter_unit_id IS NULL AND c.unit_id IS NOT NULL;

        -- Each act's unit and link in one pass, and one UPDATE of the rows that change.
        UPDATE visits v SET unit_id = x.unit_id, unit_link_id = x.link_id
          FROM (SELECT DISTINCT ON (u.id) u.id, u.unit_id, l.id AS link_id, u.old_unit, u.old_link
                  FROM (SELECT v.id, coalesce(v.unit_id, c.unit_id) AS unit_id, v.village_id,
                               (v.started_at AT TIME ZONE 'Asia/Shanghai')::date AS d, v.unit_id AS old_unit, v.unit_link_id AS old_link
                          FROM visits v JOIN cadres c ON c.id = v.cadre_id) u
                  LEFT JOIN unit_village_links l ON l.unit_id = u.unit_id AND l.village_id = u.village_id
                   AND l.valid_from <= u.d AND (l.valid_to IS NULL OR l.valid_to > u.d)
                 ORDER BY u.id, l.valid_from DESC NULLS LAST, l.id DESC) x
         WHERE x.id = v.id AND (x.old_unit IS DISTINCT FROM x.unit_id OR x.old_link IS DISTINCT FROM x.link_id);
        UPDATE household_visits hv SET household_link_id = x.link_id
          FROM (SELECT DISTINCT ON (hv.id) hv.id, l.id AS link_id, hv.household_link_id AS old_link
                  FROM household_visits hv LEFT JOIN cadre_household_links l ON l.cadre_id = hv.cadre_id AND l.household_id = hv.household_id
                   AND l.valid_from <= (hv.visited_at AT TIME ZONE 'Asia/Shanghai')::date
                   AND (l.valid_to IS NULL OR l.valid_to > (hv.visited_at AT TIME ZONE 'Asia/Shanghai')::date)
                 ORDER BY hv.id, l.valid_from DESC NULLS LAST, l.id DESC) x
         WHERE x.id = hv.id AND x.old_link IS DISTINCT FROM x.link_id;

        TRUNCATE cadre_days, cadre_tallies, unit_link_cadre_days, unit_link_days, unit_link_tallies,
                 household_link_days, household_link_tallies;
        INSERT INTO cadre_days (cadre_id, day, on_site, resident)
          SELECT v.cadre_id, d.day, count(*), count(*) FILTER (WHERE d.resident)
            FROM visits v, visit_days(v.started_at, v.ended_at, v.auto_closed) d WHERE v.revoked_at IS NULL GROUP BY 1, 2;
        INSERT INTO cadre_tallies (cadre_id, year, days_on_site, days_resident)
          SELECT cadre_id, extract(year FROM day), count(*), count(*) FILTER (WHERE resident > 0) FROM cadre_days GROUP BY 1, 2;
        INSERT INTO unit_link_cadre_days (link_id, day, cadre_id, visits)
          SELECT v.unit_link_id, d.day, v.cadre_id, count(*)
            FROM visits v, visit_days(v.started_at, v.ended_at, v.auto_closed) d
           WHERE v.revoked_at IS NULL AND v.unit_link_id IS NOT NULL GROUP BY 1, 2, 3;
        INSERT INTO unit_link_days (link_id, day) SELECT DISTINCT link_id, day FROM unit_link_cadre_days;
        INSERT INTO unit_link_tallies (link_id, year, stripe, visits, days)
          SELECT link_id, year, 0, sum(visits), sum(days) FROM (
            SELECT unit_link_id AS link_id, extract(year FROM started_at AT TIME ZONE 'Asia/Shanghai') AS year, count(*) AS visits, 0 AS days
              FROM visits WHERE revoked_at IS NULL AND unit_link_id IS NOT NULL GROUP BY 1, 2
            UNION ALL
            SELECT link_id, extract(year FROM day), 0, count(*) FROM unit_link_days GROUP BY 1, 2) x
           GROUP BY 1, 2;
        INSERT INTO household_link_days (link_id, day, visits, talks)
          SELECT household_link_id, (visited_at AT TIME ZONE 'Asia/Shanghai')::date, count(*), count(*) FILTER (WHERE talk)
            FROM household_visits WHERE revoked_at IS NULL AND household_link_id IS NOT NULL GROUP BY 1, 2;
        INSERT INTO household_link_tallies (link_id, year, visits, days, talks)
          SELECT link_id, extract(year FROM day), sum(visits), count(*), sum(talks) FROM household_link_days GROUP BY 1, 2;
        ALTER TABLE visits ENABLE TRIGGER visits_link, ENABLE TRIGGER visits_count_update;
        ALTER TABLE household_visits ENABLE TRIGGER household_visits_link, ENABLE TRIGGER household_visits_count;
      END $$`);

    await rebuildWithoutIndexes(q, ['visits', 'household_visits']);
    await q.query(`ALTER TABLE household_visits ADD CONSTRAINT household_visits_link_fk
                     FOREIGN KEY (household_link_id) REFERENCES cadre_household_links (id)`);
    await q.query('ALTER TABLE diary_entries ADD CONSTRAINT diary_entries_unit_fk FOREIGN KEY (unit_id) REFERENCES units (id)');
    await q.query('ALTER TABLE problems ADD CONSTRAINT problems_reporter_unit_fk FOREIGN KEY (reporter_unit_id) REFERENCES units (id)');
    await q.query(`CREATE INDEX household_visits_link_idx ON household_visits (household_link_id)`);
    await q.query('ANALYZE visits, household_visits, cadre_days, cadre_tallies, unit_link_cadre_days, unit_link_days, unit_link_tallies, household_link_days, household_link_tallies');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [trigger, table] of [
      ['visits_link', 'visits'], ['visits_count_insert', 'visits'], ['visits_count_delete', 'visits'], ['visits_count_update', 'visits'],
      ['household_visits_link', 'household_visits'], ['household_visits_count', 'household_visits'],
      ['unit_village_links_claim', 'unit_village_links'], ['unit_village_links_reclaim', 'unit_village_links'],
      ['cadre_household_links_claim', 'cadre_household_links'], ['cadre_household_links_reclaim', 'cadre_household_links'],
      ['cadre_household_links_village', 'cadre_household_links'], ['diary_entries_unit', 'diary_entries'],
      ['problems_reporter_unit', 'problems'],
    ]) await q.query(`DROP TRIGGER ${trigger} ON ${table}`);
    await q.query(`DROP FUNCTION counts_rebuild(), problems_reporter_unit(), diary_entries_unit(), household_link_village(),
      cadre_household_links_claim(), unit_village_links_claim(), household_visits_count(), household_visits_link(),
      visits_count(), visits_link(), count_household_link_day(int, date, int, int),
      count_visit_change(boolean, int, int, timestamptz, timestamptz, boolean, boolean, int, int, timestamptz, timestamptz, boolean),
      count_unit_link_day(int, date, int, int), count_unit_link(int, int, int, int, int), count_cadre_day(int, date, int, int),
      household_link_at(int, int, date), unit_link_at(int, int, date), visit_days(timestamptz, timestamptz, boolean)`);
    await q.query(`DROP TABLE cadre_days, cadre_tallies, unit_link_cadre_days, unit_link_days, unit_link_tallies,
      household_link_days, household_link_tallies`);
    await q.query('DROP INDEX household_visits_link_idx');
    await q.query('ALTER TABLE problems DROP COLUMN reporter_unit_id');
    await q.query('ALTER TABLE diary_entries DROP COLUMN unit_id');
    await q.query('ALTER TABLE household_visits DROP COLUMN household_link_id');
    await q.query('ALTER TABLE visits DROP COLUMN unit_link_id, DROP COLUMN unit_id');
    // The recounting tallies of before, rebuilt (their migration adds the links' village again).
    await q.query('DROP TRIGGER households_moved ON households');
    await q.query('DROP FUNCTION household_moved()');
    await q.query('ALTER TABLE cadre_household_links DROP COLUMN village_id');
    await new HouseholdLinkTallies1763857000000().up(q);
    await new SiteTallies1763857100000().up(q);
  }
}

/** The recounting tallies this migration replaces: their triggers, functions and columns. */
async function dropRecounts(q: QueryRunner): Promise<void> {
  await q.query('DROP TRIGGER unit_village_links_fill ON unit_village_links');
  await q.query('DROP TRIGGER cadres_unit_changed ON cadres');
  for (const op of ['insert', 'delete', 'update']) await q.query(`DROP TRIGGER visits_site_tally_${op} ON visits`);
  await q.query(`DROP FUNCTION site_tallies_rebuild(), unit_village_link_fill(), cadre_unit_changed(), visits_site_tally(),
    site_tally_touch(int, int, boolean), unit_village_links_recount(int[], int[]), cadre_site_tally(int),
    unit_village_tally(int, int, date)`);
  await q.query('ALTER TABLE cadres DROP COLUMN tally_year, DROP COLUMN tally_days_on_site, DROP COLUMN tally_days_resident');
  await q.query('ALTER TABLE unit_village_links DROP COLUMN tally_year, DROP COLUMN tally_visits, DROP COLUMN tally_days');

  await q.query('DROP TRIGGER cadre_household_links_fill ON cadre_household_links');
  for (const op of ['insert', 'delete', 'update']) {
    await q.query(`DROP TRIGGER household_visits_recount_${op} ON household_visits`);
    await q.query(`DROP FUNCTION household_visits_recount_${op}()`);
  }
  await q.query(`DROP FUNCTION household_link_tallies_rebuild(), household_link_fill(),
    household_links_recount(int[], int[]), household_link_tally(int, int, date)`);
  await q.query(`ALTER TABLE cadre_household_links DROP COLUMN tally_year, DROP COLUMN tally_visits,
    DROP COLUMN tally_days, DROP COLUMN tally_talks`);
}

/**
 * counts_rebuild() on a database that already holds check-ins writes a unit and a link into
 * every one of them. With the tables' secondary indexes in place each rewritten row is an
 * insert into every index, at random places, far more pages than the buffer cache holds; so
 * the indexes are dropped first and built again afterwards, each in one sorted pass.
 */
async function rebuildWithoutIndexes(q: QueryRunner, tables: string[]): Promise<void> {
  const indexes: { indexname: string; indexdef: string }[] = await q.query(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [tables],
  );
  for (const i of indexes) await q.query(`DROP INDEX ${i.indexname}`);
  await q.query("SET LOCAL maintenance_work_mem = '512MB'");
  await q.query('SELECT counts_rebuild()');
  for (const i of indexes) await q.query(i.indexdef);
}

/**
 * A household visit's day of its link: the counters of the day and the year tally; `tail`
 * runs after them (migration 1763857600000 adds the copy onto the link row).
 */
export const householdLinkDayFunction = (tail = '') => `CREATE OR REPLACE FUNCTION count_household_link_day(p_link int, p_day date, p_visits int, p_talks int) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        n int; n_talks int;
      BEGIN
        IF p_visits > 0 THEN
          INSERT INTO household_link_days AS c (link_id, day, visits, talks) VALUES (p_link, p_day, p_visits, p_talks)
          ON CONFLICT (link_id, day) DO UPDATE SET visits = c.visits + EXCLUDED.visits, talks = c.talks + EXCLUDED.talks
          RETURNING visits, talks INTO n, n_talks;
        ELSE
          UPDATE household_link_days SET visits = visits + p_visits, talks = talks + p_talks
           WHERE link_id = p_link AND day = p_day RETURNING visits, talks INTO STRICT n, n_talks;
        END IF;
        IF n = 0 THEN DELETE FROM household_link_days WHERE link_id = p_link AND day = p_day; END IF;
        INSERT INTO household_link_tallies AS t (link_id, year, visits, days, talks)
        VALUES (p_link, extract(year FROM p_day), p_visits, (n > 0)::int - (n - p_visits > 0)::int, p_talks)
        ON CONFLICT (link_id, year) DO UPDATE
          SET visits = t.visits + EXCLUDED.visits, days = t.days + EXCLUDED.days, talks = t.talks + EXCLUDED.talks;
${tail}      END $$`;
