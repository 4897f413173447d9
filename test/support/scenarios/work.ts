import type { DataSource } from 'typeorm';
import { addDays, startOfShanghaiDay } from '../../../src/lib/time';
import {
  buildCadre, buildGroup, buildHousehold, buildHouseholdLink, buildHouseholdVisit, buildMustVisit, buildNotice,
  buildNoticeRecipient, buildProblem, buildUnit, buildUnitVillageLink, buildVisit,
} from '../factories';
import { buildTianshui } from './regions';

/**
 * A county's week for 本周工作 and the 通报 (test/integration/console/console-work*.test.ts),
 * built from the factories around `weekStart` (a Monday, YYYY-MM-DD): the week
 * is weekStart … weekStart+6, the week before it the previous period. Links
 * start on 1 January of weekStart's year, but 武山县教育局's, which starts on the
 * week's Tuesday (so it owes nothing yet). 甘谷县 holds one of everything, which
 * no 武山县 figure may count.
 *
 * 武山县 (鸳鸯镇: 丁门村, 王门村; 洛门镇: 西坪村):
 *  - check-ins: 张三 at 丁门村 on days 1 and 3 (a revoked one at 王门村 on day 2);
 *    李四 at 西坪村 on day -5 (the week before);
 *  - household visits: 张三 → 张大爷 on day 1 (谈心) and day 3; 李四 → 王老汉 on day -5;
 *    张三's 李大娘 is never visited;
 *  - problems: reported day 2 at 丁门村 (open), reported day -6 at 西坪村 and closed
 *    day 4, reported 60 days before the week at 王门村 with a deadline 30 days before
 *    it (overdue), and one reported day 2 and revoked;
 *  - 五必访: 张大爷's due day 2, visited day 1; 李大娘's due day 5, not visited;
 *  - notices to 武山县: day 1 (张三 acknowledged, 李四 not), day -3 (李四 not).
 */

export interface WorkSeed { ids: Record<string, number> }

