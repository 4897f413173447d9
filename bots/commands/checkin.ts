import { z } from 'zod';
import { Region } from '../../entities';
import { checkIn } from '../../src/services/visits/village-checkins';
import { formatDuration, formatShanghai } from '../../src/lib/time';
import { defineCommand } from '../command';
import { visitCountLine } from '../replies';
import { requireVillage } from '../resolve-village';
import { placeName } from '../../src/lib/place';

const NEED_VILLAGE = '请输入村名';
const RECORDED = (path: string, time: string) => `已签到：${path}\n时间：${time}`;
const CLOSED_PREVIOUS = (path: string, stay: string) => `（已自动为您签退${path}，停留${stay}）`;
const CLOSED_PREVIOUS_CAPPED = (path: string, cap: number) => `（已自动为您签退${path}，停留超过${cap}小时，按${cap}小时计入）`;
const DUPLICATE = (time: string, path: string) => `您已于${time}在${path}签到，无需重复签到。离村时请发送“签退”。`;
const TIP = '发送位置（＋ → 位置）可核验签到；离村时发送“签退”。';

export default defineCommand({
  name: '签到',
  aliases: ['打卡', '到村'],
  usage: '签到 村名',
  summary: '到村签到，例如：签到 丁门村',
  args: z.string().min(1, NEED_VILLAGE).transform((village) => ({ village })),
  async handle({ village }, env) {
    const v = await requireVillage(env, village);
    const result = await checkIn(env.manager, { cadre: env.cadre, villageId: v.id, now: env.now, source: 'chat' });
    if (result.kind === 'duplicate') {
      return DUPLICATE(formatShanghai(result.visit.startedAt), placeName(v.fullName));
    }
    const lines = [RECORDED(placeName(v.fullName), formatShanghai(env.now)), await visitCountLine(env, env.cadre, v.id, v.viaUnit)];
    if (result.closed) {
      const { visit: closed, capHours } = result.closed;
      const prev = placeName((await env.manager.getRepository(Region).findOneByOrFail({ id: closed.villageId })).fullName);
      lines.push(capHours === null
        ? CLOSED_PREVIOUS(prev, formatDuration(closed.durationMinutes ?? 0))
        : CLOSED_PREVIOUS_CAPPED(prev, capHours));
    }
    lines.push(TIP);
    return lines.join('\n');
  },
});
