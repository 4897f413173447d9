import { appStatus, claimDailyStatus } from '../../src/services/standing/app-status';
import { formatShanghai } from '../../src/lib/time';
import { quote } from '../text';
import type { EventHandler } from './handler';
import { placeName } from '../../src/lib/place';

/**
 * Opening the app (enter_agent): the first time each day, a short status; later
 * openings that day answer nothing.
 */

const HEAD = (name: string) => `${name}，您好！今日提醒：`;
const OPEN_VISIT = (path: string, since: string) => `· 您在${path}的签到（${since}起）尚未签退，离村时点“签退”。`;
const OWED_VILLAGE = (name: string, visits: number, days: number, rv: number, rd: number) =>
  `· 本周末前${name}应进村≥${rv}次/≥${rd}天，目前${visits}次/${days}天。`;
const OWED_HOUSEHOLDS = (names: string[], more: number) =>
  `· 本周应走访：${names.join('、')}${more > 0 ? `等${names.length + more}户` : ''}。`;
const ON_PACE = '· 本周各项指标均已达到进度。';
const UNACKED = (n: number, sender: string, content: string) =>
  `· 您有${n}条通知未确认，最新一条是${sender}的${content}，请点卡片上的“收到”或回复“收到”。`;
const MAX_NAMES = 3;

export const handleEnterAgent: EventHandler = async (_msg, env) => {
  if (!(await claimDailyStatus(env.manager, env.cadre.id, env.now))) return null;
  const s = await appStatus(env.manager, env.cadre.id, env.now);
  const lines = [HEAD(env.cadre.name)];
  if (s.openVisit) lines.push(OPEN_VISIT(placeName(s.openVisit.villageFullName), formatShanghai(s.openVisit.startedAt)));
  for (const v of s.owedVillages) lines.push(OWED_VILLAGE(v.villageName, v.visits, v.days, v.requiredVisits, v.requiredDays));
  if (s.owedHouseholds.length > 0) {
    lines.push(OWED_HOUSEHOLDS(s.owedHouseholds.slice(0, MAX_NAMES).map((h) => h.householder), Math.max(0, s.owedHouseholds.length - MAX_NAMES)));
  }
  if (s.owedVillages.length === 0 && s.owedHouseholds.length === 0) lines.push(ON_PACE);
  if (s.unacked.latest) lines.push(UNACKED(s.unacked.count, s.unacked.latest.senderName, quote(s.unacked.latest.content, 30)));
  return lines.join('\n');
};
