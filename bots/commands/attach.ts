import { z } from 'zod';
import { attachLatestToProblem } from '../../src/services/photos/attach';
import { normalizeCode } from '../../src/services/problems/ledger';
import { defineCommand } from '../command';
import { ChatError } from '../errors';

/** `附图 <问题编号>`: the picture just sent becomes evidence on a problem. */

const NEED_CODE = '请输入问题编号';
const BAD_CODE = (t: string) => `问题编号“${t}”格式有误，例如：附图 W2026-0001。发送“问题”可查看编号。`;
const NOT_FOUND = (c: string) => `未找到问题 ${c}。发送“问题”查看未销号的问题。`;
const FORBIDDEN = (c: string) => `只有上报人、责任人、联系该村的干部或管辖该村的领导可以给问题 ${c} 附图。`;
const NO_PHOTO = '未找到可附的照片。请先发送照片（30分钟内），再发送“附图 问题编号”。';
const ATTACHED = (c: string, n: number, closed: boolean) =>
  `已将照片附到问题 ${c}${closed ? '（销号照片）' : ''}，该问题共有照片${n}张。${closed ? '' : `\n整改后可发送“销号 ${c} 整改说明”。`}`;

export default defineCommand({
  name: '附图',
  aliases: ['补图'],
  usage: '附图 问题编号',
  summary: '把刚发送的照片附到问题上，例如：附图 W2026-0001',
  args: z.string().min(1, NEED_CODE).transform((text) => ({ code: text.split(' ')[0] })),
  async handle({ code }, env) {
    const normalized = normalizeCode(code, env.now);
    if (!normalized) throw new ChatError(BAD_CODE(code), 'bad_code');
    const r = await attachLatestToProblem(env.manager, { actor: env.cadre, code: normalized, now: env.now });
    switch (r.kind) {
      case 'not_found': return NOT_FOUND(normalized);
      case 'forbidden': return FORBIDDEN(normalized);
      case 'no_photo': return NO_PHOTO;
      case 'attached': return ATTACHED(r.problemCode, r.count, r.closed);
    }
  },
});
