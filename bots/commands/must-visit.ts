import { z } from 'zod';
import { isLeader } from '../../src/services/people/cadres';
import { householdsNamedUnder, householdsNear } from '../../src/services/must-visits/households';
import { leadingMustVisitKind, reportMustVisit } from '../../src/services/must-visits/events';
import type { LinkedHousehold } from '../../src/services/people/links';
import { formatShanghai } from '../../src/lib/time';
import { defineCommand, type CommandEnv } from '../command';
import { ChatError } from '../errors';
import { requireHouseholdAmong, type HouseholdPool } from '../resolve-household';
import { quote, villageFromCounty } from '../text';

/** 报告 户主 事由 [情况]: a 五必访 event for a household, by anyone on the roster. */

const NEED = '请输入户主姓名和事由';
const NEED_KIND = '请注明事由：婚丧嫁娶（婚礼、丧事）、情绪波动（情绪）、生活困难（困难）、生病住院（住院、生病）或邻里纠纷（纠纷）。正确格式：报告 户主姓名 事由 [情况]，例如：报告 张三 住院 腿部骨折';
const TOO_LONG = (max: number) => `情况说明请不超过${max}字。`;
const POOL: HouseholdPool = {
  none: '您联系的村中没有农户信息，无法报告。如有疑问请联系本单位双联办。',
  notFound: (spec, hint) => `在您联系的村中未找到户主${quote(spec)}。${hint}`,
  list: (names) => `您联系的村有农户：${names.join('、')}等。`,
  ambiguous: (spec) => `有多户户主叫“${spec}”，请回复序号选择：`,
};
const HEAD = (who: string, kind: string) => `已报告五必访：${who} ${kind}`;
const TOLD = (cadre: string, due: string) => `已通知联户干部${cadre}，须于${due}前入户走访。`;
const YOURS = (householder: string, kind: string, due: string) =>
  `请您于${due}前入户走访，走访后发送“走访 ${householder} ${kind} 情况”。`;
const NO_CADRE = '该户暂无联户干部，请联系本单位双联办指定；逾期未走访将报告乡镇领导。';
const ALREADY = (who: string, kind: string, reported: string, due: string) =>
  `${who}的五必访（${kind}）已于${reported}报告，须于${due}前走访，无需重复报告。`;
const MAX_NOTE = 200;

/** Names within what was typed (丁门村张三 → 张三, 张三住院 → 张三 …): a leader's households in scope are looked up by these. */
function namesWithin(spec: string): string[] {
  const cs = [...spec].slice(0, 20);
  const out = new Set<string>();
  for (let i = 0; i < cs.length; i++) for (let n = 2; n <= 6 && i + n <= cs.length; n++) out.add(cs.slice(i, i + n).join(''));
  return [...out];
}

async function reportable(env: CommandEnv, spec: string): Promise<LinkedHousehold[]> {
  const near = await householdsNear(env.manager, env.cadre, env.now);
  if (!isLeader(env.cadre) || env.cadre.scopeRegionId === null) return near;
  const named = await householdsNamedUnder(env.manager, env.cadre.scopeRegionId, namesWithin(spec));
  const seen = new Set(near.map((h) => h.id));
  return [...near, ...named.filter((h) => !seen.has(h.id))];
}

export default defineCommand({
  name: '报告',
  aliases: ['必访'],
  usage: '报告 户主姓名 事由 [情况]',
  summary: '报告联系村农户的五必访事项（婚丧、情绪、困难、住院、纠纷），联户干部须在期限内走访；走访时发送“走访 张三 住院 …”即完成，例如：报告 张三 住院',
  args: z.string().min(1, NEED).transform((text) => ({ text })),
  async handle({ text }, env) {
    const spec = text.split(' ')[0];
    const { household, note } = requireHouseholdAmong(env, text, await reportable(env, spec), POOL);
    const reason = leadingMustVisitKind(note);
    if (!reason) throw new ChatError(NEED_KIND, 'no_kind');
    if ([...reason.rest].length > MAX_NOTE) throw new ChatError(TOO_LONG(MAX_NOTE), 'too_long');
    const village = villageFromCounty(household.villageFullName);
    const r = await reportMustVisit(env.manager, {
      reporter: env.cadre,
      household: { id: household.id, householder: household.householder, villageId: household.villageId, villageName: village },
      kind: reason.kind, note: reason.rest, now: env.now,
    });
    const who = `${household.householder}（${village}）`;
    const due = formatShanghai(r.event.dueAt, env.now);
    if (!r.created) return ALREADY(who, r.event.kind, formatShanghai(r.event.reportedAt, env.now), due);
    const tail = !r.cadre ? NO_CADRE
      : r.cadre.id === env.cadre.id ? YOURS(household.householder, reason.kind, due) : TOLD(r.cadre.name, due);
    return [HEAD(who, reason.kind), tail].join('\n');
  },
});
