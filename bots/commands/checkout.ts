import { z } from 'zod';
import { Region } from '../../entities';
import { checkOut } from '../../src/services/visits/village-checkins';
import { formatDuration, formatShanghai } from '../../src/lib/time';
import { defineCommand } from '../command';
import { visitCountLine } from '../replies';
import { placeName } from '../../src/lib/place';

const NONE = '您当前没有未签退的签到。到村时请发送“签到 村名”。';
const DONE = (path: string, from: string, to: string, stay: string) =>
  `已签退：${path}\n签到${from}，签退${to}，停留${stay}。`;
const CAPPED = (cap: number) => `停留超过${cap}小时，按${cap}小时计入。`;

export default defineCommand({
  name: '签退',
  aliases: ['离村'],
  usage: '签退',
  summary: '离村签退，记录停留时长',
  args: z.string().transform(() => ({})),
  async handle(_args, env) {
    const ended = await checkOut(env.manager, env.cadre.id, env.now);
    if (!ended) return NONE;
    const { visit, capHours } = ended;
    const village = await env.manager.getRepository(Region).findOneByOrFail({ id: visit.villageId });
    const stayed = Math.floor((env.now.getTime() - visit.startedAt.getTime()) / 60000);
    return [
      DONE(placeName(village.fullName), formatShanghai(visit.startedAt), formatShanghai(env.now),
        formatDuration(capHours === null ? visit.durationMinutes ?? 0 : stayed)),
      ...(capHours === null ? [] : [CAPPED(capHours)]),
      await visitCountLine(env, env.cadre, visit.villageId),
    ].join('\n');
  },
});
