import { randomBytes, randomInt } from 'node:crypto';
import type { WecomConfig } from '../config';
import { decryptMessage, sealMessage } from '../wecom/crypto';
import { cdata, parseMessageXml } from '../wecom/envelope';
import type { SimulatorState } from './simulator';

/**
 * The demo chat page's picture button (demo mode only): the picture goes into
 * the built-in simulator's media store, as media/upload would put it, and an
 * encrypted image message (docs/wecom.md §2: PicUrl, MediaId) is posted to
 * /wecom/callback exactly as WeCom would send it. The demo route
 * (src/demo/routes.ts) calls this with the mounted simulator's state.
 */

export interface DemoPictureInput {
  media: SimulatorState['media'];
  wecom: Pick<WecomConfig, 'corpId' | 'agentId' | 'token' | 'encodingAesKey'>;
  /** Where the app listens, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  userid: string;
  data: Buffer;
  contentType: string;
  now: Date;
  random?: (bytes: number) => Buffer;
}

export interface DemoPictureResult {
  mediaId: string;
  msgId: string;
  /** HTTP status of the callback. */
  status: number;
  /** The passive reply's text, or null when the reply goes through the outbox. */
  reply: string | null;
}

export async function sendDemoPicture(input: DemoPictureInput): Promise<DemoPictureResult> {
  const random = input.random ?? randomBytes;
  const mediaId = `demo-${random(12).toString('hex')}`;
  input.media.set(mediaId, { data: input.data, contentType: input.contentType, filename: `${mediaId}.jpg` });
  // 19 digits like WeCom's 64-bit MsgIds.
  const msgId = String(7n * 10n ** 18n + (random(8).readBigUInt64BE() % 10n ** 18n));
  const createTime = Math.floor(input.now.getTime() / 1000);
  const xml =
    `<xml><ToUserName>${cdata(input.wecom.corpId)}</ToUserName><FromUserName>${cdata(input.userid)}</FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType>${cdata('image')}</MsgType>` +
    `<PicUrl>${cdata(`${input.baseUrl}/demo/media/${mediaId}`)}</PicUrl><MediaId>${cdata(mediaId)}</MediaId>` +
    `<MsgId>${msgId}</MsgId><AgentID>${input.wecom.agentId}</AgentID></xml>`;
  const timestamp = String(createTime);
  const nonce = String(randomInt(1e9));
  const sealed = sealMessage(input.wecom, xml, { timestamp, nonce, random: random(16) });
  const q = new URLSearchParams({ msg_signature: sealed.signature, timestamp, nonce });
  const res = await fetch(`${input.baseUrl}/wecom/callback?${q}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: `<xml><ToUserName>${cdata(input.wecom.corpId)}</ToUserName><Encrypt>${cdata(sealed.encrypt)}</Encrypt><AgentID>${cdata(String(input.wecom.agentId))}</AgentID></xml>`,
  });
  const body = await res.text();
  const encrypt = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(body)?.[1];
  const reply = encrypt ? (parseMessageXml(decryptMessage(input.wecom, encrypt)).content ?? null) : null;
  return { mediaId, msgId, status: res.status, reply };
}
