import { z } from 'zod';
import { isLeader } from '../../src/services/people/cadres';
import { defineCommand, type Command } from '../command';

const HEAD = '双联助手指令（直接发送文字即可，村名可简写）：';
const LEADER_HEAD = '领导专用：';
const TAIL = '发送位置可核验签到；村名有重名时按提示回复序号。';

/** 帮助 needs the whole list; the list hands itself in to avoid an import cycle. */
export function createHelp(list: () => Command<unknown>[]) {
  return defineCommand({
    name: '帮助',
    aliases: ['?', '？', '菜单', 'help'],
    usage: '帮助',
    summary: '查看全部指令',
    args: z.string().transform(() => ({})),
    async handle(_args, env) {
      const line = (c: Command<unknown>) => `· ${c.usage}：${c.summary}`;
      const all = list().filter((c) => c.name !== '帮助');
      const lines = [HEAD, ...all.filter((c) => !c.leaderOnly).map(line)];
      if (isLeader(env.cadre)) lines.push(LEADER_HEAD, ...all.filter((c) => c.leaderOnly).map(line));
      lines.push(TAIL);
      return lines.join('\n');
    },
  });
}
