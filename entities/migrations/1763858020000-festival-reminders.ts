import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Festival reminders once per festival and recipient (jobs/festival-reminders.ts):
 * every run in a festival's reminder window reminds the linked cadres who have
 * not been reminded of that occurrence yet, so a missed 08:00 run, or a cadre
 * linked since, is caught up later in the window. A new, empty table.
 */
export class FestivalReminders1763858020000 implements MigrationInterface {
  name = 'FestivalReminders1763858020000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE festival_reminders (
        festival_id int NOT NULL REFERENCES festivals(id) ON DELETE CASCADE,
        festival_date date NOT NULL,
        cadre_id int NOT NULL REFERENCES cadres(id),
        reminded_at timestamptz NOT NULL,
        PRIMARY KEY (festival_id, festival_date, cadre_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE festival_reminders');
  }
}
