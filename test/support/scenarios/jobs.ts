import type { Db } from '../../../src/lib/db';
import {
  buildCadre, buildGroup, buildHousehold, buildHouseholdLink, buildHouseholdVisit, buildProblem, buildRegion, buildUnit,
  buildUnitVillageLink, buildVillage, buildVisit, setSequence, type Category, type Role,
} from '../factories';

/**
 * A small fixed roster for the jobs tests, built from the factories with fixed ids:
 *
 *   甘肃省(1)/天水市(2)/武山县(3)/鸳鸯镇(4)/丁门村(10), 王门村(11)
 *                              /洛门镇(5)/西坪村(12)
 *   unit 1 县农业局 → 丁门村 since 2026-01-01; unit 2 县教育局 → 西坪村 since 2026-07-01
 *   cadres: 1 张伟 (unit 1, 干部: 张三, 李四), 2 李娜 (unit 1, 队长: 王五),
 *           3 王刚 (unit 2, 干部: 赵六 since 2026-07-01), 4 赵县长 (领导, 武山县),
 *           5 孙镇长 (领导, 鸳鸯镇), 6 周镇长 (领导, 洛门镇), 7 钱局长 (领导 of unit 1, no scope),
 *           8 马市长 (领导, 天水市)
 *   group 1 鸳鸯镇双联群 (scope 鸳鸯镇)
 *
 * The identities of regions, cadres, units, households and groups then start
 * at 101, so rows a test adds never take a fixed id.
 */
export const IDS = {
  province: 1, city: 2, county: 3, yuanyang: 4, luomen: 5, dingmen: 10, wangmen: 11, xiping: 12,
  unitAgri: 1, unitEdu: 2,
  zhangwei: 1, lina: 2, wanggang: 3, countyLeader: 4, yyLeader: 5, lmLeader: 6, unitLeader: 7, cityLeader: 8,
  zhangsan: 1, lisi: 2, wangwu: 3, zhaoliu: 4,
} as const;

export async function seedJobsRoster(db: Db): Promise<void> {
  const regions: [number, number | null, string][] = [
    [IDS.province, null, '甘肃省'], [IDS.city, IDS.province, '天水市'], [IDS.county, IDS.city, '武山县'],
    [IDS.yuanyang, IDS.county, '鸳鸯镇'], [IDS.luomen, IDS.county, '洛门镇'],
  ];
  for (const [id, parentId, name] of regions) await buildRegion(db, { id, parentId, name });
  for (const [id, townId, name] of [[IDS.dingmen, IDS.yuanyang, '丁门村'], [IDS.wangmen, IDS.yuanyang, '王门村'], [IDS.xiping, IDS.luomen, '西坪村']] as const) {
    await buildVillage(db, { id, townId, name, isPoor: true });
  }
  await buildUnit(db, { id: IDS.unitAgri, name: '县农业局' });
  await buildUnit(db, { id: IDS.unitEdu, name: '县教育局' });
  await buildUnitVillageLink(db, { unitId: IDS.unitAgri, villageId: IDS.dingmen, validFrom: '2026-01-01' });
  await buildUnitVillageLink(db, { unitId: IDS.unitEdu, villageId: IDS.xiping, validFrom: '2026-07-01' });
  const cadres: [number, string, string, number | null, Role, number | null][] = [
    [IDS.zhangwei, 'zhangwei', '张伟', IDS.unitAgri, '干部', null], [IDS.lina, 'lina', '李娜', IDS.unitAgri, '队长', null],
    [IDS.wanggang, 'wanggang', '王刚', IDS.unitEdu, '干部', null], [IDS.countyLeader, 'zhaoxz', '赵县长', null, '领导', IDS.county],
    [IDS.yyLeader, 'sunzz', '孙镇长', null, '领导', IDS.yuanyang], [IDS.lmLeader, 'zhouzz', '周镇长', null, '领导', IDS.luomen],
    [IDS.unitLeader, 'qianjz', '钱局长', IDS.unitAgri, '领导', null], [IDS.cityLeader, 'mass', '马市长', null, '领导', IDS.city],
  ];
  for (const [id, userid, name, unitId, role, scopeRegionId] of cadres) await buildCadre(db, { id, userid, name, unitId, role, scopeRegionId });
  const households: [number, number, string, Category, number][] = [
    [IDS.zhangsan, IDS.dingmen, '张三', '贫困户', 4], [IDS.lisi, IDS.dingmen, '李四', '低保户', 2],
    [IDS.wangwu, IDS.wangmen, '王五', '五保户', 1], [IDS.zhaoliu, IDS.xiping, '赵六', '一般户', 3],
  ];
  for (const [id, villageId, householder, category, size] of households) await buildHousehold(db, { id, villageId, householder, category, size });
  const links: [number, number, string][] = [
    [IDS.zhangwei, IDS.zhangsan, '2026-01-01'], [IDS.zhangwei, IDS.lisi, '2026-01-01'],
    [IDS.lina, IDS.wangwu, '2026-01-01'], [IDS.wanggang, IDS.zhaoliu, '2026-07-01'],
  ];
  for (const [cadreId, householdId, validFrom] of links) await buildHouseholdLink(db, { cadreId, householdId, validFrom });
  await buildGroup(db, { id: 1, scopeRegionId: IDS.yuanyang, name: '鸳鸯镇双联群', robotKey: 'robot-key-yy' });
  for (const table of ['regions', 'cadres', 'units', 'households', 'groups']) await setSequence(db, table, 100);
}

/** A check-in (buildVisit: a raw row); times as ISO strings with +08:00. Returns its id. */
export async function addVisit(
  db: Db, cadreId: number, villageId: number, start: string, end: string | null, opts: { autoClosed?: boolean } = {},
): Promise<number> {
  return (await buildVisit(db, { cadreId, villageId, startedAt: start, endedAt: end, autoClosed: opts.autoClosed ?? false })).id;
}

/** A 走访 at the household's village. */
export async function addHouseholdVisit(db: Db, cadreId: number, householdId: number, at: string, talk = false): Promise<void> {
  await buildHouseholdVisit(db, { cadreId, householdId, visitedAt: at, talk });
}

/** A 道路塌方 problem, closed when `closedAt` is given. Returns its id. */
export async function addProblem(
  db: Db, p: { code: string; villageId: number; reporterId: number; ownerId: number | null; deadline: string;
    reportedAt: string; closedAt?: string },
): Promise<number> {
  return (await buildProblem(db, {
    code: p.code, villageId: p.villageId, reporterId: p.reporterId, ownerCadreId: p.ownerId, description: '道路塌方',
    deadline: p.deadline, reportedAt: p.reportedAt, closedAt: p.closedAt ?? null,
  })).id;
}
