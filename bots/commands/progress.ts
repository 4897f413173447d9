import { z } from 'zod';
import { fiveHundredsForCadre, type Quota } from '../../src/services/standing/township-targets';
import { formatStanding, standingForCadre } from '../../src/services/standing/cadre-standing';
import { cadreHelpCounts, unitHelpCounts } from '../../src/services/aid/help-acts';
import { openMustVisitsOf, type OpenMustVisit } from '../../src/services/must-visits/events';
import { formatShanghai } from '../../src/lib/time';
import { defineCommand } from '../command';
import { helpCountsText } from '../help-text';

/** 进度: the standing service's pace against every rule, plus 五个百 when that rule set is on. */

const FIVE = (days: string, hh: string, diary: string, solved: string) =>
  `【五个百】到村${days}，走访农户${hh}，日记${diary}，解决问题${solved}`;
const NOTHING = '您目前没有联系村或联系户，暂无需要完成的指标。';
const MUST_VISITS = (items: string[], more: number) => `【五必访】待走访${items.length + more}件：${items.join('；')}${more > 0 ? '等' : ''}`;
const MUST_VISIT = (m: OpenMustVisit, now: Date) =>
  `${m.householder} ${m.kind}（${m.dueAt < now ? '已逾期，' : ''}${formatShanghai(m.dueAt, now)}前）`;
const MAX_MUST_VISITS = 10;

/** The visits owed (五必访) after the standing, or instead of NOTHING. */
function withMustVisits(text: string, owed: OpenMustVisit[], now: Date): string {
  if (owed.length === 0) return text;
  const line = MUST_VISITS(owed.slice(0, MAX_MUST_VISITS).map((m) => MUST_VISIT(m, now)), Math.max(0, owed.length - MAX_MUST_VISITS));
  return text === NOTHING ? line : `${text}\n${line}`;
}
const HELP = (text: string, unit: number | null) => `【六送】今年${text}${unit === null ? '' : `；本单位今年帮扶${unit}次`}`;

/** 9/100天 or 100/100天✓ */
const q = (x: Quota, unit: string) => `${x.done}/${x.required}${unit}${x.done >= x.required ? '✓' : ''}`;

export default defineCommand({
  name: '进度',
  aliases: ['我的'],
  usage: '进度',
  summary: '查看我今年各项指标的完成情况',
  args: z.string().transform(() => ({})),
  async handle(_args, env) {
    const s = await standingForCadre(env.manager, env.cadre.id, env.now);
    const help = await cadreHelpCounts(env.manager, env.cadre.id, env.now);
    // the 六送 line for whoever has households to help, or has recorded help
    const unit = env.cadre.unitId === null ? null : (await unitHelpCounts(env.manager, env.cadre.unitId, env.now)).acts;
    const helpLine = s.households.length > 0 || help.acts > 0 ? HELP(helpCountsText(help), unit) : null;
    const text = formatStanding(s);
    const standing = helpLine === null ? text : text === NOTHING ? helpLine : `${text}\n${helpLine}`;
    const five = await fiveHundredsForCadre(env.manager, env.cadre.id, env.now);
    const owed = await openMustVisitsOf(env.manager, env.cadre.id);
    if (!five) return withMustVisits(standing, owed, env.now);
    const line = FIVE(q(five.daysOnSite, '天'), q(five.householdsVisited, '户'), q(five.diaryDays, '天'), q(five.problemsSolved, '个'));
    return withMustVisits(standing === NOTHING ? line : `${standing}\n${line}`, owed, env.now);
  },
});
