import { z } from 'zod';
import { normalizeCode, reopenProblem } from '../../src/services/problems/ledger';
import { formatDate } from '../../src/lib/time';
import { defineCommand } from '../command';
import { ChatError } from '../errors';

const NEED_CODE = '请输入问题编号';
const EXAMPLE = '整改后问题再次出现';
const BAD_CODE = (t: string) => `问题编号“${t}”格式有误，例如：重开 W2026-0001 ${EXAMPLE}。发送“问题”可查看编号。`;
const NEED_REASON = (c: string) => `请输入重开原因。正确格式：重开 问题编号 原因，例如：重开 ${c} ${EXAMPLE}`;
const NOT_FOUND = (c: string) => `未找到问题 ${c}。`;
const REVOKED = (c: string) => `问题 ${c} 已撤销，不能重开。`;
const FORBIDDEN = (c: string) => `只有上报人、责任人或管辖该村的领导可以重开 ${c}。`;
const NOT_CLOSED = (c: string) => `问题 ${c} 尚未销号，无需重开。`;
const REOPENED = (c: string, text: string, reason: string, deadline: string) =>
  `已重开问题 ${c}：${text}\n原因：${reason}\n新整改期限：${deadline}\n整改后发送“销号 ${c} 整改说明”。`;

export default defineCommand({
  name: '重开',
  aliases: ['重新打开'],
  usage: '重开 问题编号 原因',
  summary: '已销号的问题未整改到位时重新打开，并给出新的整改期限，例如：重开 W2026-0001 路面再次开裂',
  args: z.string().min(1, NEED_CODE).transform((text) => {
    const [code, ...rest] = text.split(' ');
    return { code, reason: rest.join(' ') };
  }),
  async handle({ code, reason }, env) {
    const normalized = normalizeCode(code, env.now);
    if (!normalized) throw new ChatError(BAD_CODE(code), 'bad_code');
    const r = await reopenProblem(env.manager, { actor: env.cadre, code: normalized, reason, now: env.now });
    switch (r.kind) {
      case 'not_found': return NOT_FOUND(normalized);
      case 'revoked': return REVOKED(normalized);
      case 'forbidden':
        env.logger.info({ userId: env.cadre.userid, command: '重开', problem: normalized }, 'command denied: not the problem\'s reporter, owner or leader');
        return FORBIDDEN(normalized);
      case 'not_closed': return NOT_CLOSED(normalized);
      case 'need_note': return NEED_REASON(normalized);
      default: return REOPENED(normalized, r.problem.description, reason.trim(), formatDate(r.problem.deadline, env.now));
    }
  },
});
