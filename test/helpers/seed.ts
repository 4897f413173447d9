import type { DataSource, EntityManager } from 'typeorm';

/**
 * A small roster inserted with plain SQL (the roster importer is its own
 * area): two cities, namesake villages for ambiguity, a unit per village,
 * cadres of every role, linked households and one group.
 */

type Db = DataSource | EntityManager;

export interface Seeded {
  regions: Record<string, number>;
  units: Record<string, number>;
  cadres: Record<string, number>;
  households: Record<string, number>;
}

async function region(db: Db, parentId: number | null, level: number, name: string): Promise<number> {
  const parent: { full_name: string; path: string }[] = parentId === null ? []
    : await db.query('SELECT full_name, path FROM regions WHERE id = $1', [parentId]);
  const [{ id }]: { id: number }[] = await db.query(
    `INSERT INTO regions (parent_id, level, name, full_name, path) VALUES ($1, $2, $3, $4, '') RETURNING id`,
    [parentId, level, name, parent[0] ? `${parent[0].full_name}/${name}` : name],
  );
  await db.query('UPDATE regions SET path = $2 WHERE id = $1', [id, `${parent[0]?.path ?? '/'}${id}/`]);
  return id;
}

async function village(db: Db, townId: number, name: string, initials: string, coords?: [number, number], aliases: string[] = []) {
  const id = await region(db, townId, 4, name);
  await db.query(
    `INSERT INTO villages (id, kind, is_poor, latitude, longitude, aliases, initials) VALUES ($1, '村', true, $2, $3, $4, $5)`,
    [id, coords?.[0] ?? null, coords?.[1] ?? null, aliases, initials],
  );
  return id;
}

export async function seedRoster(db: Db): Promise<Seeded> {
  const r: Record<string, number> = {};
  r.province = await region(db, null, 0, '甘肃省');
  r.tianshui = await region(db, r.province, 1, '天水市');
  r.wushan = await region(db, r.tianshui, 2, '武山县');
  r.yuanyang = await region(db, r.wushan, 3, '鸳鸯镇');
  r.luomen = await region(db, r.wushan, 3, '洛门镇');
  r.gangu = await region(db, r.tianshui, 2, '甘谷县');
  r.daxiang = await region(db, r.gangu, 3, '大像山镇');
  r.lanzhou = await region(db, r.province, 1, '兰州市');
  r.yuzhong = await region(db, r.lanzhou, 2, '榆中县');
  r.gancaodian = await region(db, r.yuzhong, 3, '甘草店镇');
  r.dingmen = await village(db, r.yuanyang, '丁门村', 'dm', [34.7206, 104.8912], ['丁门']);
  r.wangmen = await village(db, r.yuanyang, '王门村', 'wm', [34.7001, 104.9302]);
  r.xiping = await village(db, r.luomen, '西坪村', 'xp', [34.8300, 104.7000]);
  r.wangmenGangu = await village(db, r.daxiang, '王门村', 'wm', [34.7400, 105.3300]);
  r.caijiagou = await village(db, r.gancaodian, '蔡家沟村', 'cjg', [35.8000, 104.2000]);
  r.dongcun = await village(db, r.gancaodian, '东村', 'd');

  const u: Record<string, number> = {};
  for (const [key, name] of [['traffic', '天水市交通运输局'], ['farm', '武山县农业农村局'], ['water', '甘谷县水务局'], ['lz', '榆中县财政局']]) {
    u[key] = (await db.query('INSERT INTO units (name) VALUES ($1) RETURNING id', [name]))[0].id;
  }
  const link = (unit: number, v: number) =>
    db.query(`INSERT INTO unit_village_links (unit_id, village_id, valid_from) VALUES ($1, $2, '2026-01-01')`, [unit, v]);
  await link(u.traffic, r.dingmen);
  await link(u.farm, r.wangmen);
  await link(u.farm, r.xiping);
  await link(u.water, r.wangmenGangu);
  await link(u.lz, r.caijiagou);

  const c: Record<string, number> = {};
  const cadre = async (key: string, userid: string, name: string, unit: number | null, role: string, scope: number | null = null, active = true) => {
    c[key] = (await db.query(
      `INSERT INTO cadres (userid, name, unit_id, role, scope_region_id, active) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [userid, name, unit, role, scope, active],
    ))[0].id;
  };
  await cadre('zhang', 'zhangwei', '张伟', u.traffic, '干部');
  await cadre('zhao', 'zhaoqiang', '赵强', u.traffic, '队长');
  await cadre('li', 'liming', '李明', u.farm, '队员');
  await cadre('sun', 'sunli', '孙丽', u.water, '干部');
  await cadre('leader', 'wangju', '王局长', null, '领导', r.wushan);
  await cadre('admin', 'admin01', '双联办', null, '管理员', r.province);
  await cadre('lzLeader', 'lzlead', '兰州领导', null, '领导', r.lanzhou);
  await cadre('gone', 'gone01', '离职干部', u.traffic, '干部', null, false);

  const h: Record<string, number> = {};
  const household = async (key: string, v: number, name: string, cadreId: number) => {
    h[key] = (await db.query(
      `INSERT INTO households (village_id, householder, category, size) VALUES ($1, $2, '贫困户', 4) RETURNING id`, [v, name],
    ))[0].id;
    await db.query(
      `INSERT INTO cadre_household_links (cadre_id, household_id, valid_from) VALUES ($1, $2, '2026-01-01')`, [cadreId, h[key]]);
  };
  await household('zhangsan', r.dingmen, '张三', c.zhang);
  await household('lisi', r.dingmen, '李四', c.zhang);
  await household('wangwu', r.dingmen, '王五', c.zhang);
  await household('zhangsanWm', r.wangmen, '张三', c.li);
  await household('zhangsanXp', r.xiping, '张三', c.li);
  await household('chenliu', r.wangmenGangu, '陈六', c.sun);
  // unlinked household: coverage below 100%
  await db.query(`INSERT INTO households (village_id, householder, category) VALUES ($1, '赵七', '一般户')`, [r.dingmen]);
  await db.query(`INSERT INTO groups (scope_region_id, name, robot_key) VALUES ($1, '武山县双联工作群', 'robot-key-wushan')`, [r.wushan]);
  return { regions: r, units: u, cadres: c, households: h };
}
