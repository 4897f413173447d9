import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A picture sent in chat looks for the sender's records of the last 30
 * minutes; a 销号 is found by who closed it, which nothing indexed before.
 */
export class PhotoLookups1763856800001 implements MigrationInterface {
  name = 'PhotoLookups1763856800001';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX problems_closed_by_idx ON problems (closed_by_id, closed_at) WHERE closed_by_id IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX problems_closed_by_idx');
  }
}
