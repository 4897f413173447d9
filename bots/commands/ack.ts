import { z } from 'zod';
import { queueAckedCardUpdate } from '../../src/services/notices/cards';
import { ackLatestNotice } from '../../src/services/notices/notices';
import { defineCommand } from '../command';
import { quote } from '../text';

const NONE = '目前没有需要回复“收到”的通知。';
/** Also the answer to a tap on a notice card's 收到 (bots/events/card-tap.ts). */
export const ACKED = (sender: string, content: string) => `已确认收到${sender}的通知：${content}`;

export default defineCommand({
  name: '收到',
  aliases: ['已收到'],
  usage: '收到',
  summary: '确认收到最新一条通知',
  args: z.string().transform(() => ({})),
  async handle(_args, env) {
    const r = await ackLatestNotice(env.manager, env.cadre.id, env.now);
    if (r.kind === 'none') return NONE;
    // The notice's card reads 已确认 too, when a response code for it is left.
    await queueAckedCardUpdate(env.manager, { noticeId: r.notice.id, userid: env.cadre.userid, ackedAt: env.now, now: env.now });
    return ACKED(r.senderName, quote(r.notice.content, 40));
  },
});
