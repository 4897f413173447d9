import { randomBytes, randomInt } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { DataSource } from 'typeorm';
import type { WecomConfig } from '../config';
import { decryptMessage, sealMessage, signatureOf, type CallbackCredentials } from '../wecom/crypto';
import { cdata } from '../wecom/envelope';
import { groupRobots, pickerPeople, type PickerPerson } from '../services/people/directory';
import type { SimulatorState } from './simulator';

/**
 * The demo chat page's server side: builds the message XML WeCom would send,
 * encrypts and signs it with the app's callback credentials and POSTs it to
 * the real /wecom/callback over HTTP — nothing is short-circuited. It also
 * reads back what the simulator recorded for a person and for group robots.
 */

export type DemoInput =
  | { kind: 'text'; content: string }
  | { kind: 'location'; latitude: number; longitude: number; label: string }
  | { kind: 'image'; mediaId: string; picUrl: string };

export type DemoPerson = PickerPerson;

/** Active roster people for the picker, with the village their unit is linked to now (for "share location"). */
export function demoPeople(db: DataSource, limit = 3000): Promise<DemoPerson[]> {
  return pickerPeople(db, limit);
}

export function messageXml(corpId: string, agentId: number, userid: string, input: DemoInput, now: Date, msgId: string): string {
  const head =
    `<xml><ToUserName>${cdata(corpId)}</ToUserName><FromUserName>${cdata(userid)}</FromUserName>` +
    `<CreateTime>${Math.floor(now.getTime() / 1000)}</CreateTime>`;
  const tail = `<MsgId>${msgId}</MsgId><AgentID>${agentId}</AgentID></xml>`;
  if (input.kind === 'text') return `${head}<MsgType>${cdata('text')}</MsgType><Content>${cdata(input.content)}</Content>${tail}`;
  if (input.kind === 'image') {
    return `${head}<MsgType>${cdata('image')}</MsgType><PicUrl>${cdata(input.picUrl)}</PicUrl><MediaId>${cdata(input.mediaId)}</MediaId>${tail}`;
  }
  return (
    `${head}<MsgType>${cdata('location')}</MsgType><Location_X>${input.latitude}</Location_X>` +
    `<Location_Y>${input.longitude}</Location_Y><Scale>15</Scale><Label>${cdata(input.label)}</Label>${tail}`
  );
}

