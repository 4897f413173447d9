import { weekStart } from '../src/services/digest/periods';
import { addToOutbox, textMessage, type OutboundMessage } from '../src/services/outbox/write';
import {
  HOUSEHOLD_LINE, TEAM_LINE, VILLAGE_LINE, householdsBehindByCadre, standingTargets, teamStanding, unitLinkStanding,
  householdLinksOf, type UnitLinkStanding,
} from '../src/services/standing/cadre-standing';
import { teamMembersOf, unitLeaderReports, useridsOf } from '../src/services/standing/quota-shortfalls';
import { allowLargeScans, oncePerPeriod, type JobDeps, type JobSummary } from '../src/services/jobs/job-runs';
import { shanghaiDate } from '../src/lib/time';

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
/** Cadres per batch of messages (a province has ~500,000). */
const CADRE_BATCH = 50_000;

export async function runQuotaReminders(deps: JobDeps, now: Date, { batch: batchSize = CADRE_BATCH } = {}): Promise<JobSummary> {
  const week = weekStart(shanghaiDate(now));
  return oncePerPeriod(deps, 'quota-reminders', week, now, async (manager) => {
    await allowLargeScans(manager);
    const t = await standingTargets(manager);
    const villages = await unitLinkStanding(manager, now, t, {}, true);
    const team = await teamStanding(manager, now, t, {}, true);
    // Lines of resident team members (their unit's 联村 shortfall, their own days): a few thousand.
    const teamLines = new Map<number, { villages: string[]; own: string[] }>();
    const teamEntry = (id: number) => teamLines.get(id) ?? (teamLines.set(id, { villages: [], own: [] }), teamLines.get(id)!);
    const villagesByUnit = new Map<number, UnitLinkStanding[]>();
    for (const v of villages) villagesByUnit.set(v.unitId, [...(villagesByUnit.get(v.unitId) ?? []), v]);
    const teamMembers = await teamMembersOf(manager, [...villagesByUnit.keys()]);
    for (const m of teamMembers) for (const v of villagesByUnit.get(m.unitId)!) teamEntry(m.id).villages.push(`· ${VILLAGE_LINE(v)}`);
    for (const m of team) teamEntry(m.cadreId).own.push(`· ${TEAM_LINE(m)}`);

    // Who is behind on household links (one row per cadre), merged with the team members whose
    // only shortfalls are their own; then a batch of cadres at a time, the listed households'
    // names and figures and the messages: the job holds one batch of lines.
    const households = new Map((await householdsBehindByCadre(manager, now, t, MAX_HOUSEHOLD_LINES)).map((h) => [h.cadreId, h]));
    const ids = [...new Set([...households.keys(), ...teamLines.keys()])].sort((a, b) => a - b);
    const outboxIds: number[] = [];
    for (let i = 0; i < ids.length; i += batchSize) {
      const batch = ids.slice(i, i + batchSize);
      const listed = await householdLinksOf(manager, now, t, batch.flatMap((id) => households.get(id)?.first ?? []));
      const linesOf = new Map<number, string[]>();
      for (const l of listed) linesOf.set(l.cadreId, [...(linesOf.get(l.cadreId) ?? []), `· ${HOUSEHOLD_LINE(l)}`]);
      const userids = await useridsOf(manager, batch);
      const messages: OutboundMessage[] = [];
      for (const id of batch) {
        const h = households.get(id);
        const lines = [
          ...(teamLines.get(id)?.villages ?? []),
          ...(linesOf.get(id) ?? []),
          ...(h && h.behind > h.first.length ? [MORE_HOUSEHOLDS(h.behind - h.first.length)] : []),
          ...(teamLines.get(id)?.own ?? []),
        ];
        if (userids.has(id)) messages.push(textMessage(`quota:${week}:${id}`, userids.get(id)!, [CADRE_HEAD, ...lines, CADRE_TAIL].join('\n')));
      }
      for (const id of await addToOutbox(manager, messages)) outboxIds.push(id);
    }
    const cadresBehind = ids.length;
    const unitReports = await unitLeaderReports(manager, villages);
    outboxIds.push(...await addToOutbox(manager, [...unitReports].map(([userid, vs]) =>
      textMessage(`quota-unit:${week}:${userid}`, userid, [UNIT_HEAD, ...vs.map((v) => `· ${UNIT_LINE(v)}`)].join('\n')))));
    return {
      summary: { cadresBehind, unitLinksBehind: villages.length, unitLeadersTold: unitReports.size, queued: outboxIds.length },
      outboxIds,
    };
  });
}
