import type { Db } from '../../../src/lib/db';
import {
  buildCadre, buildGroup, buildHousehold, buildHouseholdLink, buildRegion, buildRegionPath, buildUnit, buildUnitVillageLink,
  buildVillage, type Role,
} from '../factories';

/**
 * The chat's roster, built from the factories (the roster importer is its own
 * area): two cities, namesake villages for ambiguity, a unit per village,
 * cadres of every role, linked households and one group. Links start
 * 2026-01-01.
 *
 *   甘肃省 / 天水市 / 武山县 / 鸳鸯镇 / 丁门村 (alias 丁门), 王门村
 *                          / 洛门镇 / 西坪村
 *                 / 甘谷县 / 大像山镇 / 王门村 (a namesake)
 *          / 兰州市 / 榆中县 / 甘草店镇 / 蔡家沟村, 东村 (no coordinates, no unit)
 */

export interface Seeded {
  regions: Record<string, number>;
  units: Record<string, number>;
  cadres: Record<string, number>;
  households: Record<string, number>;
}

const LINKS_FROM = '2026-01-01';

export async function seedRoster(db: Db): Promise<Seeded> {
  const r: Record<string, number> = {};
  const [province, tianshui, wushan, yuanyang] = await buildRegionPath(db, { names: ['甘肃省', '天水市', '武山县', '鸳鸯镇'] });
  Object.assign(r, { province: province.id, tianshui: tianshui.id, wushan: wushan.id, yuanyang: yuanyang.id });
  r.luomen = (await buildRegion(db, { parentId: r.wushan, name: '洛门镇' })).id;
  const [gangu, daxiang] = await buildRegionPath(db, { parentId: r.tianshui, names: ['甘谷县', '大像山镇'] });
  Object.assign(r, { gangu: gangu.id, daxiang: daxiang.id });
  const [lanzhou, yuzhong, gancaodian] = await buildRegionPath(db, { parentId: r.province, names: ['兰州市', '榆中县', '甘草店镇'] });
  Object.assign(r, { lanzhou: lanzhou.id, yuzhong: yuzhong.id, gancaodian: gancaodian.id });
  const village = async (townId: number, name: string, initials: string, coords?: [number, number], aliases: string[] = []) =>
    (await buildVillage(db, {
      townId, name, initials, aliases, isPoor: true, latitude: coords?.[0] ?? null, longitude: coords?.[1] ?? null,
    })).id;
  r.dingmen = await village(r.yuanyang, '丁门村', 'dm', [34.7206, 104.8912], ['丁门']);
  r.wangmen = await village(r.yuanyang, '王门村', 'wm', [34.7001, 104.9302]);
  r.xiping = await village(r.luomen, '西坪村', 'xp', [34.8300, 104.7000]);
  r.wangmenGangu = await village(r.daxiang, '王门村', 'wm', [34.7400, 105.3300]);
  r.caijiagou = await village(r.gancaodian, '蔡家沟村', 'cjg', [35.8000, 104.2000]);
  r.dongcun = await village(r.gancaodian, '东村', 'd');

  const u: Record<string, number> = {};
  for (const [key, name] of [['traffic', '天水市交通运输局'], ['farm', '武山县农业农村局'], ['water', '甘谷县水务局'], ['lz', '榆中县财政局']]) {
    u[key] = (await buildUnit(db, { name })).id;
  }
  for (const [unit, v] of [[u.traffic, r.dingmen], [u.farm, r.wangmen], [u.farm, r.xiping], [u.water, r.wangmenGangu], [u.lz, r.caijiagou]]) {
    await buildUnitVillageLink(db, { unitId: unit, villageId: v, validFrom: LINKS_FROM });
  }

  const c: Record<string, number> = {};
  const cadre = async (key: string, userid: string, name: string, unitId: number | null, role: Role, scopeRegionId: number | null = null, active = true) => {
    c[key] = (await buildCadre(db, { userid, name, unitId, role, scopeRegionId, active })).id;
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
  const household = async (key: string, villageId: number, householder: string, cadreId: number) => {
    h[key] = (await buildHousehold(db, { villageId, householder, category: '贫困户', size: 4 })).id;
    await buildHouseholdLink(db, { cadreId, householdId: h[key], validFrom: LINKS_FROM });
  };
  await household('zhangsan', r.dingmen, '张三', c.zhang);
  await household('lisi', r.dingmen, '李四', c.zhang);
  await household('wangwu', r.dingmen, '王五', c.zhang);
  await household('zhangsanWm', r.wangmen, '张三', c.li);
  await household('zhangsanXp', r.xiping, '张三', c.li);
  await household('chenliu', r.wangmenGangu, '陈六', c.sun);
  // unlinked household: coverage below 100%
  await buildHousehold(db, { villageId: r.dingmen, householder: '赵七', category: '一般户' });
  await buildGroup(db, { scopeRegionId: r.wushan, name: '武山县双联工作群', robotKey: 'robot-key-wushan' });
  return { regions: r, units: u, cadres: c, households: h };
}
