import type { DataSource } from 'typeorm';
import { shanghaiYear } from '../../../src/lib/time';
import {
  buildCadre, buildHousehold, buildHouseholdLink, buildHouseholdVisit, buildNotice, buildNoticeRecipient, buildProblem,
  buildProblemEvent, buildUnit, buildUnitVillageLink, buildVisit, type Category, type Role,
} from '../factories';
import { buildTianshui, VILLAGES } from './regions';

/**
 * A small roster for the console and H5 tests, built from the factories (not
 * the roster importer): 天水市 with 武山县 (鸳鸯镇 丁门村/王门村, 洛门镇
 * 西坪村) and 甘谷县 (大像山镇 城关村); two units, leaders for each county,
 * cadres, households, visits, problems and a notice. Dates are relative to
 * `now`; links start on 1 January of now's Shanghai year.
 */

export interface ConsoleSeed {
  ids: Record<string, number>;
  /** GCJ-02 position of 丁门村 on the roster. */
  dingmen: { latitude: number; longitude: number };
}

const DAY = 24 * 3600 * 1000;

export async function seedConsole(db: DataSource, now = new Date()): Promise<ConsoleSeed> {
  const ids: Record<string, number> = {};
  await buildTianshui(db, ids, { withDetails: true });
  const dingmen = { latitude: VILLAGES[0].latitude, longitude: VILLAGES[0].longitude };

  ids.finance = (await buildUnit(db, { name: '武山县财政局' })).id;
  ids.education = (await buildUnit(db, { name: '武山县教育局' })).id;
  ids.ganguUnit = (await buildUnit(db, { name: '甘谷县农业农村局' })).id;
  const jan1 = `${shanghaiYear(now)}-01-01`;
  for (const [unit, v] of [['finance', 'dingmen'], ['education', 'xiping'], ['ganguUnit', 'chengguan']]) {
    await buildUnitVillageLink(db, { unitId: ids[unit], villageId: ids[v], validFrom: jan1 });
  }
  const cadre = async (key: string, userid: string, name: string, role: Role, unit: string | null, scope: string | null, active = true) => {
    ids[key] = (await buildCadre(db, {
      userid, name, mobile: '13800000000', unitId: unit ? ids[unit] : null, role, scopeRegionId: scope ? ids[scope] : null, active,
    })).id;
  };
  await cadre('admin', 'sl_admin', '赵双联', '管理员', null, null);
  await cadre('wsLeader', 'ws_leader', '王县长', '领导', null, 'wushan');
  await cadre('ggLeader', 'gg_leader', '陈县长', '领导', null, 'gangu');
  await cadre('zhangsan', 'zhangsan', '张三', '干部', 'finance', null);
  await cadre('lisi', 'lisi', '李四', '队员', 'education', null);
  await cadre('wangwu', 'wangwu', '王五', '干部', 'ganguUnit', null);
  await cadre('retired', 'retired', '退休人员', '干部', 'finance', null, false);

  const household = async (key: string, village: string, householder: string, category: Category) => {
    ids[key] = (await buildHousehold(db, { villageId: ids[village], householder, category, size: 4 })).id;
  };
  await household('hZhang', 'dingmen', '张大爷', '贫困户');
  await household('hLi', 'dingmen', '李大娘', '低保户');
  await household('hWang', 'xiping', '王老汉', '特困户');
  await household('hChen', 'chengguan', '陈家', '一般户');
  for (const [c, h] of [['zhangsan', 'hZhang'], ['lisi', 'hWang'], ['wangwu', 'hChen']]) {
    await buildHouseholdLink(db, { cadreId: ids[c], householdId: ids[h], validFrom: jan1 });
  }

  const ago = (days: number, hours = 0) => new Date(now.getTime() - days * DAY - hours * 3600 * 1000);
  for (const d of [20, 12, 5, 2]) {
    await buildVisit(db, {
      cadreId: ids.zhangsan, villageId: ids.dingmen, startedAt: ago(d, 6), endedAt: ago(d, 2), durationMinutes: 240,
      latitude: dingmen.latitude, longitude: dingmen.longitude, distanceM: 120, verified: true, source: 'chat',
    });
  }
  await buildVisit(db, { cadreId: ids.lisi, villageId: ids.xiping, startedAt: ago(3, 5), endedAt: ago(3, 2), durationMinutes: 180, source: 'chat' });
  await buildHouseholdVisit(db, { cadreId: ids.zhangsan, householdId: ids.hZhang, villageId: ids.dingmen, visitedAt: ago(12, 4), talk: true, note: '了解春耕准备' });
  await buildHouseholdVisit(db, { cadreId: ids.zhangsan, householdId: ids.hZhang, villageId: ids.dingmen, visitedAt: ago(2, 4), talk: false, note: '送去慰问品' });

  // Each owned by its reporter and the reporter's unit; deadlines are UTC dates `deadlineDays` from now.
  const unitOf: Record<string, string> = { zhangsan: 'finance', lisi: 'education', wangwu: 'ganguUnit' };
  const problem = async (key: string, code: string, village: string, reporter: string, description: string, deadlineDays: number, closed = false) => {
    ids[key] = (await buildProblem(db, {
      code, villageId: ids[village], reporterId: ids[reporter], ownerCadreId: ids[reporter], ownerUnitId: ids[unitOf[reporter]],
      description, category: '基础设施', status: closed ? 'closed' : 'open',
      deadline: new Date(now.getTime() + deadlineDays * DAY).toISOString().slice(0, 10), reportedAt: ago(40),
      closedAt: closed ? ago(1) : null, closeNote: closed ? '已修复' : null,
    })).id;
  };
  const year = shanghaiYear(now);
  await problem('pOverdue', `W${year}-0001`, 'dingmen', 'zhangsan', '村道路灯损坏，夜间出行不便', -10);
  await problem('pOpen', `W${year}-0002`, 'xiping', 'lisi', '灌溉水渠渗漏', 20);
  await problem('pClosed', `W${year}-0003`, 'dingmen', 'zhangsan', '饮水管道冻裂', -5, true);
  await problem('pGangu', `W${year}-0004`, 'chengguan', 'wangwu', '村卫生室缺少药品', -3);
  for (const [p, reporter] of [['pOverdue', 'zhangsan'], ['pOpen', 'lisi'], ['pClosed', 'zhangsan'], ['pGangu', 'wangwu']]) {
    await buildProblemEvent(db, { problemId: ids[p], kind: 'reported', actorId: ids[reporter], at: ago(40) });
  }

  ids.notice = (await buildNotice(db, { senderId: ids.wsLeader, scopeRegionId: ids.wushan, content: '明日上午九时召开防汛工作会议', createdAt: ago(1) })).id;
  await buildNoticeRecipient(db, { noticeId: ids.notice, cadreId: ids.zhangsan, ackedAt: ago(1, -1) });
  await buildNoticeRecipient(db, { noticeId: ids.notice, cadreId: ids.lisi, ackedAt: null });
  return { ids, dingmen };
}
