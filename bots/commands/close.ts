import { z } from 'zod';
import { closeProblem, normalizeCode } from '../../src/services/problems/ledger';
import { formatShanghai } from '../../src/lib/time';
import { defineCommand } from '../command';
import { ChatError } from '../errors';

const NEED_CODE = '请输入问题编号';
const BAD_CODE = (t: string) => `问题编号“${t}”格式有误，例如：销号 W2026-0001 已修复。发送“问题”可查看编号。`;
const NEED_NOTE = (c: string) => `请输入整改说明。正确格式：销号 问题编号 整改说明，例如：销号 ${c} 已修复`;
const NOT_FOUND = (c: string) => `未找到问题 ${c}。发送“问题”查看未销号的问题。`;
const REVOKED = (c: string) => `问题 ${c} 已撤销，无需销号。`;
const FORBIDDEN = (c: string) => `只有上报人、责任人或管辖该村的领导可以销号 ${c}。`;
const ALREADY = (c: string, at: string) => `问题 ${c} 已于${at}销号，无需重复操作。`;
const CLOSED = (c: string, text: string, note: string, at: string) =>
  `已销号 ${c}：${text}\n整改说明：${note}\n销号时间：${at}`;

export default defineCommand({
  name: '销号',
  aliases: [],
  usage: '销号 问题编号 整改说明',
  summary: '问题整改完成后销号，须写明整改说明，例如：销号 W2026-0001 已修复',
  args: z.string().min(1, NEED_CODE).transform((text) => {
    const [code, ...rest] = text.split(' ');
    return { code, note: rest.join(' ') };
  }),
  async handle({ code, note }, env) {
    const normalized = normalizeCode(code, env.now);
    if (!normalized) throw new ChatError(BAD_CODE(code), 'bad_code');
    const r = await closeProblem(env.manager, { actor: env.cadre, code: normalized, note, now: env.now });
    switch (r.kind) {
      case 'not_found': return NOT_FOUND(normalized);
      case 'revoked': return REVOKED(normalized);
      case 'forbidden':
        env.logger.info({ userId: env.cadre.userid, command: '销号', problem: normalized }, 'command denied: not the problem\'s reporter, owner or leader');
        return FORBIDDEN(normalized);
      case 'already_closed': return ALREADY(normalized, formatShanghai(r.problem.closedAt!, env.now));
      case 'need_note': return NEED_NOTE(normalized);
      default: return CLOSED(normalized, r.problem.description, r.problem.closeNote ?? note, formatShanghai(env.now));
    }
  },
});
