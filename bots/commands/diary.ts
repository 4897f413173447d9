import { z } from 'zod';
import { Region } from '../../entities';
import { addDiaryEntry } from '../../src/services/visits/diary';
import { formatShanghai } from '../../src/lib/time';
import { defineCommand } from '../command';
import { ChatError } from '../errors';

const NEED_TEXT = '请输入日记内容';
const RECORDED = (time: string, where: string, days: number) => `已记录民情日记（${time}${where}）。今年已写日记${days}天。`;
const MAX_CHARS = 2000;

export default defineCommand({
  name: '日记',
  aliases: ['民情日记'],
  usage: '日记 内容',
  summary: '写民情日记，例如：日记 走访张三家，了解到春耕缺化肥',
  args: z.string().min(1, NEED_TEXT).transform((content) => ({ content })),
  async handle({ content }, env) {
    if ([...content].length > MAX_CHARS) throw new ChatError(`日记请不超过${MAX_CHARS}字。`, 'too_long');
    const { entry, daysThisYear } = await addDiaryEntry(env.manager, { cadreId: env.cadre.id, content, now: env.now });
    const village = entry.villageId ? await env.manager.getRepository(Region).findOneBy({ id: entry.villageId }) : null;
    return RECORDED(formatShanghai(env.now), village ? `，${village.name}` : '', daysThisYear);
  },
});
