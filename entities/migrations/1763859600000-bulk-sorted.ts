import type { MigrationInterface, QueryRunner } from 'typeorm';
import { BULK_IDS } from './1763859400000-household-pace';

/**
 * Bulk sets of the statement triggers on the link tables are joined by
 * sorting. A roster import's first load of a province opens five million
 * links in one INSERT; its statement triggers (coverage, 1763859500000, and
 * pace rows, 1763859400000) then join sets of that size to tables whose
 * statistics were taken before the load. Planned with hashing, a hash table
 * sized for a few hundred rows that must spill to batches can no longer grow
 * its buckets, so every probe walks a chain of thousands of rows: the
 * province's first import never finished, while a fifth of it took a minute.
 * Sorts and merge joins do not depend on the estimates.
 *
 * Each such function `<fn>(int[])` becomes a dispatcher: a small set goes to the
 * statement as it was (`<fn>_planned`, planned for the set given), a bulk set to
 * `<fn>_sorted`, the same statement with hashing and nested loops off for its
 * duration only (a function's SET clause, restored on return). The pace rows'
 * rebuild keeps the planned statement: it runs on analyzed tables.
 */
export class BulkSorted1763859600000 implements MigrationInterface {
  name = 'BulkSorted1763859600000';

  async up(q: QueryRunner): Promise<void> {
    for (const fn of BULK_FUNCTIONS) {
      await q.query(`ALTER FUNCTION ${fn}(int[]) RENAME TO ${fn}_planned`);
      await q.query(`CREATE FUNCTION ${fn}_sorted(p_ids int[]) RETURNS void LANGUAGE sql
          SET enable_nestloop = off SET enable_hashjoin = off SET enable_hashagg = off
        AS $$ SELECT ${fn}_planned(p_ids) $$`);
      await q.query(`CREATE FUNCTION ${fn}(p_ids int[]) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
          IF cardinality(p_ids) > ${BULK_IDS} THEN
            PERFORM ${fn}_sorted(p_ids);
          ELSE
            PERFORM ${fn}_planned(p_ids);
          END IF;
        END $$`);
    }
    await q.query(paceRebuild('household_pace_refresh_planned'));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const fn of BULK_FUNCTIONS) {
      await q.query(`DROP FUNCTION ${fn}(int[]), ${fn}_sorted(int[])`);
      await q.query(`ALTER FUNCTION ${fn}_planned(int[]) RENAME TO ${fn}`);
    }
    await q.query(paceRebuild('household_pace_refresh'));
  }
}

const BULK_FUNCTIONS = ['households_cover', 'villages_cover', 'household_pace_refresh'];


/** As in 1763859400000, refreshing every cadre's row through `refresh`. */
const paceRebuild = (refresh: string) => `CREATE OR REPLACE FUNCTION household_pace_rebuild() RETURNS void LANGUAGE sql AS $$
    DELETE FROM household_pace h WHERE NOT EXISTS (SELECT 1 FROM cadre_household_links l WHERE l.cadre_id = h.cadre_id);
    SELECT ${refresh}(ARRAY(SELECT DISTINCT cadre_id FROM cadre_household_links));
  $$`;
