import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Index-backed chat look-ups at province scale (20,000 villages, many
 * thousand problems a year):
 * - village names by prefix (签到 蔡家) whatever the database collation
 *   (text_pattern_ops makes LIKE 'prefix%' a btree range);
 * - village aliases (GIN, for aliases && ARRAY[...]);
 * - the next problem number of a year, max over W<year>-<n> by index;
 * - senders by WeCom userid case-insensitively (WeCom lower-cases userids).
 */
export class ChatLookups1763856400000 implements MigrationInterface {
  name = 'ChatLookups1763856400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX regions_village_name_prefix_idx ON regions (name text_pattern_ops) WHERE level = 4;
      CREATE INDEX villages_aliases_gin ON villages USING gin (aliases);
      CREATE INDEX problems_code_seq_idx ON problems ((substring(code from 2 for 4)::int), (substring(code from 7)::int))
        WHERE code ~ '^W[0-9]{4}-[0-9]+$';
      CREATE INDEX cadres_userid_lower_idx ON cadres (lower(userid));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX cadres_userid_lower_idx, problems_code_seq_idx, villages_aliases_gin, regions_village_name_prefix_idx');
  }
}
