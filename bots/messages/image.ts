import { recordImage, type AttachTarget } from '../../src/services/photos/attach';
import { formatShanghai } from '../../src/lib/time';
import type { MessageHandler } from './handler';
import { placeName } from '../../src/lib/place';

/**
 * A picture sent in chat (WeCom image message: PicUrl, MediaId): recorded and
 * attached to its record at once, fetched by the photo-fetch job after the
 * reply. Problems with the file itself (not a JPEG/PNG, too large) are
 * reported later through the outbox.
 */

const ATTACHED = {
  visit: (t: AttachTarget) => `已收到照片，附到${placeName(t.villageFullName)}的签到（${formatShanghai(t.at)}）。`,
  household_visit: (t: AttachTarget) =>
    `已收到照片，附到对${t.label}家的走访（${placeName(t.villageFullName)}，${formatShanghai(t.at)}）。`,
  problem: (t: AttachTarget) => `已收到照片，附到问题 ${t.label}（${placeName(t.villageFullName)}）。`,
  problem_close: (t: AttachTarget) => `已收到照片，作为问题 ${t.label} 的销号照片（${placeName(t.villageFullName)}）。`,
};
const UNATTACHED =
  '已收到照片并暂存：30分钟内您没有签到、走访、上报或销号记录可附。如要附到问题，请发送“附图 问题编号”，例如：附图 W2026-0001。';
const DUPLICATE = '该照片已收到，无需重复发送。';
const NO_MEDIA = '未收到有效的图片，请重新发送。';

/** The fetch is queued after the message's transaction commits (BotReply.photoIds). */
export const handleImage: MessageHandler = async (msg, env) => {
  if (!msg.mediaId) return NO_MEDIA;
  const r = await recordImage(env.manager, {
    cadreId: env.cadre.id, inboundId: msg.inboundId, msgId: msg.msgId ?? null, mediaId: msg.mediaId, now: env.now,
  });
  if (r.kind === 'duplicate') return DUPLICATE;
  env.logger.info({ userId: env.cadre.userid, msgId: msg.msgId, photoId: r.photoId, kind: r.target?.kind ?? null }, 'photo recorded');
  return { text: r.target ? ATTACHED[r.target.kind](r.target) : UNATTACHED, photoIds: [r.photoId] };
};
