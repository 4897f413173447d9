import { z } from 'zod';
import { scopeDayActivity, scopeStats } from '../../src/services/scope-stats';
import { formatDate } from '../../src/services/time';
import { defineCommand } from '../command';
import { requireScope, scopeLabel } from '../resolve-scope';

const REPORT = (scope: string, date: string, a: { checkins: number; cadresOnSite: number; villagesVisited: number;
  householdVisits: number; problemsReported: number; problemsClosed: number }, open: number, overdue: number) => [
  `${scope} ${date}双联日报`,
  `签到${a.checkins}次（${a.cadresOnSite}名干部到${a.villagesVisited}个村）`,
  `入户走访${a.householdVisits}次`,
  `新上报问题${a.problemsReported}个，销号${a.problemsClosed}个`,
  `未销号问题${open}个，其中逾期${overdue}个`,
].join('\n');

export default defineCommand({
  name: '日报',
  aliases: [],
  usage: '日报 [范围]',
  summary: '查看今天的双联日报（默认您的管辖范围），例如：日报 武山县',
  leaderOnly: true,
  args: z.string().transform((scope) => ({ scope })),
  async handle({ scope }, env) {
    const region = await requireScope(env, scope);
    const activity = await scopeDayActivity(env.manager, region.path, env.now);
    const stats = await scopeStats(env.manager, region.path, env.now);
    return REPORT(scopeLabel(region), formatDate(activity.date), activity, stats.problemsOpen, stats.problemsOverdue);
  },
});
