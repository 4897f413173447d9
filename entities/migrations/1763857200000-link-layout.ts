import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 联户 links are read a village at a time (the console's coverage and standing
 * of a county, the digests). The tally rebuild of migration 1763857000000
 * rewrote every link in hash-join order, scattering a village's links over the
 * whole table: a county's links cost as many page reads as there are links.
 * CLUSTER puts them back in
 * village order, and fillfactor 90 leaves room on each page so that the tally
 * updates (one per household visit) stay on their page as heap-only tuples and
 * keep that order. CLUSTER locks the table while it rewrites it (about half a
 * minute for 5 million links).
 */
export class LinkLayout1763857200000 implements MigrationInterface {
  name = 'LinkLayout1763857200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE cadre_household_links SET (fillfactor = 90)');
    await q.query('CLUSTER cadre_household_links USING cadre_household_links_village_idx');
    await q.query('ANALYZE cadre_household_links');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE cadre_household_links SET WITHOUT CLUSTER');
    await q.query('ALTER TABLE cadre_household_links RESET (fillfactor)');
  }
}
