import { z } from 'zod';
import { recordHouseholdVisit } from '../../src/services/visits/household-visits';
import { getRules } from '../../src/services/rules/rules';
import { formatShanghai } from '../../src/lib/time';
import { defineCommand } from '../command';
import { requireHousehold } from '../resolve-household';
import { villageFromCounty } from '../text';

const NEED_NAME = '请写上户主姓名';
const RECORDED = (who: string, time: string, talk: boolean) => `已记录走访：${who}\n时间：${time}${talk ? '（谈心交流）' : ''}`;
const COUNTS = (v: number, d: number, t: number, rv: number, rd: number, rt: number) =>
  `今年已走访该户${v}次、${d}天，谈心${t}次；年度要求≥${rv}次/≥${rd}天，谈心≥${rt}次。`;

export default defineCommand({
  name: '走访',
  aliases: ['入户'],
  usage: '走访 户主姓名 [内容]',
  summary: '记录入户走访，内容含“谈心”计为谈心交流，例如：走访 张三 谈心了解春耕',
  args: z.string().min(1, NEED_NAME).transform((text) => ({ text })),
  async handle({ text }, env) {
    const { household, note } = await requireHousehold(env, text);
    const { visit, counts } = await recordHouseholdVisit(env.manager, { cadreId: env.cadre.id, household, note, now: env.now });
    const r = await getRules(env.manager, ['household.visits_per_year', 'household.days_per_year', 'household.talks_per_year']);
    return [
      RECORDED(`${household.householder}（${villageFromCounty(household.villageFullName)}）`, formatShanghai(env.now), visit.talk),
      COUNTS(counts.visits, counts.days, counts.talks,
        r['household.visits_per_year'], r['household.days_per_year'], r['household.talks_per_year']),
    ].join('\n');
  },
});
