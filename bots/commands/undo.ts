import { z } from 'zod';
import { undoLast, type RecordKind } from '../../src/services/visits/undo';
import { formatShanghai } from '../../src/lib/time';
import { defineCommand } from '../command';

const NOTHING = (m: number) => `没有可撤销的记录（只能撤销${m}分钟内您的最近一条记录）。`;
const DONE = (time: string, what: string) => `已撤销您${time}的${what}，不再计入统计。`;
const WHAT: Record<RecordKind, string> = {
  visit: '签到',
  household_visit: '走访记录',
  diary: '民情日记',
  problem: '问题上报',
};

export default defineCommand({
  name: '撤销',
  aliases: ['撤回'],
  usage: '撤销',
  summary: '撤销您刚记的最近一条签到、走访、日记或上报',
  args: z.string().transform(() => ({})),
  async handle(_args, env) {
    const r = await undoLast(env.manager, env.cadre.id, env.now);
    return r.kind === 'nothing' ? NOTHING(r.minutes) : DONE(formatShanghai(r.at), WHAT[r.record]);
  },
});
