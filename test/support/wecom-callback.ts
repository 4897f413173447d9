import { randomBytes, randomInt } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import type { Bot, IncomingMessage } from '../../src/services/inbound/bot-port';

/**
 * Builds callbacks exactly as WeCom sends them, with @wecom/crypto directly
 * (independent of src/wecom), and reads passive replies back.
 */
export interface TestCreds {
  token: string;
  encodingAesKey: string;
  corpId: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function generateCreds(corpId = 'wwtest0000000001'): TestCreds {
  const pick = (n: number) => Array.from({ length: n }, () => ALNUM[randomInt(ALNUM.length)]).join('');
  return { token: pick(20), encodingAesKey: pick(43), corpId };
}

/** WeCom's environment for loadConfig: the test's creds plus the other required variables. */
export function wecomEnv(c: TestCreds): Record<string, string> {
  return {
    WECOM_CORP_ID: c.corpId,
    WECOM_AGENT_ID: '1000002',
    WECOM_SECRET: 'test-secret',
    WECOM_TOKEN: c.token,
    WECOM_ENCODING_AES_KEY: c.encodingAesKey,
    ADMIN_TOKEN: 'test-admin-token',
    PUBLIC_URL: 'https://sl.example.gov.cn',
    LOG_LEVEL: 'silent',
  };
}

export function textXml(from: string, content: string, msgId: string, createTime = Math.floor(Date.now() / 1000)): string {
  return (
    `<xml><ToUserName><![CDATA[ww]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`
  );
}

export function eventXml(from: string, event: string, createTime = Math.floor(Date.now() / 1000)): string {
  return (
    `<xml><ToUserName><![CDATA[ww]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
    `<Event><![CDATA[${event}]]></Event><EventKey><![CDATA[]]></EventKey><AgentID>1000002</AgentID></xml>`
  );
}

export interface SignedPost {
  url: string;
  body: string;
}

/** The POST WeCom would make for this decrypted XML; overrides forge bad requests. */
export function signedPost(
  c: TestCreds,
  xml: string,
  o: { timestamp?: number; corpId?: string; encrypt?: string; signWith?: string; nonce?: string } = {},
): SignedPost {
  const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? String(randomInt(1e9));
  const enc = o.encrypt ?? encrypt(c.encodingAesKey, xml, o.corpId ?? c.corpId, randomBytes(16));
  const sig = getSignature(o.signWith ?? c.token, timestamp, nonce, enc);
  const q = new URLSearchParams({ msg_signature: sig, timestamp, nonce });
  return {
    url: `/wecom/callback?${q}`,
    body: `<xml><ToUserName><![CDATA[${c.corpId}]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`,
  };
}

/** Verifies and decrypts a passive reply body; returns the inner XML. */
export function openReply(c: TestCreds, body: string): string {
  const get = (tag: string) => new RegExp(`<${tag}>(?:<!\\[CDATA\\[)?([^<\\]]*)(?:\\]\\]>)?</${tag}>`).exec(body)?.[1];
  const enc = get('Encrypt')!;
  const sig = getSignature(c.token, get('TimeStamp')!, get('Nonce')!, enc);
  if (sig !== get('MsgSignature')) throw new Error('reply signature does not verify');
  const out = decrypt(c.encodingAesKey, enc);
  if (out.id !== c.corpId) throw new Error('reply receiveid is not the CorpID');
  return out.message;
}

/** A stand-in chat: records calls and answers with `respond` (which may throw or wait). */
export function recordingBot(respond: (msg: IncomingMessage, call: number) => Promise<string | null> | string | null) {
  const calls: IncomingMessage[] = [];
  const bot: Bot = {
    async handle(msg) {
      calls.push(msg);
      const text = await respond(msg, calls.length);
      return text === null ? null : { text };
    },
  };
  return { bot, calls };
}
