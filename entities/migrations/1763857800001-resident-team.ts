import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Resident work teams as the roster states them (docs/design.md §4 cadres sheet):
 * the role 第一书记 (a team leader, like 队长), and a team member's 驻村村 and
 * 驻村开始日期 / 驻村结束日期 (the last day of the stay), from which their
 * yearly quotas are pro-rated (docs/design.md §2 pace). The columns are
 * nullable and added without a default, so a large cadres table is not rewritten.
 */
export class ResidentTeam1763857800001 implements MigrationInterface {
  name = 'ResidentTeam1763857800001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cadres ADD COLUMN resident_village_id int REFERENCES villages (id),
      ADD COLUMN resident_from date, ADD COLUMN resident_to date`);
    await q.query(`ALTER TABLE cadres ADD CONSTRAINT cadres_resident_dates CHECK (resident_to >= resident_from)`);
    await setRoles(q, ['干部', '队员', '队长', '第一书记', '领导', '管理员']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE cadres SET role = '队长' WHERE role = '第一书记'`);
    await setRoles(q, ['干部', '队员', '队长', '领导', '管理员']);
    await q.query('ALTER TABLE cadres DROP CONSTRAINT cadres_resident_dates');
    await q.query('ALTER TABLE cadres DROP COLUMN resident_village_id, DROP COLUMN resident_from, DROP COLUMN resident_to');
  }
}

async function setRoles(q: QueryRunner, roles: string[]): Promise<void> {
  await q.query('ALTER TABLE cadres DROP CONSTRAINT cadres_role_check');
  await q.query(`ALTER TABLE cadres ADD CONSTRAINT cadres_role_check CHECK (role IN (${roles.map((r) => `'${r}'`).join(', ')}))`);
}