export async function seedWork(db: DataSource, weekStart: string): Promise<WorkSeed> {
  const ids: Record<string, number> = {};
  const at = (day: number, hour: number) => new Date(startOfShanghaiDay(addDays(weekStart, day)).getTime() + hour * 3600_000);
  const jan1 = `${weekStart.slice(0, 4)}-01-01`;
  await buildTianshui(db, ids, { withDetails: false });
  ids.finance = (await buildUnit(db, { name: '武山县财政局' })).id;
  ids.education = (await buildUnit(db, { name: '武山县教育局' })).id;
  ids.ganguUnit = (await buildUnit(db, { name: '甘谷县农业农村局' })).id;
  await buildUnitVillageLink(db, { unitId: ids.finance, villageId: ids.dingmen, validFrom: jan1 });
  await buildUnitVillageLink(db, { unitId: ids.education, villageId: ids.xiping, validFrom: addDays(weekStart, 1) });
  await buildUnitVillageLink(db, { unitId: ids.ganguUnit, villageId: ids.chengguan, validFrom: jan1 });

  const cadre = async (key: string, userid: string, name: string, role: '干部' | '领导' | '管理员', unit: string | null, scope: string | null) => {
    ids[key] = (await buildCadre(db, { userid, name, role, unitId: unit ? ids[unit] : null, scopeRegionId: scope ? ids[scope] : null })).id;
  };
  await cadre('admin', 'sl_admin', '赵双联', '管理员', null, null);
  await cadre('wsLeader', 'ws_leader', '王县长', '领导', null, 'wushan');
  await cadre('ggLeader', 'gg_leader', '陈县长', '领导', null, 'gangu');
  await cadre('zhangsan', 'zhangsan', '张三', '干部', 'finance', null);
  await cadre('lisi', 'lisi', '李四', '干部', 'education', null);
  await cadre('wangwu', 'wangwu', '王五', '干部', 'ganguUnit', null);

  for (const [key, village, name, cadreKey] of [
    ['hZhang', 'dingmen', '张大爷', 'zhangsan'], ['hLi', 'dingmen', '李大娘', 'zhangsan'],
    ['hWang', 'xiping', '王老汉', 'lisi'], ['hChen', 'chengguan', '陈家', 'wangwu'],
  ]) {
    ids[key] = (await buildHousehold(db, { villageId: ids[village], householder: name })).id;
    await buildHouseholdLink(db, { cadreId: ids[cadreKey], householdId: ids[key], validFrom: jan1 });
  }

  const visit = (cadreKey: string, village: string, day: number, revoked = false) => buildVisit(db, {
    cadreId: ids[cadreKey], villageId: ids[village], startedAt: at(day, 9), endedAt: at(day, 12), revokedAt: revoked ? at(day, 13) : null });
  await visit('zhangsan', 'dingmen', 1);
  await visit('zhangsan', 'dingmen', 3);
  await visit('zhangsan', 'wangmen', 2, true);
  await visit('lisi', 'xiping', -5);
  await visit('wangwu', 'chengguan', 1);
  const hv = (cadreKey: string, household: string, day: number, talk: boolean) => buildHouseholdVisit(db, {
    cadreId: ids[cadreKey], householdId: ids[household], visitedAt: at(day, 10), talk });
  await hv('zhangsan', 'hZhang', 1, true);
  await hv('zhangsan', 'hZhang', 3, false);
  await hv('lisi', 'hWang', -5, false);
  await hv('wangwu', 'hChen', 1, true);

  const problem = async (key: string, village: string, owner: string, unit: string, reported: Date, extra: Parameters<typeof buildProblem>[1] = {}) => {
    ids[key] = (await buildProblem(db, {
      villageId: ids[village], reporterId: ids[owner], ownerCadreId: ids[owner], ownerUnitId: ids[unit], reportedAt: reported, ...extra })).id;
  };
  await problem('pNew', 'dingmen', 'zhangsan', 'finance', at(2, 11), { code: 'W2026-0101', description: '村道路灯损坏' });
  await problem('pClosed', 'xiping', 'lisi', 'education', at(-6, 11), { code: 'W2026-0102', closedAt: at(4, 16), closeNote: '已修复' });
  await problem('pOverdue', 'wangmen', 'zhangsan', 'finance', at(-60, 11),
    { code: 'W2026-0103', description: '灌溉水渠渗漏', deadline: addDays(weekStart, -30) });
  await problem('pRevoked', 'dingmen', 'zhangsan', 'finance', at(2, 15), { code: 'W2026-0104', revokedAt: at(2, 16) });
  await problem('pGangu', 'chengguan', 'wangwu', 'ganguUnit', at(-60, 11), { code: 'W2026-0105', deadline: addDays(weekStart, -30) });

  await buildMustVisit(db, { householdId: ids.hZhang, reporterId: ids.wsLeader, cadreId: ids.zhangsan, reportedAt: at(-1, 10), dueAt: at(2, 10), doneAt: at(1, 10) });
  await buildMustVisit(db, { householdId: ids.hLi, reporterId: ids.wsLeader, cadreId: ids.zhangsan, reportedAt: at(2, 9), dueAt: at(5, 9) });

  const notice = async (scope: string, sender: string, day: number, recipients: [string, boolean][]) => {
    const n = await buildNotice(db, { senderId: ids[sender], scopeRegionId: ids[scope], createdAt: at(day, 8) });
    for (const [c, acked] of recipients) await buildNoticeRecipient(db, { noticeId: n.id, cadreId: ids[c], ackedAt: acked ? at(day, 9) : null });
  };
  await notice('wushan', 'wsLeader', 1, [['zhangsan', true], ['lisi', false]]);
  await notice('wushan', 'wsLeader', -3, [['lisi', false]]);
  await notice('gangu', 'ggLeader', 1, [['wangwu', false]]);

  ids.wushanGroup = (await buildGroup(db, { scopeRegionId: ids.wushan, name: '武山县双联工作群', robotKey: 'ws-robot-key' })).id;
  ids.ganguGroup = (await buildGroup(db, { scopeRegionId: ids.gangu, name: '甘谷县双联工作群', robotKey: 'gg-robot-key' })).id;
  return { ids };
}
