import { z } from 'zod';
import type { NoticeKind } from '../../entities';
import { NOTICE_HEADINGS, NOTICE_MAX_CHARS, sendNotice } from '../../src/services/notices/notices';
import { formatShanghai } from '../../src/lib/time';
import { defineCommand } from '../command';
import { ChatError } from '../errors';
import { requireScope, scopeLabel } from '../resolve-scope';

/** 通知 范围 [类别] 内容: the 五必到 kind (会议, 突发, 活动, 交办) is optional, 突发 by default. */

const NEED = '请输入范围和通知内容，中间用空格隔开';
const NEED_CONTENT = '请输入通知内容';
const NOBODY = (scope: string) => `${scope}没有联系干部或工作群，通知未发出。`;
const SENT = (scope: string, heading: string, people: number, groups: number, until: string) =>
  `已向${scope}发出${heading}：联系干部${people}人${groups ? `，工作群${groups}个` : ''}。` +
  `对方回复“收到”即为确认，未确认的会自动提醒；${until}前在范围内到村签到计为到场。`;
const DEFAULT_KIND: NoticeKind = '突发';

/** The kind words a leader may put before the content. */
const KIND_WORDS: Record<string, NoticeKind> = {
  会议: '会议', 开会: '会议', 重要会议: '会议',
  突发: '突发', 突发事件: '突发', 紧急: '突发',
  活动: '活动', 重要活动: '活动',
  交办: '交办', 交办事项: '交办', 乡镇交办: '交办',
};

/** The kind named first in the text, as a word of its own, and the content after it. */
function splitKind(text: string): { kind: NoticeKind; content: string; named: boolean } {
  const m = /^([^\s:：,，、]+)(?:[\s:：,，、]+|$)/u.exec(text);
  const kind = m ? KIND_WORDS[m[1]] : undefined;
  return kind ? { kind, content: text.slice(m![0].length).trim(), named: true } : { kind: DEFAULT_KIND, content: text, named: false };
}

export default defineCommand({
  name: '通知',
  aliases: ['紧急通知'],
  usage: '通知 范围 [类别] 内容',
  summary: '向范围内所有联系干部和工作群发通知；类别为会议、突发、活动或交办（默认突发），例如：通知 武山县 会议 明早9点到村召开防汛会',
  leaderOnly: true,
  args: z.string()
    .transform((text) => {
      const i = text.indexOf(' ');
      return i < 0 ? { scope: text, rest: '' } : { scope: text.slice(0, i), rest: text.slice(i + 1).trim() };
    })
    .refine((a) => a.scope !== '' && a.rest !== '', NEED)
    .transform((a) => ({ scope: a.scope, ...splitKind(a.rest) }))
    .superRefine((a, ctx) => {
      if (a.named && a.content === '') ctx.addIssue({ code: 'custom', message: NEED_CONTENT });
    }),
  async handle({ scope, kind, content }, env) {
    const region = await requireScope(env, scope);
    if ([...content].length > NOTICE_MAX_CHARS) throw new ChatError(`通知内容请不超过${NOTICE_MAX_CHARS}字。`, 'too_long');
    const sent = await sendNotice(env.manager, { sender: env.cadre, scope: region, kind, content, now: env.now });
    if (sent.recipients === 0 && sent.groups === 0) throw new ChatError(NOBODY(scopeLabel(region)), 'no_recipients');
    return SENT(scopeLabel(region), NOTICE_HEADINGS[kind], sent.recipients, sent.groups, formatShanghai(sent.notice.attendUntil!, env.now));
  },
});