/** POSTs the encrypted message to `callbackUrl` exactly as WeCom would; returns the decrypted passive reply text. */
export async function sendAsWecom(
  wecom: WecomConfig,
  callbackUrl: string,
  userid: string,
  input: DemoInput,
  now: Date,
): Promise<{ status: number; reply: string | null }> {
  const creds: CallbackCredentials = { token: wecom.token, encodingAesKey: wecom.encodingAesKey, corpId: wecom.corpId };
  const msgId = `${now.getTime()}${randomInt(1000, 9999)}`;
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const nonce = String(randomInt(1e9));
  const sealed = sealMessage(creds, messageXml(wecom.corpId, wecom.agentId, userid, input, now, msgId), {
    timestamp, nonce, random: randomBytes(16),
  });
  const q = new URLSearchParams({ msg_signature: sealed.signature, timestamp, nonce });
  const res = await fetch(`${callbackUrl}?${q}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: `<xml><ToUserName>${cdata(wecom.corpId)}</ToUserName><Encrypt>${cdata(sealed.encrypt)}</Encrypt><AgentID>${wecom.agentId}</AgentID></xml>`,
    signal: AbortSignal.timeout(10_000),
  });
  const body = await res.text();
  if (res.status !== 200 || body.trim() === '') return { status: res.status, reply: null };
  return { status: res.status, reply: openPassiveReply(creds, body) };
}

const parser = new XMLParser({ parseTagValue: false, trimValues: false });

/** Verifies and decrypts a passive reply the way the WeCom client would; returns its Content. */
export function openPassiveReply(creds: CallbackCredentials, body: string): string {
  const outer = parser.parse(body).xml as { Encrypt: string; MsgSignature: string; TimeStamp: string; Nonce: string };
  if (signatureOf(creds.token, String(outer.TimeStamp), String(outer.Nonce), outer.Encrypt) !== outer.MsgSignature) {
    throw new Error('passive reply signature does not verify');
  }
  const inner = parser.parse(decryptMessage(creds, outer.Encrypt)).xml as { Content?: string };
  return String(inner.Content ?? '');
}

const IMAGE_DATA_URL = /^data:(image\/(?:jpeg|png|gif|webp));base64,([A-Za-z0-9+/=]+)$/;
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/**
 * An uploaded picture becomes simulator media, as WeCom keeps a picture sent
 * in chat for media/get (3 days); returns the image message to send, or null
 * for anything that is not a small image.
 */
export function storeDemoImage(sim: SimulatorState, dataUrl: string, mediaBase: string): DemoInput | null {
  const m = IMAGE_DATA_URL.exec(dataUrl);
  if (!m) return null;
  const data = Buffer.from(m[2], 'base64');
  if (data.length === 0 || data.length > MAX_IMAGE_BYTES) return null;
  const mediaId = `demo-${randomBytes(12).toString('hex')}`;
  sim.media.set(mediaId, { data, contentType: m[1], filename: `${mediaId}.${m[1].split('/')[1]}` });
  return { kind: 'image', mediaId, picUrl: `${mediaBase}?media_id=${mediaId}` };
}

export interface DemoMessage {
  seq: number;
  at: string;
  /** 'app' for messages to the person, 'robot' for group robot messages. */
  via: 'app' | 'appchat' | 'robot';
  group?: string;
  msgtype: string;
  text: string;
  /** A template card as the page draws it. */
  card?: DemoCard;
}

/** What the page shows of a template card (docs/wecom.md §8): its texts, fields, buttons and the page it opens. */
export interface DemoCard {
  cardType: string;
  taskId?: string;
  title: string;
  desc?: string;
  text?: string;
  fields: { keyname: string; value: string }[];
  buttons: { text: string; key: string }[];
  url?: string;
}

/** What the simulator recorded for this person and for every group robot, after `since`. */
export async function demoMessages(db: DataSource, sim: SimulatorState, userid: string, since: number): Promise<DemoMessage[]> {
  const names = new Map((await groupRobots(db)).map((g) => [g.robotKey, g.name]));
  const mine = sim.query({ touser: userid, since });
  const robots = sim.query({ api: 'webhook/send', since });
  return [...mine, ...robots]
    .sort((a, b) => a.seq - b.seq)
    .map((s) => ({
      seq: s.seq,
      at: s.at,
      via: s.api === 'webhook/send' ? 'robot' : s.api === 'appchat/send' ? 'appchat' : 'app',
      group: s.robotKey ? names.get(s.robotKey) ?? '群' : undefined, // never the key itself
      msgtype: s.msgtype,
      text: textOf(s.msgtype, s.body),
      ...(s.msgtype === 'template_card' ? { card: cardOf(s.body) } : {}),
    }));
}

function cardOf(body: Record<string, unknown>): DemoCard {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const title = (body.main_title ?? {}) as Record<string, unknown>;
  const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
  return {
    cardType: String(body.card_type ?? ''),
    taskId: str(body.task_id),
    title: str(title.title) ?? '',
    desc: str(title.desc),
    text: str(body.sub_title_text),
    fields: list<Record<string, unknown>>(body.horizontal_content_list).map((f) => ({ keyname: String(f.keyname ?? ''), value: String(f.value ?? '') })),
    buttons: list<Record<string, unknown>>(body.button_list).map((b) => ({ text: String(b.text ?? ''), key: String(b.key ?? '') })),
    url: str((body.card_action as Record<string, unknown> | undefined)?.url),
  };
}

/** The person's card buttons that message/update_template_card replaced, by task id. */
export function demoCardButtons(sim: SimulatorState, userid: string): Record<string, string> {
  const suffix = `|${userid.toLowerCase()}`;
  return Object.fromEntries([...sim.cardButtons].filter(([k]) => k.endsWith(suffix)).map(([k, v]) => [k.slice(0, -suffix.length), v]));
}

function textOf(msgtype: string, body: Record<string, unknown>): string {
  if (msgtype === 'textcard') return `${body.title ?? ''}\n${body.description ?? ''}`;
  if (msgtype === 'template_card') return String((body.main_title as { title?: string } | undefined)?.title ?? '[卡片消息]');
  // A robot's file (the console's 通报): the simulator records the uploaded file's name.
  if (msgtype === 'file') return `[文件] ${String(body.filename ?? '')}`;
  return String(body.content ?? `[${msgtype}]`);
}
