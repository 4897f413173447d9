import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Covering indexes for the console's subtree aggregates, so a county's year of
 * check-ins and household visits is read by index-only scans instead of one
 * heap page per row (a county's year of check-ins lies on about as many heap
 * pages as it has rows). Partial on revoked_at IS NULL: revoked
 * records never count.
 */
export class ConsoleCoveringIndexes1763856600001 implements MigrationInterface {
  name = 'ConsoleCoveringIndexes1763856600001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX IF NOT EXISTS visits_village_started_live_idx ON visits (village_id, started_at)
        INCLUDE (cadre_id, ended_at) WHERE revoked_at IS NULL;
      CREATE INDEX IF NOT EXISTS household_visits_village_live_idx ON household_visits (village_id, visited_at)
        INCLUDE (household_id, cadre_id, talk) WHERE revoked_at IS NULL;
      CREATE INDEX IF NOT EXISTS cadre_household_links_household_cover_idx ON cadre_household_links (household_id)
        INCLUDE (cadre_id, valid_from, valid_to);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX IF EXISTS visits_village_started_live_idx;
      DROP INDEX IF EXISTS household_visits_village_live_idx;
      DROP INDEX IF EXISTS cadre_household_links_household_cover_idx;
    `);
  }
}
