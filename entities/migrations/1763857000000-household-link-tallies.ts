import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each 联户 link carries its village and its year's tally (household visits,
 * distinct visit days, talks since the link's start), so the evening digests,
 * the weekly quota scan and the console read 5 million narrow link rows
 * instead of joining every household visit to every link.
 *
 * The tally is for `tally_year`, the Shanghai year of the pair's latest live
 * household visit (NULL when there is none): the current year's standing reads
 * it, any other year reads zero. Triggers keep it exact for every writer:
 *  - household_visits, per statement: the pairs it touched are recounted;
 *  - cadre_household_links, per row before insert or a change of household or
 *    start date: village and tally are filled in (an importer may pass the
 *    village itself; the lookup is then skipped);
 *  - households, a change of village moves its links.
 * Bulk loads that bypass triggers call household_link_tallies_rebuild().
 */
export class HouseholdLinkTallies1763857000000 implements MigrationInterface {
  name = 'HouseholdLinkTallies1763857000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cadre_household_links
      ADD COLUMN village_id int REFERENCES villages (id),
      ADD COLUMN tally_year smallint,
      ADD COLUMN tally_visits int NOT NULL DEFAULT 0,
      ADD COLUMN tally_days int NOT NULL DEFAULT 0,
      ADD COLUMN tally_talks int NOT NULL DEFAULT 0`);

    // One link's tally, as every standing query counts it: the live household visits of its
    // (cadre, household) in the Shanghai year of the latest one, on or after the link's start.
    await q.query(`CREATE FUNCTION household_link_tally(p_cadre int, p_household int, p_from date,
        OUT tally_year smallint, OUT tally_visits int, OUT tally_days int, OUT tally_talks int)
      LANGUAGE sql STABLE AS $$
        WITH hv AS (
          SELECT (visited_at AT TIME ZONE 'Asia/Shanghai')::date AS d, talk FROM household_visits
           WHERE cadre_id = p_cadre AND household_id = p_household AND revoked_at IS NULL
        ), y AS (SELECT extract(year FROM max(d))::smallint AS year FROM hv)
        SELECT y.year, count(hv.d)::int, count(DISTINCT hv.d)::int, (count(hv.d) FILTER (WHERE hv.talk))::int
          FROM y LEFT JOIN hv ON extract(year FROM hv.d) = y.year
               AND hv.d >= greatest(p_from, make_date(y.year, 1, 1))
         GROUP BY y.year
      $$`);

    // Locks first, then counts: the count runs with a fresh snapshot after any concurrent
    // writer of the same links committed, so its visits are not missed (READ COMMITTED).
    await q.query(`CREATE FUNCTION household_links_recount(p_cadres int[], p_households int[]) RETURNS void
      LANGUAGE sql VOLATILE AS $$
        SELECT 1 FROM cadre_household_links
         WHERE (cadre_id, household_id) IN (SELECT * FROM unnest(p_cadres, p_households))
         ORDER BY id FOR NO KEY UPDATE;
        UPDATE cadre_household_links l
           SET (tally_year, tally_visits, tally_days, tally_talks) =
               (SELECT t.tally_year, t.tally_visits, t.tally_days, t.tally_talks
                  FROM household_link_tally(l.cadre_id, l.household_id, l.valid_from) t)
         WHERE (l.cadre_id, l.household_id) IN (SELECT * FROM unnest(p_cadres, p_households))
      $$`);

    for (const [op, tables, rows] of [
      ['INSERT', 'NEW TABLE AS changed', 'SELECT cadre_id, household_id FROM changed'],
      ['DELETE', 'OLD TABLE AS changed', 'SELECT cadre_id, household_id FROM changed'],
      ['UPDATE', 'OLD TABLE AS before NEW TABLE AS changed',
        'SELECT cadre_id, household_id FROM changed UNION SELECT cadre_id, household_id FROM before'],
    ] as const) {
      const fn = `household_visits_recount_${op.toLowerCase()}`;
      await q.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM household_links_recount(array_agg(p.cadre_id), array_agg(p.household_id))
             FROM (SELECT DISTINCT cadre_id, household_id FROM (${rows}) x) p;
          RETURN NULL;
        END $$`);
      await q.query(`CREATE TRIGGER household_visits_recount_${op.toLowerCase()} AFTER ${op} ON household_visits
        REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
    }

    await q.query(`CREATE FUNCTION household_link_fill() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.village_id IS NULL OR (TG_OP = 'UPDATE' AND NEW.household_id <> OLD.household_id) THEN
          SELECT h.village_id INTO NEW.village_id FROM households h WHERE h.id = NEW.household_id;
        END IF;
        -- A roster import opens millions of links to households nobody has visited yet:
        -- one cached index probe answers those without calling the counting function.
        IF EXISTS (SELECT 1 FROM household_visits hv WHERE hv.household_id = NEW.household_id AND hv.cadre_id = NEW.cadre_id) THEN
          SELECT t.tally_year, t.tally_visits, t.tally_days, t.tally_talks
            INTO NEW.tally_year, NEW.tally_visits, NEW.tally_days, NEW.tally_talks
            FROM household_link_tally(NEW.cadre_id, NEW.household_id, NEW.valid_from) t;
        ELSE
          NEW.tally_year := NULL; NEW.tally_visits := 0; NEW.tally_days := 0; NEW.tally_talks := 0;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER cadre_household_links_fill
      BEFORE INSERT OR UPDATE OF cadre_id, household_id, valid_from ON cadre_household_links
      FOR EACH ROW EXECUTE FUNCTION household_link_fill()`);

    await q.query(`CREATE FUNCTION household_moved() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE cadre_household_links SET village_id = NEW.village_id WHERE household_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER households_moved AFTER UPDATE OF village_id ON households
      FOR EACH ROW WHEN (NEW.village_id IS DISTINCT FROM OLD.village_id) EXECUTE FUNCTION household_moved()`);

    // Every link's village and tally from scratch, set-based (this migration, and bulk loads):
    // household visits per (pair, day) once, then hash joins (~1.5 min for 5 M links and visits).
    await q.query(`CREATE FUNCTION household_link_tallies_rebuild() RETURNS void LANGUAGE sql
      SET work_mem = '512MB' SET enable_nestloop = off AS $$
      WITH pd AS MATERIALIZED (
        SELECT cadre_id, household_id, (visited_at AT TIME ZONE 'Asia/Shanghai')::date AS d,
               count(*)::int AS n, (count(*) FILTER (WHERE talk))::int AS t
          FROM household_visits WHERE revoked_at IS NULL GROUP BY 1, 2, 3
      ), py AS (
        SELECT cadre_id, household_id, extract(year FROM max(d))::int AS year FROM pd GROUP BY 1, 2
      ), t AS (
        SELECT l.id, py.year, sum(pd.n)::int AS visits, count(pd.d)::int AS days, sum(pd.t)::int AS talks
          FROM cadre_household_links l
          JOIN py ON py.cadre_id = l.cadre_id AND py.household_id = l.household_id
          LEFT JOIN pd ON pd.cadre_id = l.cadre_id AND pd.household_id = l.household_id
               AND extract(year FROM pd.d) = py.year AND pd.d >= greatest(l.valid_from, make_date(py.year, 1, 1))
         GROUP BY l.id, py.year
      ), x AS (
        SELECT l.id, h.village_id, t.year, t.visits, t.days, t.talks
          FROM cadre_household_links l JOIN households h ON h.id = l.household_id LEFT JOIN t ON t.id = l.id
      )
      UPDATE cadre_household_links l
         SET village_id = x.village_id, tally_year = x.year,
             tally_visits = coalesce(x.visits, 0), tally_days = coalesce(x.days, 0), tally_talks = coalesce(x.talks, 0)
        FROM x WHERE l.id = x.id
    $$`);
    await q.query(`ALTER TABLE cadre_household_links DISABLE TRIGGER cadre_household_links_fill`);
    await q.query('SELECT household_link_tallies_rebuild()');
    await q.query(`ALTER TABLE cadre_household_links ENABLE TRIGGER cadre_household_links_fill`);
    await q.query('ALTER TABLE cadre_household_links ALTER COLUMN village_id SET NOT NULL');
    // The digest and the quota scan read current links by village and by cadre.
    await q.query('CREATE INDEX cadre_household_links_village_idx ON cadre_household_links (village_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER households_moved ON households');
    await q.query('DROP TRIGGER cadre_household_links_fill ON cadre_household_links');
    for (const op of ['insert', 'delete', 'update']) {
      await q.query(`DROP TRIGGER household_visits_recount_${op} ON household_visits`);
      await q.query(`DROP FUNCTION household_visits_recount_${op}()`);
    }
    await q.query('DROP FUNCTION household_link_tallies_rebuild()');
    await q.query('DROP FUNCTION household_moved()');
    await q.query('DROP FUNCTION household_link_fill()');
    await q.query('DROP FUNCTION household_links_recount(int[], int[])');
    await q.query('DROP FUNCTION household_link_tally(int, int, date)');
    await q.query(`ALTER TABLE cadre_household_links DROP COLUMN village_id, DROP COLUMN tally_year,
      DROP COLUMN tally_visits, DROP COLUMN tally_days, DROP COLUMN tally_talks`);
  }
}
