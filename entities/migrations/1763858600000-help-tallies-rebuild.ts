import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * counts_rebuild() also recomputes the 六送 tallies per village, year and kind
 * (migration 1763858400000) from the help acts, like every other kept count.
 */
export class HelpTalliesRebuild1763858600000 implements MigrationInterface {
  name = 'HelpTalliesRebuild1763858600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION help_tallies_rebuild() RETURNS void LANGUAGE sql AS $$
        TRUNCATE village_help_tallies;
        INSERT INTO village_help_tallies (village_id, year, kind, acts, amount_yuan)
          SELECT village_id, extract(year FROM acted_at AT TIME ZONE 'Asia/Shanghai')::int, kind, count(*), coalesce(sum(amount_yuan), 0)
            FROM help_acts WHERE revoked_at IS NULL GROUP BY 1, 2, 3;
      $$`);
    await q.query(countsRebuild(['counts_rebuild_tallies', 'rollups_rebuild', 'help_tallies_rebuild']));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(countsRebuild(['counts_rebuild_tallies', 'rollups_rebuild']));
    await q.query('DROP FUNCTION help_tallies_rebuild()');
  }
}

const countsRebuild = (parts: string[]) => `CREATE OR REPLACE FUNCTION counts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    ${parts.map((p) => `PERFORM ${p}();`).join('\n    ')}
  END $$`;
