import { z } from 'zod';
import {
  HELP_KINDS, MONEY_KIND, amountYuanOf, cadreHelpCounts, helpKindOf, householdHelpCounts, recordHelpAct,
} from '../../src/services/aid/help-acts';
import { formatShanghai } from '../../src/lib/time';
import { defineCommand } from '../command';
import { ChatError } from '../errors';
import { requireHousehold } from '../resolve-household';
import { helpCountsText, yuan } from '../help-text';
import { villageFromCounty } from '../text';

/** 帮扶 户主 类别 内容: a 六送 help act for one of the sender's linked households. */

const USAGE = '帮扶 户主姓名 类别 内容';
const EXAMPLE = '例如：帮扶 张三 送资金 2000元 产业补助';
const NEED_NAME = '请输入户主姓名';
const KINDS = HELP_KINDS.join('、');
const NEED_KIND = `请在户主姓名后写帮扶类别（${KINDS}）。正确格式：${USAGE}，${EXAMPLE}`;
const BAD_KIND = (word: string) => `帮扶类别“${word}”无效，应为 ${KINDS}（可省略“送”字）。正确格式：${USAGE}，${EXAMPLE}`;
const NEED_NOTE = (kind: string) => `请写明${kind}的内容。正确格式：${USAGE}，${EXAMPLE}`;
const NEED_AMOUNT = `送资金请写明金额（元），${EXAMPLE}`;
const TOO_LONG = (max: number) => `帮扶内容请不超过${max}字。`;
const RECORDED = (who: string, kind: string, amount: string, time: string) =>
  `已记录帮扶：${who}\n类别：${kind}${amount}\n时间：${time}`;
const COUNTS = (household: string, mine: string) => `今年该户已获${household}；您今年共记录${mine}。`;
const MAX_NOTE = 500;

/** The kind is the first word of the text after the name; 送资金2000元 may be glued. */
function parseKindAndNote(text: string): { kindWord: string; rest: string } {
  const t = text.replace(/^[\s:：,，、]+/u, '');
  const glued = /^(送?(?:政策|项目|资金|技术|信息|温暖))(.*)$/su.exec(t);
  if (glued) return { kindWord: glued[1], rest: glued[2] };
  const [kindWord, ...rest] = t.split(' ');
  return { kindWord, rest: rest.join(' ') };
}

export default defineCommand({
  name: '帮扶',
  aliases: ['六送'],
  usage: USAGE,
  summary: `记录对联系户的“六送”帮扶，${EXAMPLE}`,
  args: z.string().min(1, NEED_NAME).transform((text) => ({ text })),
  async handle({ text }, env) {
    const { household, note: afterName } = await requireHousehold(env, text);
    const { kindWord, rest } = parseKindAndNote(afterName);
    if (kindWord === '') throw new ChatError(NEED_KIND, 'need_kind');
    const kind = helpKindOf(kindWord);
    if (!kind) throw new ChatError(BAD_KIND(kindWord.slice(0, 10)), 'bad_kind');
    const note = rest.replace(/^[\s:：,，、]+/u, '').trim();
    if (note === '') throw new ChatError(NEED_NOTE(kind), 'need_note');
    if ([...note].length > MAX_NOTE) throw new ChatError(TOO_LONG(MAX_NOTE), 'too_long');
    const amountYuan = kind === MONEY_KIND ? amountYuanOf(note) : null;
    if (kind === MONEY_KIND && amountYuan === null) throw new ChatError(NEED_AMOUNT, 'need_amount');
    await recordHelpAct(env.manager, { cadreId: env.cadre.id, household, kind, note, amountYuan, now: env.now });
    const forHousehold = await householdHelpCounts(env.manager, household.id, env.now);
    const mine = await cadreHelpCounts(env.manager, env.cadre.id, env.now);
    return [
      RECORDED(`${household.householder}（${villageFromCounty(household.villageFullName)}）`, kind,
        amountYuan === null ? '' : ` ${yuan(amountYuan)}元`, formatShanghai(env.now)),
      COUNTS(helpCountsText(forHousehold), helpCountsText(mine)),
    ].join('\n');
  },
});
