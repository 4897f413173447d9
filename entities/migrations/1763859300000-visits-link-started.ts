import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 任务进度 as of a past day (docs/console.md "Date range"): a 联村 link's
 * check-ins begun from 1 January through that day are counted from this index
 * alone, a few leaf pages per link, instead of fetching every check-in of the
 * village from the heap to read the link it recorded.
 */
export class VisitsLinkStarted1763859300000 implements MigrationInterface {
  name = 'VisitsLinkStarted1763859300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX visits_unit_link_started_idx ON visits (unit_link_id, started_at)
                    WHERE revoked_at IS NULL AND unit_link_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX visits_unit_link_started_idx');
  }
}
