import { AppError } from '../lib/errors';
import { openEncrypted, sealMessage, type CallbackCredentials } from './crypto';
import { cdata, parseMessageXml, parseOuterEnvelope, type ParsedMessage } from './envelope';

/**
 * WeCom's side of the callback: what the simulator and the demo chat page use
 * to deliver a message to POST /wecom/callback exactly as WeCom would, and to
 * read the passive reply that comes back.
 */

/** A member's message as WeCom's decrypted XML (docs/wecom.md §2). */
export function inboundMessageXml(m: {
  corpId: string;
  agentId: number;
  fromUser: string;
  createTime: number;
  msgId: string;
  content?: string;
  location?: { latitude: number; longitude: number; label?: string; scale?: number };
}): string {
  const head =
    `<ToUserName>${cdata(m.corpId)}</ToUserName><FromUserName>${cdata(m.fromUser)}</FromUserName>` +
    `<CreateTime>${m.createTime}</CreateTime>`;
  const tail = `<MsgId>${m.msgId}</MsgId><AgentID>${m.agentId}</AgentID>`;
  if (m.location) {
    const l = m.location;
    return (
      `<xml>${head}<MsgType>${cdata('location')}</MsgType><Location_X>${l.latitude}</Location_X>` +
      `<Location_Y>${l.longitude}</Location_Y><Scale>${l.scale ?? 15}</Scale><Label>${cdata(l.label ?? '')}</Label>${tail}</xml>`
    );
  }
  return `<xml>${head}<MsgType>${cdata('text')}</MsgType><Content>${cdata(m.content ?? '')}</Content>${tail}</xml>`;
}

/** The encrypted, signed POST for a decrypted message: append `query` to the callback URL, send `body`. */
export function callbackRequest(
  creds: CallbackCredentials,
  messageXml: string,
  opts: { timestamp: string; nonce: string; random: Buffer; agentId: number },
): { query: { msg_signature: string; timestamp: string; nonce: string }; body: string } {
  const sealed = sealMessage(creds, messageXml, opts);
  return {
    query: { msg_signature: sealed.signature, timestamp: opts.timestamp, nonce: opts.nonce },
    body:
      `<xml><ToUserName>${cdata(creds.corpId)}</ToUserName><Encrypt>${cdata(sealed.encrypt)}</Encrypt>` +
      `<AgentID>${cdata(String(opts.agentId))}</AgentID></xml>`,
  };
}

/**
 * Verifies and decrypts the callback's answer: the passive reply's message,
 * or null for WeCom's empty "received" answer. Throws on a reply that does not verify.
 */
export function openPassiveReply(creds: CallbackCredentials, responseBody: string): ParsedMessage | null {
  if (responseBody.trim() === '') return null;
  const outer = parseOuterEnvelope(responseBody);
  const field = (tag: string) => new RegExp(`<${tag}>(?:<!\\[CDATA\\[)?([^<\\]]*)(?:\\]\\]>)?</${tag}>`).exec(responseBody)?.[1];
  const signature = field('MsgSignature');
  const timestamp = field('TimeStamp');
  const nonce = field('Nonce');
  if (!signature || !timestamp || !nonce) throw new AppError('bad_reply', 'passive reply without signature fields');
  return parseMessageXml(openEncrypted(creds, { signature, timestamp, nonce }, outer.encrypt));
}

/** A member's event as WeCom's decrypted XML (docs/wecom.md §2, §8): menu taps, card taps, opening the app. */
export interface EventInput {
  event: 'click' | 'location_select' | 'pic_photo_or_album' | 'enter_agent' | 'template_card_event' | string;
  eventKey?: string;
  /** location_select: the picked place (SendLocationInfo). */
  location?: { latitude: number; longitude: number; label?: string; poiname?: string };
  /** pic_photo_or_album: how many pictures were picked (SendPicsInfo). */
  pictures?: number;
  /** template_card_event */
  taskId?: string;
  cardType?: string;
  responseCode?: string;
}

export function eventMessageXml(m: { corpId: string; agentId: number; fromUser: string; createTime: number } & EventInput): string {
  const parts = [
    `<ToUserName>${cdata(m.corpId)}</ToUserName><FromUserName>${cdata(m.fromUser)}</FromUserName>`,
    `<CreateTime>${m.createTime}</CreateTime><MsgType>${cdata('event')}</MsgType>`,
    `<Event>${cdata(m.event)}</Event><EventKey>${cdata(m.eventKey ?? '')}</EventKey>`,
  ];
  if (m.location) {
    const l = m.location;
    parts.push(
      `<SendLocationInfo><Location_X>${cdata(String(l.latitude))}</Location_X><Location_Y>${cdata(String(l.longitude))}</Location_Y>` +
      `<Scale>${cdata('15')}</Scale><Label>${cdata(l.label ?? '')}</Label><Poiname>${cdata(l.poiname ?? '')}</Poiname></SendLocationInfo>`,
    );
  }
  if (m.pictures !== undefined) {
    const items = Array.from({ length: m.pictures }, (_, i) => `<item><PicMd5Sum>${cdata(`md5-${i + 1}`)}</PicMd5Sum></item>`).join('');
    parts.push(`<SendPicsInfo><Count>${m.pictures}</Count><PicList>${items}</PicList></SendPicsInfo>`);
  }
  if (m.taskId !== undefined) {
    parts.push(
      `<TaskId>${cdata(m.taskId)}</TaskId><CardType>${cdata(m.cardType ?? 'button_interaction')}</CardType>` +
      `<ResponseCode>${cdata(m.responseCode ?? '')}</ResponseCode>`,
    );
  }
  parts.push(`<AgentID>${m.agentId}</AgentID>`);
  return `<xml>${parts.join('')}</xml>`;
}
