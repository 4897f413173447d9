import { ACK_BUTTON_KEY, noticeOfTask, queueAckedCardUpdate } from '../../src/services/notices/cards';
import { ackNotice } from '../../src/services/notices/notices';
import { formatShanghai } from '../../src/lib/time';
import { ACKED } from '../commands/ack';
import { quote } from '../text';
import type { EventHandler } from './handler';

/**
 * A tap on a card's button (template_card_event). 收到 on a notice card
 * acknowledges that notice exactly like typing 收到, and the tap's response
 * code turns the button into 已确认 with the time.
 */

const ALREADY = (at: string) => `您已于${at}确认收到该通知，无需重复确认。`;
const NOT_YOURS = '该通知不是发给您的，或已撤回。';
const UNKNOWN_CARD = '该卡片已失效。发送“帮助”查看全部指令。';

export const handleCardTap: EventHandler = async (msg, env) => {
  const noticeId = noticeOfTask(msg.taskId ?? '');
  if (noticeId === null || msg.eventKey !== ACK_BUTTON_KEY) {
    env.logger.info({ userId: env.cadre.userid, taskId: msg.taskId, key: msg.eventKey }, 'tap on an unknown card');
    return UNKNOWN_CARD;
  }
  const r = await ackNotice(env.manager, env.cadre.id, noticeId, env.now);
  if (r.kind === 'none') return NOT_YOURS;
  if (msg.responseCode) {
    await queueAckedCardUpdate(env.manager, {
      noticeId, userid: env.cadre.userid, ackedAt: r.ackedAt, now: env.now,
      tap: { inboundId: msg.inboundId, responseCode: msg.responseCode },
    });
  }
  return r.kind === 'already' ? ALREADY(formatShanghai(r.ackedAt)) : ACKED(r.senderName, quote(r.notice.content, 40));
};
