import { z } from 'zod';
import { RegionLevel } from '../../entities';
import { buildDigest, renderDigestMarkdown } from '../../src/services/digest/build';
import { scopeDayActivity, scopeStats } from '../../src/services/standing/scope-stats';
import { formatDate } from '../../src/lib/time';
import { defineCommand } from '../command';
import { requireScope, scopeLabel } from '../resolve-scope';

/**
 * 日报 on demand: the same digest the evening job sends (src/services/digest/build.ts),
 * as plain text because a chat reply is a text message; a single village gets
 * the village's own figures.
 */

const VILLAGE_REPORT = (scope: string, date: string, a: { checkins: number; cadresOnSite: number;
  householdVisits: number; problemsReported: number; problemsClosed: number }, open: number, overdue: number) => [
  `${scope} ${date}双联日报`,
  `签到${a.checkins}次（${a.cadresOnSite}名干部）`,
  `入户走访${a.householdVisits}次`,
  `新上报问题${a.problemsReported}个，销号${a.problemsClosed}个`,
  `未销号问题${open}个，其中逾期${overdue}个`,
].join('\n');

/** WeCom markdown → plain text: headings, quotes, bold and colour tags dropped. */
export function markdownToText(md: string): string {
  return md
    .replace(/^#+\s*/gm, '')
    .replace(/^>\s?/gm, '')
    .replace(/\*\*/g, '')
    .replace(/<\/?font[^>]*>/g, '');
}

export default defineCommand({
  name: '日报',
  aliases: [],
  usage: '日报 [范围]',
  summary: '查看今天的双联日报（默认您的管辖范围），例如：日报 武山县',
  leaderOnly: true,
  args: z.string().transform((scope) => ({ scope })),
  async handle({ scope }, env) {
    const region = await requireScope(env, scope);
    if (region.level === RegionLevel.Village) {
      const a = await scopeDayActivity(env.manager, region.path, env.now);
      const s = await scopeStats(env.manager, region.path, env.now);
      return VILLAGE_REPORT(scopeLabel(region), formatDate(a.date), a, s.problemsOpen, s.problemsOverdue);
    }
    return markdownToText(renderDigestMarkdown(await buildDigest(env.manager, region.id, env.now, 'day')));
  },
});
