import { z } from 'zod';
import { noteMarksTalk, recordHouseholdVisit } from '../../src/services/visits/household-visits';
import { getRules } from '../../src/services/rules/rules';
import { recordHelpAct } from '../../src/services/aid/help-acts';
import { formatShanghai } from '../../src/lib/time';
import { defineCommand, type Command } from '../command';
import { helpCountsLine, helpKindLabel, helpSpecInVisitNote } from '../help-spec';
import { requireHousehold } from '../resolve-household';
import { villageFromCounty } from '../text';

const NEED_NAME = '请输入户主姓名';
const RECORDED = (who: string, time: string, talk: boolean) => `已记录走访：${who}\n时间：${time}${talk ? '（谈心交流）' : ''}`;
const HELP_RECORDED = (kind: string) => `已记录帮扶：${kind}`;
const MUST_VISIT_DONE = (kind: string, late: boolean) => `五必访（${kind}）已走访${late ? '，已超过期限' : '，按时完成'}。`;
const COUNTS = (v: number, d: number, t: number, rv: number, rd: number, rt: number) =>
  `今年已走访该户${v}次、${d}天，谈心${t}次；年度要求≥${rv}次/≥${rd}天，谈心≥${rt}次。`;

/**
 * 走访 and 谈心 record the same household visit. 走访 counts it as a talk only when
 * 谈心 comes right after the household name; 谈心 always does. A note that starts
 * with a 六送 kind (走访 张三 送技术 讲解种植) also records that help act, in the
 * same transaction (the command's savepoint): both or neither.
 */
function householdVisitCommand(c: Pick<Command, 'name' | 'aliases' | 'usage' | 'summary'> & { alwaysTalk: boolean }): Command<unknown> {
  return defineCommand({
    name: c.name,
    aliases: c.aliases,
    usage: c.usage,
    summary: c.summary,
    args: z.string().min(1, NEED_NAME).transform((text) => ({ text })),
    async handle({ text }, env) {
      const { household, note } = await requireHousehold(env, text);
      const talk = c.alwaysTalk || noteMarksTalk(note);
      const help = helpSpecInVisitNote(note);
      const { visit, counts, mustVisits } = await recordHouseholdVisit(env.manager, { cadreId: env.cadre.id, household, note, talk, now: env.now });
      if (help) await recordHelpAct(env.manager, { cadreId: env.cadre.id, household, ...help, now: env.now });
      const r = await getRules(env.manager, ['household.visits_per_year', 'household.days_per_year', 'household.talks_per_year']);
      return [
        RECORDED(`${household.householder}（${villageFromCounty(household.villageFullName)}）`, formatShanghai(env.now), visit.talk),
        COUNTS(counts.visits, counts.days, counts.talks,
          r['household.visits_per_year'], r['household.days_per_year'], r['household.talks_per_year']),
        ...mustVisits.map((m) => MUST_VISIT_DONE(m.kind, m.late)),
        ...(help ? [HELP_RECORDED(helpKindLabel(help)), await helpCountsLine(env.manager, household.id, env.cadre.id, env.now)] : []),
      ].join('\n');
    },
  });
}

export const householdVisit = householdVisitCommand({
  name: '走访',
  aliases: ['入户'],
  usage: '走访 户主姓名 [内容]',
  summary: '记录入户走访；户主姓名后紧跟“谈心”计为谈心交流，例如：走访 张三 谈心 了解春耕',
  alwaysTalk: false,
});

export const talk = householdVisitCommand({
  name: '谈心',
  aliases: [],
  usage: '谈心 户主姓名 [内容]',
  summary: '记录与联系户的谈心交流，例如：谈心 张三 了解家庭收入',
  alwaysTalk: true,
});
