import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A year-end digest read in January asks for the year before, when some 联户
 * links already carry the new year's tally on their own row. Those few links
 * are found by year (src/services/standing/pace-sql.ts HOUSEHOLD_LINK_EARLIER)
 * instead of joining every link to its tallies.
 */
export class HouseholdLinkTalliesYear1763857700001 implements MigrationInterface {
  name = 'HouseholdLinkTalliesYear1763857700001';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX household_link_tallies_year_idx ON household_link_tallies (year)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX household_link_tallies_year_idx');
  }
}
