import { z } from 'zod';
import { sendNotice } from '../../src/services/notices/notices';
import { defineCommand } from '../command';
import { ChatError } from '../errors';
import { requireScope, scopeLabel } from '../resolve-scope';

const NEED = '请输入范围和通知内容，中间用空格隔开';
const NOBODY = (scope: string) => `${scope}没有联系干部或工作群，通知未发出。`;
const SENT = (scope: string, people: number, groups: number) =>
  `已向${scope}发出通知：联系干部${people}人${groups ? `，工作群${groups}个` : ''}。对方回复“收到”即为确认，未确认的会自动提醒。`;
const MAX_CHARS = 600;

export default defineCommand({
  name: '通知',
  aliases: ['紧急通知'],
  usage: '通知 范围 内容',
  summary: '向范围内所有联系干部和工作群发紧急通知，例如：通知 武山县 明早8点前到村排查汛情',
  leaderOnly: true,
  args: z.string()
    .transform((text) => {
      const i = text.indexOf(' ');
      return i < 0 ? { scope: '', content: '' } : { scope: text.slice(0, i), content: text.slice(i + 1).trim() };
    })
    .refine((a) => a.scope !== '' && a.content !== '', NEED),
  async handle({ scope, content }, env) {
    const region = await requireScope(env, scope);
    if ([...content].length > MAX_CHARS) throw new ChatError(`通知内容请不超过${MAX_CHARS}字。`, 'too_long');
    const sent = await sendNotice(env.manager, { sender: env.cadre, scope: region, content, now: env.now });
    if (sent.recipients === 0 && sent.groups === 0) throw new ChatError(NOBODY(scopeLabel(region)), 'no_recipients');
    return SENT(scopeLabel(region), sent.recipients, sent.groups);
  },
});
