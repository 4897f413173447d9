import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Year tallies of check-ins, so the weekly quota scan and the console read a
 * row per link or per cadre instead of grouping the year's 10 million visits:
 *  - each 联村 link (unit_village_links): check-ins by the unit's cadres at its
 *    village since the link's start, and the distinct days they cover;
 *  - each cadre: days on site (every day a check-in covers) and resident days
 *    (a check-in of ≥ 8 h that was not auto-closed, or a night at the village).
 *
 * A tally is for `tally_year`, the Shanghai year of the latest live check-in
 * (NULL when there is none); standing for any other year reads zero. Days are
 * counted inside that year only. Triggers keep the tallies exact:
 *  - visits, per row, deferred to commit: the cadre's tally is recounted, then
 *    (with the cadre row now locked, so a concurrent change of unit is seen)
 *    the links of the cadre's unit at the check-in's village. Deferring keeps
 *    the link row locked only while the transaction commits: many cadres of one
 *    unit check in at its village at the same hour;
 *  - cadres, a change of unit: the old and the new unit's links at every village
 *    the cadre has checked in at;
 *  - unit_village_links, before insert or a change of unit, village or start.
 * Bulk loads that bypass triggers call site_tallies_rebuild().
 */
export class SiteTallies1763857100000 implements MigrationInterface {
  name = 'SiteTallies1763857100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE unit_village_links
      ADD COLUMN tally_year smallint,
      ADD COLUMN tally_visits int NOT NULL DEFAULT 0,
      ADD COLUMN tally_days int NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE cadres
      ADD COLUMN tally_year smallint,
      ADD COLUMN tally_days_on_site int NOT NULL DEFAULT 0,
      ADD COLUMN tally_days_resident int NOT NULL DEFAULT 0`);

    // One link's tally: live check-ins at the village by the unit's cadres in the Shanghai year
    // of the latest one, started on or after the link's start; days are the dates they cover.
    await q.query(`CREATE FUNCTION unit_village_tally(p_unit int, p_village int, p_from date,
        OUT tally_year smallint, OUT tally_visits int, OUT tally_days int)
      LANGUAGE sql STABLE AS $$
        WITH v AS (
          SELECT (vi.started_at AT TIME ZONE 'Asia/Shanghai')::date AS s,
                 (coalesce(vi.ended_at, vi.started_at) AT TIME ZONE 'Asia/Shanghai')::date AS e
            FROM visits vi JOIN cadres c ON c.id = vi.cadre_id
           WHERE vi.village_id = p_village AND vi.revoked_at IS NULL AND c.unit_id = p_unit
        ), y AS (SELECT extract(year FROM max(s))::int AS year FROM v),
        live AS (
          SELECT v.s, least(v.e, make_date(y.year, 12, 31)) AS e FROM v, y
           WHERE v.s >= greatest(p_from, make_date(y.year, 1, 1))
        )
        SELECT y.year::smallint, (SELECT count(*) FROM live)::int,
               (SELECT count(DISTINCT d::date) FROM live, generate_series(live.s, live.e, interval '1 day') d)::int
          FROM y
      $$`);

    // One cadre's tally, as teamSql counted it: days on site are the dates any check-in covers;
    // resident days are the start date of a check-in of ≥ 8 h and every night before its end
    // date, auto-closed check-ins excluded (a forgotten 签退 proves nothing).
    await q.query(`CREATE FUNCTION cadre_site_tally(p_cadre int,
        OUT tally_year smallint, OUT tally_days_on_site int, OUT tally_days_resident int)
      LANGUAGE sql STABLE AS $$
        WITH v AS (
          SELECT (started_at AT TIME ZONE 'Asia/Shanghai')::date AS s,
                 (coalesce(ended_at, started_at) AT TIME ZONE 'Asia/Shanghai')::date AS e,
                 ended_at IS NOT NULL AND NOT auto_closed AS closed,
                 NOT auto_closed AND ended_at >= started_at + interval '8 hours' AS long
            FROM visits WHERE cadre_id = p_cadre AND revoked_at IS NULL
        ), y AS (SELECT extract(year FROM max(s))::int AS year FROM v),
        live AS (SELECT v.*, make_date(y.year, 12, 31) AS dec31 FROM v, y WHERE v.s >= make_date(y.year, 1, 1))
        SELECT y.year::smallint,
               (SELECT count(DISTINCT d::date) FROM live, generate_series(live.s, least(live.e, live.dec31), interval '1 day') d)::int,
               (SELECT count(DISTINCT d) FROM (
                  SELECT s AS d FROM live WHERE long
                  UNION ALL
                  SELECT n::date FROM live, generate_series(live.s, least(live.e - 1, live.dec31), interval '1 day') n WHERE closed
               ) x)::int
          FROM y
      $$`);

    // Locks first, then counts: the count runs with a fresh snapshot after any concurrent
    // writer of the same links committed, so its check-ins are not missed (READ COMMITTED).
    await q.query(`CREATE FUNCTION unit_village_links_recount(p_units int[], p_villages int[]) RETURNS void
      LANGUAGE sql VOLATILE AS $$
        SELECT 1 FROM unit_village_links
         WHERE (unit_id, village_id) IN (SELECT * FROM unnest(p_units, p_villages))
         ORDER BY id FOR NO KEY UPDATE;
        UPDATE unit_village_links l
           SET (tally_year, tally_visits, tally_days) =
               (SELECT t.tally_year, t.tally_visits, t.tally_days FROM unit_village_tally(l.unit_id, l.village_id, l.valid_from) t)
         WHERE (l.unit_id, l.village_id) IN (SELECT * FROM unnest(p_units, p_villages))
      $$`);

    // One check-in's side of both tallies. Updating the cadre row first locks it, so the unit
    // read afterwards is the latest committed one (a concurrent change of unit waits or is seen).
    await q.query(`CREATE FUNCTION site_tally_touch(p_cadre int, p_village int, p_units boolean) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        v_unit int;
      BEGIN
        UPDATE cadres c SET (tally_year, tally_days_on_site, tally_days_resident) =
               (SELECT t.tally_year, t.tally_days_on_site, t.tally_days_resident FROM cadre_site_tally(c.id) t)
         WHERE c.id = p_cadre RETURNING c.unit_id INTO v_unit;
        IF p_units AND v_unit IS NOT NULL THEN
          PERFORM unit_village_links_recount(ARRAY[v_unit], ARRAY[p_village]);
        END IF;
      END $$`);

    await q.query(`CREATE FUNCTION visits_site_tally() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM site_tally_touch(NEW.cadre_id, NEW.village_id, true);
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM site_tally_touch(OLD.cadre_id, OLD.village_id, true);
        ELSIF (OLD.cadre_id, OLD.village_id) <> (NEW.cadre_id, NEW.village_id) THEN
          PERFORM site_tally_touch(OLD.cadre_id, OLD.village_id, true);
          PERFORM site_tally_touch(NEW.cadre_id, NEW.village_id, true);
        ELSE
          -- A 签退 on the day it began changes no day the link counts: the link is left alone.
          PERFORM site_tally_touch(NEW.cadre_id, NEW.village_id,
            (OLD.started_at, OLD.revoked_at IS NULL) IS DISTINCT FROM (NEW.started_at, NEW.revoked_at IS NULL)
            OR (coalesce(OLD.ended_at, OLD.started_at) AT TIME ZONE 'Asia/Shanghai')::date
               <> (coalesce(NEW.ended_at, NEW.started_at) AT TIME ZONE 'Asia/Shanghai')::date);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE CONSTRAINT TRIGGER visits_site_tally_insert AFTER INSERT ON visits
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION visits_site_tally()`);
    await q.query(`CREATE CONSTRAINT TRIGGER visits_site_tally_delete AFTER DELETE ON visits
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.revoked_at IS NULL) EXECUTE FUNCTION visits_site_tally()`);
    await q.query(`CREATE CONSTRAINT TRIGGER visits_site_tally_update AFTER UPDATE ON visits
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
      WHEN ((OLD.cadre_id, OLD.village_id, OLD.started_at, OLD.ended_at, OLD.revoked_at IS NULL, OLD.auto_closed)
            IS DISTINCT FROM (NEW.cadre_id, NEW.village_id, NEW.started_at, NEW.ended_at, NEW.revoked_at IS NULL, NEW.auto_closed))
      EXECUTE FUNCTION visits_site_tally()`);

    await q.query(`CREATE FUNCTION cadre_unit_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM unit_village_links_recount(array_agg(u.unit_id), array_agg(u.village_id))
           FROM (SELECT DISTINCT x.unit_id, v.village_id FROM visits v,
                        (VALUES (OLD.unit_id), (NEW.unit_id)) x(unit_id)
                  WHERE v.cadre_id = NEW.id AND x.unit_id IS NOT NULL) u;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER cadres_unit_changed AFTER UPDATE OF unit_id ON cadres
      FOR EACH ROW WHEN (NEW.unit_id IS DISTINCT FROM OLD.unit_id) EXECUTE FUNCTION cadre_unit_changed()`);

    await q.query(`CREATE FUNCTION unit_village_link_fill() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT t.tally_year, t.tally_visits, t.tally_days INTO NEW.tally_year, NEW.tally_visits, NEW.tally_days
          FROM unit_village_tally(NEW.unit_id, NEW.village_id, NEW.valid_from) t;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER unit_village_links_fill
      BEFORE INSERT OR UPDATE OF unit_id, village_id, valid_from ON unit_village_links
      FOR EACH ROW EXECUTE FUNCTION unit_village_link_fill()`);

    // Every tally from scratch (this migration, and bulk loads). Cadres without a live
    // check-in are zeroed without calling the counting function.
    await q.query(`CREATE FUNCTION site_tallies_rebuild() RETURNS void LANGUAGE sql AS $$
      UPDATE unit_village_links l
         SET (tally_year, tally_visits, tally_days) =
             (SELECT t.tally_year, t.tally_visits, t.tally_days FROM unit_village_tally(l.unit_id, l.village_id, l.valid_from) t);
      UPDATE cadres c
         SET (tally_year, tally_days_on_site, tally_days_resident) =
             (SELECT t.tally_year, t.tally_days_on_site, t.tally_days_resident FROM cadre_site_tally(c.id) t)
       WHERE c.id IN (SELECT DISTINCT cadre_id FROM visits WHERE revoked_at IS NULL);
      UPDATE cadres c SET tally_year = NULL, tally_days_on_site = 0, tally_days_resident = 0
       WHERE (c.tally_year IS NOT NULL OR c.tally_days_on_site <> 0 OR c.tally_days_resident <> 0)
         AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.cadre_id = c.id AND v.revoked_at IS NULL);
    $$`);
    await q.query('SELECT site_tallies_rebuild()');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER unit_village_links_fill ON unit_village_links');
    await q.query('DROP TRIGGER cadres_unit_changed ON cadres');
    for (const op of ['insert', 'delete', 'update']) await q.query(`DROP TRIGGER visits_site_tally_${op} ON visits`);
    await q.query('DROP FUNCTION site_tallies_rebuild()');
    await q.query('DROP FUNCTION unit_village_link_fill()');
    await q.query('DROP FUNCTION cadre_unit_changed()');
    await q.query('DROP FUNCTION visits_site_tally()');
    await q.query('DROP FUNCTION site_tally_touch(int, int, boolean)');
    await q.query('DROP FUNCTION unit_village_links_recount(int[], int[])');
    await q.query('DROP FUNCTION cadre_site_tally(int)');
    await q.query('DROP FUNCTION unit_village_tally(int, int, date)');
    await q.query('ALTER TABLE cadres DROP COLUMN tally_year, DROP COLUMN tally_days_on_site, DROP COLUMN tally_days_resident');
    await q.query('ALTER TABLE unit_village_links DROP COLUMN tally_year, DROP COLUMN tally_visits, DROP COLUMN tally_days');
  }
}
