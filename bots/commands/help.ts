import { z } from 'zod';
import { isLeader } from '../../src/services/people/cadres';
import { defineCommand, type Command } from '../command';
import { MAX_REPLY_BYTES } from '../text';

const HEAD = '双联助手指令（直接发送文字即可，村名可简写）：';
const LEADER_HEAD = '领导专用：';
const TAIL = '发送位置可核验签到；村名有重名时按提示回复序号。';
/** The example at the end of a summary (，例如：签到 丁门村). */
const EXAMPLE = /[，,；;]?\s*例如[：:].*$/u;

/** 帮助 needs the whole list; the list hands itself in to avoid an import cycle. */
export function createHelp(list: () => Command<unknown>[]) {
  return defineCommand({
    name: '帮助',
    aliases: ['?', '？', '菜单', 'help'],
    usage: '帮助',
    summary: '查看全部指令',
    args: z.string().transform(() => ({})),
    async handle(_args, env) {
      const all = list().filter((c) => c.name !== '帮助');
      const text = (line: (c: Command<unknown>) => string) => {
        const lines = [HEAD, ...all.filter((c) => !c.leaderOnly).map(line)];
        if (isLeader(env.cadre)) lines.push(LEADER_HEAD, ...all.filter((c) => c.leaderOnly).map(line));
        lines.push(TAIL);
        return lines.join('\n');
      };
      const full = text((c) => `· ${c.usage}：${c.summary}`);
      // Too long for one WeCom reply: every command still listed, without its example.
      return Buffer.byteLength(full) <= MAX_REPLY_BYTES ? full : text((c) => `· ${c.usage}：${c.summary.replace(EXAMPLE, '')}`);
    },
  });
}
