import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Console look-ups that must not scan a table at province scale: a cadre's
 * own reported problems ("我的记录") by reporter.
 */
export class ConsoleIndexes1763856600000 implements MigrationInterface {
  name = 'ConsoleIndexes1763856600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX problems_reporter_idx ON problems (reporter_id, reported_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX problems_reporter_idx');
  }
}
