import type { MigrationInterface, QueryRunner } from 'typeorm';
import { BULK_IDS } from './1763859400000-household-pace';

/**
 * Coverage (migration 1763857700000) after a roster import's bulk statement.
 * households_cover() looked up each household's earliest open link with a
 * correlated subquery. The statement trigger runs it at the end of the INSERT
 * that loaded the links, before any ANALYZE: the planner then knew nothing of
 * the five million new links and answered each of those subqueries by reading
 * the whole open-link index (its household is the index's second column), so a
 * province's first import never finished. The earliest open link is now found
 * for all the given rows at once, grouped, and for a bulk set the steps are
 * joined by hashing; a single household or village still takes one index probe.
 */
export class BulkCover1763859500000 implements MigrationInterface {
  name = 'BulkCover1763859500000';

  async up(q: QueryRunner): Promise<void> {
    for (const c of COVERS) await q.query(setBased(c));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const c of COVERS) await q.query(correlated(c));
  }
}

interface Cover { fn: string; table: string; column: string; links: string; key: string }

const COVERS: Cover[] = [
  { fn: 'households_cover', table: 'households', column: 'covered_since', links: 'cadre_household_links', key: 'household_id' },
  { fn: 'villages_cover', table: 'villages', column: 'unit_linked_since', links: 'unit_village_links', key: 'village_id' },
];


const setBased = (c: Cover) => `CREATE OR REPLACE FUNCTION ${c.fn}(p_ids int[]) RETURNS void LANGUAGE plpgsql AS $f$
  DECLARE nestloop text := current_setting('enable_nestloop');
  BEGIN
    IF cardinality(p_ids) > ${BULK_IDS} THEN
      PERFORM set_config('enable_nestloop', 'off', true);
    END IF;
    EXECUTE $q$
      UPDATE ${c.table} t SET ${c.column} = n.since
        FROM (SELECT i.id, coalesce(m.since, 'infinity') AS since
                FROM unnest($1) i (id)
                LEFT JOIN (SELECT l.${c.key}, min(l.valid_from) AS since FROM ${c.links} l
                            WHERE l.valid_to IS NULL AND l.${c.key} IN (SELECT unnest($1)) GROUP BY 1) m ON m.${c.key} = i.id) n
       WHERE t.id = n.id AND t.${c.column} <> n.since $q$ USING p_ids;
    PERFORM set_config('enable_nestloop', nestloop, true);
  END $f$`;

const correlated = (c: Cover) => `CREATE OR REPLACE FUNCTION ${c.fn}(p_ids int[]) RETURNS void LANGUAGE sql AS $$
    UPDATE ${c.table} t SET ${c.column} = n.since
      FROM (SELECT i.id, coalesce((SELECT min(l.valid_from) FROM ${c.links} l
                                    WHERE l.${c.key} = i.id AND l.valid_to IS NULL), 'infinity') AS since
              FROM unnest(p_ids) i (id)) n
     WHERE t.id = n.id AND t.${c.column} <> n.since
  $$`;
