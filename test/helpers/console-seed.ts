import type { DataSource } from 'typeorm';

/**
 * A small roster for the console and H5 tests, written with SQL so it does
 * not depend on the roster importer: 天水市 with 武山县 (鸳鸯镇 丁门村/王门村,
 * 洛门镇 西坪村) and 甘谷县 (大像山镇 城关村); two units, leaders for each
 * county, cadres, households, visits, problems and a notice.
 */

export interface ConsoleSeed {
  ids: Record<string, number>;
  /** GCJ-02 position of 丁门村 on the roster. */
  dingmen: { latitude: number; longitude: number };
}

const DAY = 24 * 3600 * 1000;

export async function seedConsole(db: DataSource, now = new Date()): Promise<ConsoleSeed> {
  const ids: Record<string, number> = {};
  const region = async (key: string, parent: string | null, level: number, name: string) => {
    const p = parent ? (await db.query('SELECT path, full_name FROM regions WHERE id = $1', [ids[parent]]))[0] : null;
    const [r] = await db.query(
      `INSERT INTO regions (parent_id, level, name, full_name, path) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [parent ? ids[parent] : null, level, name, p ? `${p.full_name}/${name}` : name, `tmp-${key}`],
    );
    await db.query('UPDATE regions SET path = $2 WHERE id = $1', [r.id, `${p ? p.path : '/'}${r.id}/`]);
    ids[key] = r.id;
  };
  await region('province', null, 0, '甘肃省');
  await region('tianshui', 'province', 1, '天水市');
  await region('wushan', 'tianshui', 2, '武山县');
  await region('gangu', 'tianshui', 2, '甘谷县');
  await region('yuanyang', 'wushan', 3, '鸳鸯镇');
  await region('luomen', 'wushan', 3, '洛门镇');
  await region('daxiang', 'gangu', 3, '大像山镇');
  await region('dingmen', 'yuanyang', 4, '丁门村');
  await region('wangmen', 'yuanyang', 4, '王门村');
  await region('xiping', 'luomen', 4, '西坪村');
  await region('chengguan', 'daxiang', 4, '城关村');
  const dingmen = { latitude: 34.7215, longitude: 104.8912 };
  await db.query(
    `INSERT INTO villages (id, kind, is_poor, latitude, longitude) VALUES
       ($1, '村', true, $5, $6), ($2, '村', true, 34.7301, 104.9033), ($3, '村', false, 34.7512, 104.7731), ($4, '村', true, 34.7420, 105.3301)`,
    [ids.dingmen, ids.wangmen, ids.xiping, ids.chengguan, dingmen.latitude, dingmen.longitude],
  );
  const insert = async (key: string, sql: string, params: unknown[]) => {
    ids[key] = (await db.query(`${sql} RETURNING id`, params))[0].id;
  };
  await insert('finance', `INSERT INTO units (name) VALUES ('武山县财政局')`, []);
  await insert('education', `INSERT INTO units (name) VALUES ('武山县教育局')`, []);
  await insert('ganguUnit', `INSERT INTO units (name) VALUES ('甘谷县农业农村局')`, []);
  const year = new Date(now.getTime() + 8 * 3600 * 1000).getUTCFullYear();
  const jan1 = `${year}-01-01`;
  await db.query(
    `INSERT INTO unit_village_links (unit_id, village_id, valid_from) VALUES ($1, $2, $5), ($3, $4, $5), ($6, $7, $5)`,
    [ids.finance, ids.dingmen, ids.education, ids.xiping, jan1, ids.ganguUnit, ids.chengguan],
  );
  const cadre = (key: string, userid: string, name: string, role: string, unit: string | null, scope: string | null) =>
    insert(key, 'INSERT INTO cadres (userid, name, mobile, unit_id, role, scope_region_id) VALUES ($1, $2, $3, $4, $5, $6)',
      [userid, name, '13800000000', unit ? ids[unit] : null, role, scope ? ids[scope] : null]);
  await cadre('admin', 'sl_admin', '赵双联', '管理员', null, null);
  await cadre('wsLeader', 'ws_leader', '王县长', '领导', null, 'wushan');
  await cadre('ggLeader', 'gg_leader', '陈县长', '领导', null, 'gangu');
  await cadre('zhangsan', 'zhangsan', '张三', '干部', 'finance', null);
  await cadre('lisi', 'lisi', '李四', '队员', 'education', null);
  await cadre('wangwu', 'wangwu', '王五', '干部', 'ganguUnit', null);
  await cadre('retired', 'retired', '退休人员', '干部', 'finance', null);
  await db.query('UPDATE cadres SET active = false WHERE id = $1', [ids.retired]);

  const household = (key: string, village: string, name: string, category: string) =>
    insert(key, 'INSERT INTO households (village_id, householder, category, size) VALUES ($1, $2, $3, 4)', [ids[village], name, category]);
  await household('hZhang', 'dingmen', '张大爷', '贫困户');
  await household('hLi', 'dingmen', '李大娘', '低保户');
  await household('hWang', 'xiping', '王老汉', '特困户');
  await household('hChen', 'chengguan', '陈家', '一般户');
  await db.query(
    `INSERT INTO cadre_household_links (cadre_id, household_id, valid_from) VALUES ($1, $2, $7), ($3, $4, $7), ($5, $6, $7)`,
    [ids.zhangsan, ids.hZhang, ids.lisi, ids.hWang, ids.wangwu, ids.hChen, jan1],
  );

  const ago = (days: number, hours = 0) => new Date(now.getTime() - days * DAY - hours * 3600 * 1000);
  for (const d of [20, 12, 5, 2]) {
    await db.query(
      `INSERT INTO visits (cadre_id, village_id, started_at, ended_at, duration_minutes, latitude, longitude, distance_m, verified, source)
       VALUES ($1, $2, $3, $4, 240, $5, $6, 120, true, 'chat')`,
      [ids.zhangsan, ids.dingmen, ago(d, 6), ago(d, 2), dingmen.latitude, dingmen.longitude],
    );
  }
  await db.query(
    `INSERT INTO visits (cadre_id, village_id, started_at, ended_at, duration_minutes, source) VALUES ($1, $2, $3, $4, 180, 'chat')`,
    [ids.lisi, ids.xiping, ago(3, 5), ago(3, 2)],
  );
  await db.query(
    `INSERT INTO household_visits (cadre_id, household_id, village_id, visited_at, talk, note) VALUES
       ($1, $2, $3, $4, true, '了解春耕准备'), ($1, $2, $3, $5, false, '送去慰问品')`,
    [ids.zhangsan, ids.hZhang, ids.dingmen, ago(12, 4), ago(2, 4)],
  );

  const problem = (key: string, code: string, village: string, reporter: string, desc: string, deadlineDays: number, status = 'open') =>
    insert(key,
      `INSERT INTO problems (code, village_id, reporter_id, owner_cadre_id, owner_unit_id, description, category, status, deadline, reported_at,
                             closed_at, close_note)
       VALUES ($1, $2, $3, $3, (SELECT unit_id FROM cadres WHERE id = $3), $4, '基础设施', $5, $6::date, $7, $8, $9)`,
      [code, ids[village], ids[reporter], desc, status, new Date(now.getTime() + deadlineDays * DAY).toISOString().slice(0, 10),
        ago(40), status === 'closed' ? ago(1) : null, status === 'closed' ? '已修复' : null]);
  await problem('pOverdue', `W${year}-0001`, 'dingmen', 'zhangsan', '村道路灯损坏，夜间出行不便', -10);
  await problem('pOpen', `W${year}-0002`, 'xiping', 'lisi', '灌溉水渠渗漏', 20);
  await problem('pClosed', `W${year}-0003`, 'dingmen', 'zhangsan', '饮水管道冻裂', -5, 'closed');
  await problem('pGangu', `W${year}-0004`, 'chengguan', 'wangwu', '村卫生室缺少药品', -3);
  for (const p of ['pOverdue', 'pOpen', 'pClosed', 'pGangu']) {
    await db.query(`INSERT INTO problem_events (problem_id, kind, actor_id, at) SELECT id, 'reported', reporter_id, reported_at FROM problems WHERE id = $1`, [ids[p]]);
  }

  await insert('notice', `INSERT INTO notices (sender_id, scope_region_id, content, created_at) VALUES ($1, $2, '明日上午九时召开防汛工作会议', $3)`,
    [ids.wsLeader, ids.wushan, ago(1)]);
  await db.query(
    `INSERT INTO notice_recipients (notice_id, cadre_id, acked_at) VALUES ($1, $2, $4), ($1, $3, NULL)`,
    [ids.notice, ids.zhangsan, ids.lisi, ago(1, -1)],
  );
  return { ids, dingmen };
}
