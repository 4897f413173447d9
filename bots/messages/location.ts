import { checkInByLocation } from '../../src/services/visits/village-checkins';
import { formatShanghai } from '../../src/lib/time';
import type { IncomingMessage } from '../../src/services/inbound/bot-port';
import type { MessageHandler } from './handler';
import { visitCountLine } from '../replies';
import { formatDistance } from '../text';
import { placeName } from '../../src/lib/place';

/** A shared location (WeCom location message): geofence check against the village's radius. */

const ATTACHED_OK = (path: string, d: string) => `已为您在${path}的签到附上位置：距村中心${d}，位置已核验。`;
const ATTACHED_FAR = (path: string, d: string, r: string) =>
  `已为您在${path}的签到附上位置：距村中心${d}，超出${r}范围，本次签到未核验。`;
const ATTACHED_NO_COORDS = (path: string) => `已为您在${path}的签到附上位置（该村未登记坐标，无法核验距离）。`;
const CHECKED_IN = (path: string, time: string, d: string) => `已按位置签到：${path}\n时间：${time}\n距村中心${d}，位置已核验。`;
const DUPLICATE = (path: string, time: string) => `您已于${time}在${path}签到，无需重复签到。`;
const TOO_FAR = (path: string, d: string, r: string) =>
  `您离最近的联系村${path}有${d}，超出${r}范围，未签到。到村后请再发送位置，或发送“签到 村名”（未核验）。`;
const NO_VILLAGE = '您的联系村都没有登记坐标，无法按位置签到。请发送“签到 村名”。';
const BAD_LOCATION = '未收到有效的位置，请重新发送位置。';

export const handleLocation: MessageHandler = async (msg: IncomingMessage, env) => {
  const { latitude, longitude } = msg;
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude!) > 90 || Math.abs(longitude!) > 180) {
    return BAD_LOCATION;
  }
  const r = await checkInByLocation(env.manager, { cadre: env.cadre, latitude: latitude!, longitude: longitude!, now: env.now });
  switch (r.kind) {
    case 'attached': {
      const path = placeName(r.village.fullName);
      if (r.visit.distanceM === null) return ATTACHED_NO_COORDS(path);
      const d = formatDistance(r.visit.distanceM);
      return r.visit.verified ? ATTACHED_OK(path, d) : ATTACHED_FAR(path, d, formatDistance(r.village.radiusM));
    }
    case 'checked_in': {
      const path = placeName(r.village.fullName);
      if (r.result.kind === 'duplicate') return DUPLICATE(path, formatShanghai(r.result.visit.startedAt));
      return [
        CHECKED_IN(path, formatShanghai(env.now), formatDistance(r.result.visit.distanceM ?? 0)),
        await visitCountLine(env, env.cadre, r.village.id),
      ].join('\n');
    }
    case 'too_far':
      return TOO_FAR(placeName(r.village.fullName), formatDistance(r.distanceM), formatDistance(r.village.radiusM));
    case 'no_village':
      return NO_VILLAGE;
  }
};
