import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * cadre_household_links had two indexes on household_id: the plain one of the
 * initial schema and the covering one of 1763856600001, which answers every
 * lookup the plain one did. Every new link (five million on a province's
 * first roster import) paid for both.
 */
export class LinkHouseholdIndex1763859700000 implements MigrationInterface {
  name = 'LinkHouseholdIndex1763859700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX cadre_household_links_household_idx');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX cadre_household_links_household_idx ON cadre_household_links (household_id)');
  }
}
