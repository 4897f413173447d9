import { z } from 'zod';
import { ackLatestNotice } from '../../src/services/notices/notices';
import { defineCommand } from '../command';
import { quote } from '../text';

const NONE = '目前没有需要回复“收到”的通知。';
const ACKED = (sender: string, content: string) => `已确认收到${sender}的通知：${content}`;

export default defineCommand({
  name: '收到',
  aliases: ['已收到'],
  usage: '收到',
  summary: '确认收到最新一条通知',
  args: z.string().transform(() => ({})),
  async handle(_args, env) {
    const r = await ackLatestNotice(env.manager, env.cadre.id, env.now);
    return r.kind === 'none' ? NONE : ACKED(r.senderName, quote(r.notice.content, 40));
  },
});
