import { z } from 'zod';
import { cadreProgress, type Quota } from '../../src/services/cadre-progress';
import { shanghaiDate, formatDate } from '../../src/services/time';
import { defineCommand } from '../command';
import { villagePath } from '../text';

const HEAD = (name: string, date: string) => `${name}的今年双联进度（截至${date}）：`;
const VILLAGE = (path: string, v: string, d: string) => `【联村】${path}：本单位进村${v}，累计${d}`;
const HOUSEHOLDS = (n: number, vm: number, dm: number, tm: number, rv: number, rd: number, rt: number) =>
  `【联户】${n}户：走访≥${rv}次达标${vm}户，≥${rd}天达标${dm}户，谈心≥${rt}次达标${tm}户`;
const BEHIND = (name: string, v: number, d: number, t: number) => `  · ${name}：走访${v}次/${d}天，谈心${t}次`;
const TEAM = (onSite: string, resident: string) => `【驻村】到村${onSite}，驻村${resident}`;
const FIVE = (days: string, hh: string, diary: string, solved: string) =>
  `【五个百】到村${days}，走访农户${hh}，日记${diary}，解决问题${solved}`;
const NOTHING = '您目前没有联系村或联系户，暂无需要完成的指标。';
const MAX_BEHIND = 8;

/** 9/30天 ✓ or 3/4次（差1） */
const q = (x: Quota, unit: string) => `${x.done}/${x.required}${unit}${x.done >= x.required ? '✓' : `（差${x.required - x.done}）`}`;

export default defineCommand({
  name: '进度',
  aliases: ['我的'],
  usage: '进度',
  summary: '查看我今年各项指标的完成情况',
  args: z.string().transform(() => ({})),
  async handle(_args, env) {
    const p = await cadreProgress(env.manager, env.cadre, env.now);
    const lines = [HEAD(env.cadre.name, formatDate(shanghaiDate(env.now)))];
    for (const v of p.villages) lines.push(VILLAGE(villagePath(v.fullName), q(v.visits, '次'), q(v.days, '天')));
    const h = p.households;
    if (h.total > 0) {
      lines.push(HOUSEHOLDS(h.total, h.visitsMet, h.daysMet, h.talksMet,
        p.rules.householdVisits, p.rules.householdDays, p.rules.householdTalks));
      for (const b of h.behind.slice(0, MAX_BEHIND)) lines.push(BEHIND(b.householder, b.visits, b.days, b.talks));
      if (h.behind.length > MAX_BEHIND) lines.push(`  · 另有${h.behind.length - MAX_BEHIND}户未达标`);
    }
    if (p.team) lines.push(TEAM(q(p.team.daysOnSite, '天'), q(p.team.daysResident, '天')));
    if (p.fiveHundreds) {
      const f = p.fiveHundreds;
      lines.push(FIVE(q(f.daysOnSite, '天'), q(f.householdsVisited, '户'), q(f.diaryDays, '天'), q(f.problemsSolved, '个')));
    }
    return lines.length === 1 ? NOTHING : lines.join('\n');
  },
});
