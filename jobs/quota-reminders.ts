import { addToOutbox, textMessage } from '../src/services/outbox/write';
import { TEAM_LINE, VILLAGE_LINE, standingTargets, teamStanding, unitLinkStanding, type UnitLinkStanding } from '../src/services/standing/cadre-standing';
import { queueQuotaMessages, type ExtraLines } from '../src/services/standing/quota-messages';
import { teamMembersOf, unitLeaderReports } from '../src/services/standing/quota-shortfalls';
import { allowLargeScans, oncePerPeriod, type JobDeps, type JobSummary } from '../src/services/jobs/job-runs';
import { shanghaiDate, weekStart } from '../src/lib/time';

/**
 * Weekly pace reminders (Monday 09:00). Each cadre behind pace on any rule
 * gets ONE message listing every shortfall; resident team members also see
 * their unit's 联村 shortfall. A unit behind on its village is reported to the
 * unit's leaders (领导 of the unit), or else to the leaders of the village's
 * township. Once per ISO week (job_runs + keys quota:<monday>:<cadre id>).
 */

const CADRE_TEXTS = {
  head: '【双联进度提醒】按全年进度折算，您以下指标落后：',
  tail: '请抓紧安排走访。回复“进度”可随时查看。',
  /** Before each listed household's line (HOUSEHOLD_LINE). */
  bullet: '· ',
  /** format(): the number of households behind beyond those listed. */
  more: '· 另有%s户未达进度',
};
const UNIT_HEAD = '【联村进度提醒】以下单位的联系村进村次数或天数落后于全年进度：';
const UNIT_LINE = (v: UnitLinkStanding) => `${v.unitName} 联系${VILLAGE_LINE(v)}`;
const MAX_HOUSEHOLD_LINES = 5;

export async function runQuotaReminders(deps: JobDeps, now: Date): Promise<JobSummary> {
  const week = weekStart(shanghaiDate(now));
  return oncePerPeriod(deps, 'quota-reminders', week, now, async (manager) => {
    await allowLargeScans(manager);
    const t = await standingTargets(manager);
    const villages = await unitLinkStanding(manager, now, t, {}, true);
    const team = await teamStanding(manager, now, t, {}, true);
    // Lines of resident team members (their unit's 联村 shortfall before the
    // households, their own days after): a few thousand, rendered here.
    const teamLines = new Map<number, ExtraLines>();
    const teamEntry = (id: number) => teamLines.get(id) ?? (teamLines.set(id, { cadreId: id, before: [], after: [] }), teamLines.get(id)!);
    const villagesByUnit = new Map<number, UnitLinkStanding[]>();
    for (const v of villages) villagesByUnit.set(v.unitId, [...(villagesByUnit.get(v.unitId) ?? []), v]);
    const teamMembers = await teamMembersOf(manager, [...villagesByUnit.keys()]);
    for (const m of teamMembers) for (const v of villagesByUnit.get(m.unitId)!) teamEntry(m.id).before.push(`· ${VILLAGE_LINE(v)}`);
    for (const m of team) teamEntry(m.cadreId).after.push(`· ${TEAM_LINE(m)}`);

    // Every cadre behind on a household link, and every team member above: one message each, in SQL.
    const cadres = await queueQuotaMessages(manager, now, t, {
      keyPrefix: `quota:${week}:`, listed: MAX_HOUSEHOLD_LINES, texts: CADRE_TEXTS, extra: [...teamLines.values()],
    });
    const outboxIds = [...cadres.ids];
    const unitReports = await unitLeaderReports(manager, villages);
    outboxIds.push(...await addToOutbox(manager, [...unitReports].map(([userid, vs]) =>
      textMessage(`quota-unit:${week}:${userid}`, userid, [UNIT_HEAD, ...vs.map((v) => `· ${UNIT_LINE(v)}`)].join('\n')))));
    return {
      summary: { cadresBehind: cadres.cadres, unitLinksBehind: villages.length, unitLeadersTold: unitReports.size, queued: outboxIds.length },
      outboxIds,
    };
  });
}
