import { z } from 'zod';
import { Region } from '../../entities';
import { checkOut } from '../../src/services/visits/village-checkins';
import { formatDuration, formatShanghai } from '../../src/lib/time';
import { defineCommand } from '../command';
import { visitCountLine } from '../replies';
import { villagePath } from '../text';

const NONE = '您当前没有未签退的签到。到村时请发送“签到 村名”。';
const DONE = (path: string, from: string, to: string, stay: string) =>
  `已签退：${path}\n签到${from}，签退${to}，停留${stay}。`;

export default defineCommand({
  name: '签退',
  aliases: ['离村'],
  usage: '签退',
  summary: '离村签退，记录停留时长',
  args: z.string().transform(() => ({})),
  async handle(_args, env) {
    const visit = await checkOut(env.manager, env.cadre.id, env.now);
    if (!visit) return NONE;
    const village = await env.manager.getRepository(Region).findOneByOrFail({ id: visit.villageId });
    return [
      DONE(villagePath(village.fullName), formatShanghai(visit.startedAt), formatShanghai(visit.endedAt!),
        formatDuration(visit.durationMinutes ?? 0)),
      await visitCountLine(env, env.cadre, visit.villageId),
    ].join('\n');
  },
});
