import { z } from 'zod';
import { isLeader } from '../../src/services/people/cadres';
import { openProblemsFor } from '../../src/services/problems/ledger';
import { formatDate } from '../../src/lib/time';
import { defineCommand } from '../command';

const NONE = '目前没有未销号的问题。';
const HEAD = (leader: boolean, n: number) => `${leader ? '您管辖范围内' : '您联系的村'}共有${n}个未销号问题：`;
const ROW = (i: number, code: string, village: string, text: string, deadline: string, overdue: boolean) =>
  `${i}. ${code} ${village} ${text}（期限${deadline}${overdue ? '，已逾期' : ''}）`;
const MORE = (n: number) => `……另有${n}个未列出，请在管理后台查看。`;
const TAIL = '整改后发送“销号 编号 整改说明”。';
// 问题 followed by text is most likely a report typed with the wrong verb: nothing is recorded, so say how.
const REPORT_HINT = '如需上报新问题，请发送“上报 [村名] [类别] 问题描述”。';
// 12 rows of ≤ 24 characters fit WeCom's 2,048 bytes with the head and tail lines
const SHOWN = 12;
const TEXT_CHARS = 24;

const short = (s: string) => ([...s].length > TEXT_CHARS ? `${[...s].slice(0, TEXT_CHARS).join('')}…` : s);

export default defineCommand({
  name: '问题',
  aliases: ['问题清单', '台账'],
  usage: '问题',
  summary: '查看未销号的问题',
  args: z.string().transform((text) => ({ text })),
  async handle({ text }, env) {
    const hint = text ? `\n${REPORT_HINT}` : '';
    const { total, rows } = await openProblemsFor(env.manager, env.cadre, env.now, SHOWN);
    if (total === 0) return NONE + hint;
    const lines = [HEAD(isLeader(env.cadre), total)];
    rows.forEach((r, i) => lines.push(ROW(i + 1, r.code, r.villageName, short(r.description), formatDate(r.deadline, env.now), r.overdue)));
    if (total > rows.length) lines.push(MORE(total - rows.length));
    lines.push(TAIL);
    return lines.join('\n') + hint;
  },
});
