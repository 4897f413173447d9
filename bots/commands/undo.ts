import { z } from 'zod';
import { undoLast, type RecordKind } from '../../src/services/visits/undo';
import { formatShanghai } from '../../src/lib/time';
import { defineCommand } from '../command';

const NOTHING = (m: number) => `没有可撤销的记录（只能撤销${m}分钟内您的最近一条记录）。`;
const DONE = (time: string, what: string) => `已撤销您${time}的${what}，不再计入统计。`;
const ACTED_ON = (code: string, what: string) => `问题 ${code} 上报后已有处理记录（${what}），不能撤销。`;
const MUST_VISIT_ACTED_ON = (householder: string, kind: string, visited: boolean) =>
  `${householder}的五必访报告（${kind}）${visited ? '已走访' : '已逾期上报'}，不能撤销。`;
const WHAT: Record<RecordKind, string> = {
  visit: '签到',
  household_visit: '走访记录',
  diary: '民情日记',
  problem: '问题上报',
  help_act: '帮扶记录',
  inspection: '督查记录',
  must_visit: '五必访报告',
};
/** The problem event that stops an undo, as the reply names it. */
const ACTED: Record<string, string> = {
  closed: '已销号',
  reopened: '已重开',
  categorized: '已调整类别',
  escalated: '已逾期上报',
  reminded: '已催办',
  assigned: '已指派',
  deadline: '已调整期限',
};

export default defineCommand({
  name: '撤销',
  aliases: ['撤回'],
  usage: '撤销',
  summary: '撤销您刚记的最近一条记录（他人已处理的问题、已走访的五必访报告不能撤销）',
  args: z.string().transform(() => ({})),
  async handle(_args, env) {
    const r = await undoLast(env.manager, env.cadre.id, env.now);
    if (r.kind === 'nothing') return NOTHING(r.minutes);
    if (r.kind === 'acted_on') return ACTED_ON(r.code, ACTED[r.lastEvent] ?? '已处理');
    if (r.kind === 'must_visit_acted_on') return MUST_VISIT_ACTED_ON(r.householder, r.eventKind, r.visited);
    const what = r.code ? `${WHAT[r.record]} ${r.code}`
      : r.mustVisit ? `${WHAT[r.record]}（${r.mustVisit.householder} ${r.mustVisit.kind}）`
        : r.withHelpAct ? `${WHAT.household_visit}及${WHAT.help_act}` : WHAT[r.record];
    return DONE(formatShanghai(r.at), what);
  },
});
