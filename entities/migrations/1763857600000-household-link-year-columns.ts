import type { MigrationInterface, QueryRunner } from 'typeorm';
import { householdLinkDayFunction } from './1763857500000-history-true-counts';

/**
 * The province-wide reads of 联户 links (the weekly quota scan, every leader's
 * digest) take all 5 million links at once: joined to a table of year tallies
 * they hash-join two 5-million-row tables. Each link therefore also carries
 * its latest year's tally in its own row (`tally_year`, `tally_visits`,
 * `tally_days`, `tally_talks`), copied from `household_link_tallies` whenever
 * that row changes. Only the link's own cadre writes it, and the columns are
 * in no index, so the update stays on its page (fillfactor 90). Reads of an
 * earlier year than the row's fall back to `household_link_tallies`.
 */
export class HouseholdLinkYearColumns1763857600000 implements MigrationInterface {
  name = 'HouseholdLinkYearColumns1763857600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cadre_household_links ADD COLUMN tally_year smallint,
      ADD COLUMN tally_visits int NOT NULL DEFAULT 0, ADD COLUMN tally_days int NOT NULL DEFAULT 0,
      ADD COLUMN tally_talks int NOT NULL DEFAULT 0`);
    await q.query(`CREATE FUNCTION household_link_year_columns(p_link int, p_year int) RETURNS void LANGUAGE sql AS $$
        UPDATE cadre_household_links l
           SET tally_year = t.year, tally_visits = t.visits, tally_days = t.days, tally_talks = t.talks
          FROM household_link_tallies t
         WHERE l.id = p_link AND t.link_id = p_link AND t.year = p_year AND (l.tally_year IS NULL OR l.tally_year <= p_year)
      $$`);
    await q.query(`CREATE FUNCTION household_link_year_columns_rebuild() RETURNS void LANGUAGE sql AS $$
        UPDATE cadre_household_links l
           SET tally_year = t.year, tally_visits = t.visits, tally_days = t.days, tally_talks = t.talks
          FROM (SELECT DISTINCT ON (link_id) * FROM household_link_tallies ORDER BY link_id, year DESC) t
         WHERE t.link_id = l.id
           AND (l.tally_year, l.tally_visits, l.tally_days, l.tally_talks) IS DISTINCT FROM (t.year, t.visits, t.days, t.talks);
        UPDATE cadre_household_links l SET tally_year = NULL, tally_visits = 0, tally_days = 0, tally_talks = 0
         WHERE l.tally_year IS NOT NULL AND NOT EXISTS (SELECT 1 FROM household_link_tallies t WHERE t.link_id = l.id);
      $$`);
    // The household visit's counting copies its year tally onto the link row.
    await q.query(householdLinkDayFunction(YEAR_COLUMNS));
    await q.query('ALTER FUNCTION counts_rebuild() RENAME TO counts_rebuild_rows');
    await q.query(`CREATE FUNCTION counts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM counts_rebuild_rows();
        PERFORM household_link_year_columns_rebuild();
      END $$`);
    await q.query('SELECT household_link_year_columns_rebuild()');
    // Filling the columns rewrote most links: back to village order, as migration 1763857200000
    // left them (the console reads a county's links village by village).
    await q.query('CLUSTER cadre_household_links USING cadre_household_links_village_idx');
    await q.query('ANALYZE cadre_household_links');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION counts_rebuild()');
    await q.query('ALTER FUNCTION counts_rebuild_rows() RENAME TO counts_rebuild');
    await q.query(householdLinkDayFunction());
    await q.query('DROP FUNCTION household_link_year_columns_rebuild(), household_link_year_columns(int, int)');
    await q.query(`ALTER TABLE cadre_household_links DROP COLUMN tally_year, DROP COLUMN tally_visits,
      DROP COLUMN tally_days, DROP COLUMN tally_talks`);
  }
}

const YEAR_COLUMNS = '        PERFORM household_link_year_columns(p_link, extract(year FROM p_day)::int);\n';

