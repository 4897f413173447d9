import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { IncomingMessage } from './messages';
import { AppError } from '../lib/errors';
import { sealMessage, type CallbackCredentials } from './crypto';

/**
 * The XML of WeCom callbacks (docs/wecom.md §2): the outer POST body, the
 * decrypted message, and the passive reply. Entities are never expanded and a
 * DOCTYPE is refused outright (no XXE, no entity bombs); values stay strings
 * (MsgId is 64-bit); CDATA and plain text are both accepted (vector B has none).
 */

const USER_MESSAGE = '请求无效。';

export class EnvelopeError extends AppError {
  constructor(detail: string) {
    super('bad_xml', detail, USER_MESSAGE, 400);
    this.name = 'EnvelopeError';
  }
}

const CDATA = '#cdata';
const TEXT = '#text';

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: false,
  jPath: false, // no callbacks read the path; building it cost a quarter of each parse
  cdataPropName: CDATA,
  textNodeName: TEXT,
});

/** The five predefined XML entities and character references: all plain text may carry. */
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };
function decodeText(s: string): string {
  return s.replace(/&(lt|gt|amp|apos|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, name: string) => {
    if (name[0] !== '#') return PREDEFINED[name];
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** A leaf's value: CDATA parts verbatim, plain text trimmed and decoded. */
function textOf(node: unknown, tag: string): string {
  if (typeof node === 'string') return decodeText(node.trim());
  if (node && typeof node === 'object' && !Array.isArray(node)) {
    const o = node as Record<string, unknown>;
    const extra = Object.keys(o).filter((k) => k !== CDATA && k !== TEXT);
    if (extra.length === 0) {
      const raw = o[CDATA] ?? [];
      const cdata = (Array.isArray(raw) ? raw : [raw]).map(String).join('');
      const text = typeof o[TEXT] === 'string' ? decodeText((o[TEXT] as string).trim()) : '';
      return cdata + text;
    }
  }
  throw new EnvelopeError(`<${tag}> is not a single text value`);
}

/**
 * Containers some events carry (docs/wecom.md §2): their leaves are read as
 * `Container.Leaf`; a repeated element (SendPicsInfo's PicList items) is not read.
 */
const CONTAINERS = new Set(['SendLocationInfo', 'SendPicsInfo', 'ScanCodeInfo', 'SelectedItems', 'PicList']);

function readContainer(node: unknown, tag: string, out: Record<string, string>): void {
  if (!node || typeof node !== 'object' || Array.isArray(node)) throw new EnvelopeError(`<${tag}> is not a container`);
  for (const [child, value] of Object.entries(node as Record<string, unknown>)) {
    if (child === TEXT || child === CDATA || Array.isArray(value)) continue;
    const path = `${tag}.${child}`;
    if (CONTAINERS.has(child)) readContainer(value, path, out);
    else if (value !== null && typeof value === 'object' && Object.keys(value).some((k) => k !== CDATA && k !== TEXT)) continue;
    else out[path] = textOf(value, path);
  }
}

/** Parses `<xml>…</xml>` into its leaf values by tag name (container leaves as `Container.Leaf`). */
function parseFlat(xml: string): Record<string, string> {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new EnvelopeError('DOCTYPE is not accepted');
  if (XMLValidator.validate(xml) !== true) throw new EnvelopeError('malformed XML');
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch {
    throw new EnvelopeError('malformed XML'); // the validator passes some inputs the parser refuses
  }
  const root = doc.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new EnvelopeError('no <xml> root');
  const out: Record<string, string> = {};
  for (const [tag, value] of Object.entries(root as Record<string, unknown>)) {
    if (tag === TEXT) continue; // whitespace between elements
    if (CONTAINERS.has(tag) && value !== null && typeof value === 'object' && !Array.isArray(value)) readContainer(value, tag, out);
    else out[tag] = tag === CDATA ? '' : textOf(value, tag);
  }
  return out;
}

export interface OuterEnvelope {
  encrypt: string;
  toUserName?: string;
  agentId?: string;
}

/** The POST body `<xml><ToUserName/><Encrypt/><AgentID/></xml>`. */
export function parseOuterEnvelope(xml: string): OuterEnvelope {
  const f = parseFlat(xml);
  if (!f.Encrypt) throw new EnvelopeError('missing <Encrypt>');
  return { encrypt: f.Encrypt, toUserName: f.ToUserName, agentId: f.AgentID };
}

/** A decrypted message before it is stored (it gets its inboundId then). */
export type ParsedMessage = Omit<IncomingMessage, 'inboundId'>;

function optionalNumber(v: string | undefined, tag: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new EnvelopeError(`<${tag}> is not a number`);
  return n;
}

/** The decrypted message XML (text, image, location, event) as the chat sees it. */
export function parseMessageXml(xml: string): ParsedMessage {
  const f = parseFlat(xml);
  for (const tag of ['FromUserName', 'CreateTime', 'MsgType']) {
    if (!f[tag]) throw new EnvelopeError(`missing <${tag}>`);
  }
  if (!/^\d{1,12}$/.test(f.CreateTime)) throw new EnvelopeError('<CreateTime> is not unix seconds');
  if (f.FromUserName.length > 64 || f.MsgType.length > 20) throw new EnvelopeError('field too long');
  if (f.MsgId !== undefined && !/^\d{1,20}$/.test(f.MsgId)) throw new EnvelopeError('<MsgId> is not an integer');
  const msg: ParsedMessage = {
    msgType: f.MsgType,
    fromUser: f.FromUserName,
    createTime: Number(f.CreateTime),
    msgId: f.MsgId || undefined,
  };
  switch (f.MsgType) {
    case 'text':
      msg.content = f.Content ?? '';
      break;
    case 'image':
      msg.picUrl = f.PicUrl;
      msg.mediaId = f.MediaId;
      break;
    case 'location':
      msg.latitude = optionalNumber(f.Location_X, 'Location_X');
      msg.longitude = optionalNumber(f.Location_Y, 'Location_Y');
      msg.label = f.Label;
      if (msg.latitude === undefined || msg.longitude === undefined) throw new EnvelopeError('location without coordinates');
      break;
    case 'event':
      if (!f.Event) throw new EnvelopeError('missing <Event>');
      msg.event = f.Event;
      msg.eventKey = f.EventKey ?? '';
      if (f.Event === 'LOCATION') {
        msg.latitude = optionalNumber(f.Latitude, 'Latitude');
        msg.longitude = optionalNumber(f.Longitude, 'Longitude');
      }
      if (f.Event === 'location_select') {
        msg.latitude = optionalNumber(f['SendLocationInfo.Location_X'], 'Location_X');
        msg.longitude = optionalNumber(f['SendLocationInfo.Location_Y'], 'Location_Y');
        msg.label = f['SendLocationInfo.Label'];
      }
      if (f.Event === 'template_card_event') {
        if ((f.TaskId ?? '').length > 128 || (f.ResponseCode ?? '').length > 512) throw new EnvelopeError('field too long');
        msg.taskId = f.TaskId ?? '';
        msg.cardType = f.CardType ?? '';
        msg.responseCode = f.ResponseCode ?? '';
      }
      if ((msg.eventKey ?? '').length > 128) throw new EnvelopeError('field too long');
      break;
    default:
      break; // voice, video, link…: stored; the chat decides what to say
  }
  return msg;
}

/** CDATA that survives a "]]>" inside the text (§7 pitfall 4). */
export function cdata(text: string): string {
  return `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

/** The plain passive text reply (§2), before encryption. */
export function textReplyXml(r: { toUser: string; corpId: string; createTime: number; content: string }): string {
  return (
    `<xml><ToUserName>${cdata(r.toUser)}</ToUserName><FromUserName>${cdata(r.corpId)}</FromUserName>` +
    `<CreateTime>${r.createTime}</CreateTime><MsgType>${cdata('text')}</MsgType>` +
    `<Content>${cdata(r.content)}</Content></xml>`
  );
}

/** The encrypted wrapper WeCom expects as the HTTP response body. */
export function encryptedReplyXml(r: { encrypt: string; signature: string; timestamp: string; nonce: string }): string {
  return (
    `<xml><Encrypt>${cdata(r.encrypt)}</Encrypt><MsgSignature>${cdata(r.signature)}</MsgSignature>` +
    `<TimeStamp>${r.timestamp}</TimeStamp><Nonce>${cdata(r.nonce)}</Nonce></xml>`
  );
}

/** Builds, encrypts and signs a passive text reply; `random` is the 16-byte AES prefix. */
export function passiveTextReply(
  creds: CallbackCredentials,
  r: { toUser: string; content: string; now: Date; timestamp: string; nonce: string; random: Buffer },
): string {
  const plain = textReplyXml({
    toUser: r.toUser,
    corpId: creds.corpId,
    createTime: Math.floor(r.now.getTime() / 1000),
    content: r.content,
  });
  const sealed = sealMessage(creds, plain, { timestamp: r.timestamp, nonce: r.nonce, random: r.random });
  return encryptedReplyXml({ ...sealed, timestamp: r.timestamp, nonce: r.nonce });
}
