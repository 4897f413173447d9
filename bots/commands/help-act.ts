import { z } from 'zod';
import { recordHelpAct } from '../../src/services/aid/help-acts';
import { formatShanghai } from '../../src/lib/time';
import { defineCommand } from '../command';
import { HELP_EXAMPLE, HELP_USAGE, helpCountsLine, helpKindLabel, requireHelpSpec } from '../help-spec';
import { requireHousehold } from '../resolve-household';
import { villageFromCounty } from '../text';

/** 帮扶 户主 类别 内容: a 六送 help act for one of the sender's linked households. */

const NEED_NAME = '请输入户主姓名';
const RECORDED = (who: string, kind: string, time: string) => `已记录帮扶：${who}\n类别：${kind}\n时间：${time}`;

export default defineCommand({
  name: '帮扶',
  aliases: ['六送'],
  usage: HELP_USAGE,
  summary: `记录对联系户的“六送”帮扶，${HELP_EXAMPLE}`,
  args: z.string().min(1, NEED_NAME).transform((text) => ({ text })),
  async handle({ text }, env) {
    const { household, note: afterName } = await requireHousehold(env, text);
    const spec = requireHelpSpec(afterName);
    await recordHelpAct(env.manager, { cadreId: env.cadre.id, household, ...spec, now: env.now });
    return [
      RECORDED(`${household.householder}（${villageFromCounty(household.villageFullName)}）`, helpKindLabel(spec), formatShanghai(env.now)),
      await helpCountsLine(env.manager, household.id, env.cadre.id, env.now),
    ].join('\n');
  },
});
