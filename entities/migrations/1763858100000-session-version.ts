import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions that end on the server (docs/console.md): every console and H5
 * session cookie carries its cadre's session version, and a cookie whose
 * version is not the cadre's current one is no session. Logging out bumps the
 * version; so does any change of a cadre's role or scope, whichever path makes
 * it (roster import, SQL by hand), through the trigger below. Adding a column
 * with a constant default rewrites nothing, however many cadres there are.
 */
export class SessionVersion1763858100000 implements MigrationInterface {
  name = 'SessionVersion1763858100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cadres ADD COLUMN session_version integer NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE FUNCTION cadres_end_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.session_version := OLD.session_version + 1;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER cadres_end_sessions BEFORE UPDATE OF role, scope_region_id ON cadres
        FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.scope_region_id IS DISTINCT FROM NEW.scope_region_id)
        EXECUTE FUNCTION cadres_end_sessions()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER cadres_end_sessions ON cadres`);
    await q.query(`DROP FUNCTION cadres_end_sessions()`);
    await q.query(`ALTER TABLE cadres DROP COLUMN session_version`);
  }
}
