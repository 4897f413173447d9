import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Taps instead of typing (docs/wecom.md §8):
 * - outbox rows of the channel 'card' (message/update_template_card);
 * - the response code WeCom returns for a sent interactive card, kept on its
 *   outbox row with the time it was used (a code updates cards once);
 * - app_greetings: the day a cadre last got the status that opening the app
 *   (enter_agent) answers, at most once a day.
 * Nullable columns without a default and a constraint added NOT VALID then
 * validated: nothing is rewritten and writes are not blocked on a large outbox.
 */
export class TapNotType1763858500000 implements MigrationInterface {
  name = 'TapNotType1763858500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_channel_check`);
    await q.query(`ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_channel_check
      CHECK (channel IN ('app', 'appchat', 'robot', 'card')) NOT VALID`);
    await q.query(`ALTER TABLE outbox_messages VALIDATE CONSTRAINT outbox_messages_channel_check`);
    await q.query(`ALTER TABLE outbox_messages ADD COLUMN response_code text, ADD COLUMN response_code_used_at timestamptz`);
    await q.query(`
      CREATE TABLE app_greetings (
        cadre_id integer NOT NULL REFERENCES cadres(id) ON DELETE CASCADE,
        day date NOT NULL,
        PRIMARY KEY (cadre_id, day))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE app_greetings`);
    await q.query(`ALTER TABLE outbox_messages DROP COLUMN response_code, DROP COLUMN response_code_used_at`);
    await q.query(`DELETE FROM outbox_messages WHERE channel = 'card'`);
    await q.query(`ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_channel_check`);
    await q.query(`ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_channel_check CHECK (channel IN ('app', 'appchat', 'robot'))`);
  }
}
