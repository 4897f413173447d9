import type { EntityManager } from 'typeorm';
import { weekStart } from '../src/services/digest-periods';
import { addToOutbox, textMessage, type OutboundMessage } from '../src/services/outbox';
import {
  HOUSEHOLD_LINE, TEAM_LINE, VILLAGE_LINE, householdsBehindByCadre, standingTargets, teamStanding, unitLinkStanding,
  type UnitLinkStanding,
} from '../src/services/standing';
import { shanghaiDate } from '../src/services/time';
import { allowLargeScans, oncePerPeriod, type JobDeps, type JobSummary } from './deps';

/**
 * Weekly pace reminders (Monday 09:00). Each cadre behind pace on any rule
 * gets ONE message listing every shortfall; resident team members also see
 * their unit's 联村 shortfall. A unit behind on its village is reported to the
 * unit's leaders (领导 of the unit), or else to the leaders of the village's
 * township. Once per ISO week (job_runs + keys quota:<monday>:<cadre id>).
 */

const CADRE_HEAD = '【双联进度提醒】按全年进度折算，您以下指标落后：';
const CADRE_TAIL = '请抓紧安排走访。回复“进度”可随时查看。';
const UNIT_HEAD = '【联村进度提醒】以下单位的联系村进村次数或天数落后于全年进度：';
const UNIT_LINE = (v: UnitLinkStanding) => `${v.unitName} 联系${VILLAGE_LINE(v)}`;
const MORE_HOUSEHOLDS = (n: number) => `· 另有${n}户未达进度`;
const MAX_HOUSEHOLD_LINES = 5;

export async function runQuotaReminders(deps: JobDeps, now: Date): Promise<JobSummary> {
  const week = weekStart(shanghaiDate(now));
  return oncePerPeriod(deps, 'quota-reminders', week, now, async (manager) => {
    await allowLargeScans(manager);
    const t = await standingTargets(manager);
    const villages = await unitLinkStanding(manager, now, t, {}, true);
    const households = await householdsBehindByCadre(manager, now, t, MAX_HOUSEHOLD_LINES);
    const team = await teamStanding(manager, now, t, {}, true);
    const lines = new Map<number, string[]>();
    const add = (cadreId: number, line: string) => lines.get(cadreId)?.push(line) ?? lines.set(cadreId, [line]);

    const villagesByUnit = new Map<number, UnitLinkStanding[]>();
    for (const v of villages) villagesByUnit.set(v.unitId, [...(villagesByUnit.get(v.unitId) ?? []), v]);
    const teamMembers: { id: number; unit_id: number }[] = villagesByUnit.size === 0 ? [] : await manager.query(
      `SELECT id, unit_id FROM cadres WHERE active AND role IN ('队员', '队长') AND unit_id = ANY($1) ORDER BY id`,
      [[...villagesByUnit.keys()]]);
    for (const m of teamMembers) for (const v of villagesByUnit.get(m.unit_id)!) add(m.id, `· ${VILLAGE_LINE(v)}`);

    for (const [cadreId, { behind, first }] of households) {
      for (const h of first) add(cadreId, `· ${HOUSEHOLD_LINE(h)}`);
      if (behind > first.length) add(cadreId, MORE_HOUSEHOLDS(behind - first.length));
    }
    for (const m of team) add(m.cadreId, `· ${TEAM_LINE(m)}`);

    const userids = await useridsOf(manager, [...lines.keys()]);
    const messages: OutboundMessage[] = [...lines].filter(([id]) => userids.has(id)).map(([id, ls]) =>
      textMessage(`quota:${week}:${id}`, userids.get(id)!, [CADRE_HEAD, ...ls, CADRE_TAIL].join('\n')));
    const unitReports = await unitLeaderReports(manager, villages);
    for (const [userid, ls] of unitReports) {
      messages.push(textMessage(`quota-unit:${week}:${userid}`, userid, [UNIT_HEAD, ...ls].join('\n')));
    }
    const outboxIds = await addToOutbox(manager, messages);
    return {
      summary: { cadresBehind: lines.size, unitLinksBehind: villages.length, unitLeadersTold: unitReports.size, queued: outboxIds.length },
      outboxIds,
    };
  });
}

async function useridsOf(manager: EntityManager, ids: number[]): Promise<Map<number, string>> {
  const rows: { id: number; userid: string }[] = ids.length === 0 ? [] : await manager.query(
    'SELECT id, userid FROM cadres WHERE active AND id = ANY($1)', [ids]);
  return new Map(rows.map((r) => [r.id, r.userid]));
}

/** userid → lines: the unit's own leaders, else the leaders of the village's township. */
async function unitLeaderReports(manager: EntityManager, behind: UnitLinkStanding[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (behind.length === 0) return out;
  const rows: { idx: number; userid: string }[] = await manager.query(
    `WITH b AS (SELECT * FROM unnest($1::int[], $2::int[]) WITH ORDINALITY AS b(unit_id, village_id, idx))
     SELECT b.idx, c.userid FROM b JOIN cadres c ON c.unit_id = b.unit_id AND c.active AND c.role = '领导'
     UNION ALL
     SELECT b.idx, c.userid FROM b JOIN regions r ON r.id = b.village_id
       JOIN cadres c ON c.scope_region_id = r.parent_id AND c.active AND c.role = '领导'
      WHERE NOT EXISTS (SELECT 1 FROM cadres u WHERE u.unit_id = b.unit_id AND u.active AND u.role = '领导')
     ORDER BY 1, 2`,
    [behind.map((v) => v.unitId), behind.map((v) => v.villageId)],
  );
  for (const r of rows) {
    const line = `· ${UNIT_LINE(behind[Number(r.idx) - 1])}`;
    out.set(r.userid, [...(out.get(r.userid) ?? []), line]);
  }
  return out;
}
