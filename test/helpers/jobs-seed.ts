import type { DataSource } from 'typeorm';

/**
 * A small fixed roster for the jobs tests, inserted with SQL and fixed ids:
 *
 *   甘肃省(1)/天水市(2)/武山县(3)/鸳鸯镇(4)/丁门村(10), 王门村(11)
 *                              /洛门镇(5)/西坪村(12)
 *   unit 1 县农业局 → 丁门村 since 2026-01-01; unit 2 县教育局 → 西坪村 since 2026-07-01
 *   cadres: 1 张伟 (unit 1, 干部: 张三, 李四), 2 李娜 (unit 1, 队长: 王五),
 *           3 王刚 (unit 2, 干部: 赵六 since 2026-07-01), 4 赵县长 (领导, 武山县),
 *           5 孙镇长 (领导, 鸳鸯镇), 6 周镇长 (领导, 洛门镇), 7 钱局长 (领导 of unit 1, no scope),
 *           8 马市长 (领导, 天水市)
 *   group 1 鸳鸯镇双联群 (scope 鸳鸯镇)
 */
export const IDS = {
  province: 1, city: 2, county: 3, yuanyang: 4, luomen: 5, dingmen: 10, wangmen: 11, xiping: 12,
  unitAgri: 1, unitEdu: 2,
  zhangwei: 1, lina: 2, wanggang: 3, countyLeader: 4, yyLeader: 5, lmLeader: 6, unitLeader: 7, cityLeader: 8,
  zhangsan: 1, lisi: 2, wangwu: 3, zhaoliu: 4,
} as const;

export async function seedJobsRoster(db: DataSource): Promise<void> {
  await db.query(`
    INSERT INTO regions (id, parent_id, level, name, full_name, path) VALUES
      (1, NULL, 0, '甘肃省', '甘肃省', '/1/'),
      (2, 1, 1, '天水市', '甘肃省/天水市', '/1/2/'),
      (3, 2, 2, '武山县', '甘肃省/天水市/武山县', '/1/2/3/'),
      (4, 3, 3, '鸳鸯镇', '甘肃省/天水市/武山县/鸳鸯镇', '/1/2/3/4/'),
      (5, 3, 3, '洛门镇', '甘肃省/天水市/武山县/洛门镇', '/1/2/3/5/'),
      (10, 4, 4, '丁门村', '甘肃省/天水市/武山县/鸳鸯镇/丁门村', '/1/2/3/4/10/'),
      (11, 4, 4, '王门村', '甘肃省/天水市/武山县/鸳鸯镇/王门村', '/1/2/3/4/11/'),
      (12, 5, 4, '西坪村', '甘肃省/天水市/武山县/洛门镇/西坪村', '/1/2/3/5/12/');
    INSERT INTO villages (id, kind, is_poor) VALUES (10, '村', true), (11, '村', true), (12, '村', true);
    INSERT INTO units (id, name) VALUES (1, '县农业局'), (2, '县教育局');
    INSERT INTO unit_village_links (unit_id, village_id, valid_from) VALUES (1, 10, '2026-01-01'), (2, 12, '2026-07-01');
    INSERT INTO cadres (id, userid, name, unit_id, role, scope_region_id) VALUES
      (1, 'zhangwei', '张伟', 1, '干部', NULL), (2, 'lina', '李娜', 1, '队长', NULL),
      (3, 'wanggang', '王刚', 2, '干部', NULL), (4, 'zhaoxz', '赵县长', NULL, '领导', 3),
      (5, 'sunzz', '孙镇长', NULL, '领导', 4), (6, 'zhouzz', '周镇长', NULL, '领导', 5),
      (7, 'qianjz', '钱局长', 1, '领导', NULL), (8, 'mass', '马市长', NULL, '领导', 2);
    INSERT INTO households (id, village_id, householder, category, size) VALUES
      (1, 10, '张三', '贫困户', 4), (2, 10, '李四', '低保户', 2), (3, 11, '王五', '五保户', 1), (4, 12, '赵六', '一般户', 3);
    INSERT INTO cadre_household_links (cadre_id, household_id, valid_from) VALUES
      (1, 1, '2026-01-01'), (1, 2, '2026-01-01'), (2, 3, '2026-01-01'), (3, 4, '2026-07-01');
    INSERT INTO groups (id, scope_region_id, name, robot_key) VALUES (1, 4, '鸳鸯镇双联群', 'robot-key-yy');
    SELECT setval(pg_get_serial_sequence('regions', 'id'), 100), setval(pg_get_serial_sequence('cadres', 'id'), 100),
           setval(pg_get_serial_sequence('units', 'id'), 100), setval(pg_get_serial_sequence('households', 'id'), 100),
           setval(pg_get_serial_sequence('groups', 'id'), 100);
  `);
}

/** A check-in; times as ISO strings with +08:00. Returns its id. */
export async function addVisit(
  db: DataSource, cadreId: number, villageId: number, start: string, end: string | null, opts: { autoClosed?: boolean } = {},
): Promise<number> {
  const [{ id }]: { id: number }[] = await db.query(
    `INSERT INTO visits (cadre_id, village_id, started_at, ended_at, duration_minutes, auto_closed)
     VALUES ($1, $2, $3::timestamptz, $4::timestamptz,
             CASE WHEN $4::timestamptz IS NULL THEN NULL ELSE (extract(epoch FROM $4::timestamptz - $3::timestamptz) / 60)::int END, $5)
     RETURNING id`,
    [cadreId, villageId, start, end, opts.autoClosed ?? false],
  );
  return id;
}

export async function addHouseholdVisit(db: DataSource, cadreId: number, householdId: number, at: string, talk = false) {
  await db.query(
    `INSERT INTO household_visits (cadre_id, household_id, village_id, visited_at, talk)
     SELECT $1, id, village_id, $3::timestamptz, $4 FROM households WHERE id = $2`,
    [cadreId, householdId, at, talk],
  );
}

export async function addProblem(
  db: DataSource, p: { code: string; villageId: number; reporterId: number; ownerId: number | null; deadline: string;
    reportedAt: string; closedAt?: string },
): Promise<number> {
  const [{ id }]: { id: number }[] = await db.query(
    `INSERT INTO problems (code, village_id, reporter_id, owner_cadre_id, description, status, deadline, reported_at, closed_at)
     VALUES ($1, $2, $3, $4, '道路塌方', $5, $6, $7, $8) RETURNING id`,
    [p.code, p.villageId, p.reporterId, p.ownerId, p.closedAt ? 'closed' : 'open', p.deadline, p.reportedAt, p.closedAt ?? null],
  );
  return id;
}
