import { randomBytes, randomInt } from 'node:crypto';
import { encrypt, getSignature } from '@wecom/crypto';

/** The benchmark's stages: bare verify+decrypt, plus one insert, the real app. */
export type Stage = 'floor' | 'insert' | 'full';
/** The insert floor's own table in the bench database (created and dropped by the run). */
export const FLOOR_TABLE = 'bench_floor_messages';
/** BullMQ prefix of the full stage's outbox queue (kept apart from a running app's). */
export const INBOUND_PREFIX = 'bench-chat';

/** Callback credentials made up for one benchmark run (the server gets them as WECOM_* variables). */
export interface BenchCreds {
  corpId: string;
  token: string;
  encodingAesKey: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function benchCreds(): BenchCreds {
  const pick = (n: number) => Array.from({ length: n }, () => ALNUM[randomInt(ALNUM.length)]).join('');
  return { corpId: 'wwbench000000001', token: pick(24), encodingAesKey: pick(43) };
}

export function wecomEnv(c: BenchCreds): Record<string, string> {
  return {
    WECOM_CORP_ID: c.corpId,
    WECOM_AGENT_ID: '1000002',
    WECOM_SECRET: 'bench-secret',
    WECOM_TOKEN: c.token,
    WECOM_ENCODING_AES_KEY: c.encodingAesKey,
    ADMIN_TOKEN: 'bench-admin-token',
    PUBLIC_URL: 'https://sl.example.gov.cn',
  };
}

/**
 * An encrypted text callback exactly as WeCom sends it (docs/wecom.md §2):
 * fresh timestamp (of the benchmark's clock), random nonce, signature over the Encrypt text.
 */
export function callbackPost(
  c: BenchCreds, from: string, content: string, msgId: string, nowMs = Date.now(),
): { path: string; body: string } {
  const ts = Math.floor(nowMs / 1000);
  const inner =
    `<xml><ToUserName><![CDATA[${c.corpId}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName>` +
    `<CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content>` +
    `<MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`;
  const enc = encrypt(c.encodingAesKey, inner, c.corpId, randomBytes(16));
  const nonce = String(randomInt(1e9));
  const sig = getSignature(c.token, String(ts), nonce, enc);
  return {
    path: `/wecom/callback?${new URLSearchParams({ msg_signature: sig, timestamp: String(ts), nonce })}`,
    body: `<xml><ToUserName><![CDATA[${c.corpId}]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`,
  };
}
