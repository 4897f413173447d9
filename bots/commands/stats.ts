import { z } from 'zod';
import { scopeStats } from '../../src/services/standing/scope-stats';
import { regionHelpCounts } from '../../src/services/aid/help-acts';
import { mustVisitFigures, type MustVisitFigures } from '../../src/services/must-visits/figures';
import { subtreeLike } from '../../src/services/people/regions';
import { formatDate, shanghaiDate, shanghaiYearRange } from '../../src/lib/time';
import { defineCommand } from '../command';
import { helpCountsText } from '../help-text';
import { requireScope, scopeLabel } from '../resolve-scope';

const HELP = (text: string) => `六送：今年${text}`;
/** Shown once the scope has had a 五必访 event fall due. */
const MUST_VISITS = (f: MustVisitFigures) => f.due + f.overdue === 0 ? []
  : [`五必访：今年到期${f.due}件，按时走访${f.inTime}件（${pct(f.inTime, f.due)}），逾期未走访${f.overdue}件`];
const pct = (n: number, d: number) => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1).replace(/\.0$/, '')}%`);

export default defineCommand({
  name: '统计',
  aliases: [],
  usage: '统计 [范围]',
  summary: '查看“两个全覆盖”和年度指标完成情况，例如：统计 武山县/鸳鸯镇',
  leaderOnly: true,
  args: z.string().transform((scope) => ({ scope })),
  async handle({ scope }, env) {
    const region = await requireScope(env, scope);
    const s = await scopeStats(env.manager, region.path, env.now);
    const help = await regionHelpCounts(env.manager, region.path, env.now);
    const { from } = shanghaiYearRange(env.now);
    const mv = (await mustVisitFigures(env.manager, subtreeLike(region.path), [region.id], [from, env.now], env.now)).get(region.id)!;
    const closedRate = pct(s.problemsClosedThisYear, s.problemsReportedThisYear);
    return [
      `${scopeLabel(region)}双联统计（截至${formatDate(shanghaiDate(env.now))}）`,
      `联村覆盖：${s.villagesLinked}/${s.villages}个村有联系单位（${pct(s.villagesLinked, s.villages)}）`,
      `联户覆盖：${s.householdsLinked}/${s.households}户有联户干部（${pct(s.householdsLinked, s.households)}）`,
      `进村达标（≥${s.rules.villageVisits}次且≥${s.rules.villageDays}天）：${s.villagesMet}/${s.villagesLinked}个村`,
      `入户达标（≥${s.rules.householdVisits}次）：${s.householdsVisitsMet}/${s.householdsLinked}户；谈心达标（≥${s.rules.householdTalks}次）：${s.householdsTalksMet}户`,
      `问题台账：今年上报${s.problemsReportedThisYear}个，销号${s.problemsClosedThisYear}个（${closedRate}），未销号${s.problemsOpen}个（逾期${s.problemsOverdue}个）`,
      ...MUST_VISITS(mv),
      HELP(helpCountsText(help)),
    ].join('\n');
  },
});
