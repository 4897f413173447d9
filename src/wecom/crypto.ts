import { createDecipheriv, timingSafeEqual } from 'node:crypto';
import { encrypt as wecomEncrypt, getSignature } from '@wecom/crypto';
import { AppError } from '../lib/errors';

/**
 * WXBizMsgCrypt (docs/wecom.md §2): the inner layer nothing but the
 * callback route touches. @wecom/crypto signs and encrypts; it neither
 * compares signatures nor validates padding, msg_len or the receiveid, so
 * decryption is done here with node:crypto and checked byte by byte.
 */

export type WecomCryptoErrorCode =
  | 'bad_signature'
  | 'bad_base64'
  | 'bad_padding'
  | 'bad_length'
  | 'wrong_corp'
  | 'stale_timestamp';

const USER_MESSAGE = '请求无效。';

/** A rejected callback: 403 when it is not from WeCom (signature, corp, replay), 400 when malformed. */
export class WecomCryptoError extends AppError {
  constructor(override readonly code: WecomCryptoErrorCode, detail: string) {
    const forbidden = code === 'bad_signature' || code === 'wrong_corp' || code === 'stale_timestamp';
    super(code, detail, USER_MESSAGE, forbidden ? 403 : 400);
    this.name = 'WecomCryptoError';
  }
}

export interface CallbackCredentials {
  /** The callback Token signatures are made with. */
  token: string;
  /** The 43-character EncodingAESKey. */
  encodingAesKey: string;
  /** The receiveid every plaintext must end with. */
  corpId: string;
}

/** WeCom's PKCS#7 block: pads run 1..32, not AES's 16 (§7 pitfall 1). */
const PAD_BLOCK = 32;
/** random(16) + msg_len(4). */
const HEADER_BYTES = 20;
/** Strict base64: WeCom always sends the canonical form, padding included. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Requests signed more than this far from now are replays (or a broken clock). */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export function signatureOf(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return getSignature(token, timestamp, nonce, encrypt);
}

/** sha1(sort(token, timestamp, nonce, encrypt)) compared in constant time. */
export function verifySignature(
  token: string,
  query: { signature: string; timestamp: string; nonce: string },
  encrypt: string,
): void {
  const expected = Buffer.from(signatureOf(token, query.timestamp, query.nonce, encrypt), 'utf8');
  const given = Buffer.from(query.signature.toLowerCase(), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new WecomCryptoError('bad_signature', 'msg_signature does not match');
  }
}

/** Rejects a request whose timestamp is more than 5 minutes from now (replay). */
export function assertFresh(timestamp: string, now: Date, maxSkewSeconds = MAX_CLOCK_SKEW_SECONDS): void {
  const ts = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
  if (!Number.isFinite(ts) || Math.abs(now.getTime() / 1000 - ts) > maxSkewSeconds) {
    throw new WecomCryptoError('stale_timestamp', 'timestamp outside the allowed window');
  }
}

function aesKey(encodingAesKey: string): { key: Buffer; iv: Buffer } {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (encodingAesKey.length !== 43 || key.length !== 32) throw new Error('EncodingAESKey must be 43 characters');
  return { key, iv: key.subarray(0, 16) };
}

/** Decrypts `Encrypt` (or `echostr`) and returns the message; throws WecomCryptoError on any defect. */
export function decryptMessage(creds: CallbackCredentials, encrypt: string): string {
  if (encrypt.length === 0 || !BASE64.test(encrypt)) throw new WecomCryptoError('bad_base64', 'ciphertext is not base64');
  const cipherText = Buffer.from(encrypt, 'base64');
  if (cipherText.length === 0 || cipherText.length % PAD_BLOCK !== 0) {
    throw new WecomCryptoError('bad_length', `ciphertext length ${cipherText.length} is not a multiple of ${PAD_BLOCK}`);
  }
  const { key, iv } = aesKey(creds.encodingAesKey);
  const decipher = createDecipheriv('aes-256-cbc', key, iv);
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(cipherText), decipher.final()]);

  const pad = plain[plain.length - 1];
  if (pad < 1 || pad > PAD_BLOCK || pad > plain.length || !plain.subarray(plain.length - pad).every((b) => b === pad)) {
    throw new WecomCryptoError('bad_padding', 'PKCS#7 padding is invalid');
  }
  const body = plain.subarray(0, plain.length - pad);
  if (body.length < HEADER_BYTES) throw new WecomCryptoError('bad_length', 'plaintext shorter than its header');
  const msgLen = body.readUInt32BE(16);
  if (msgLen > body.length - HEADER_BYTES) throw new WecomCryptoError('bad_length', 'msg_len exceeds the plaintext');

  const receiveId = body.subarray(HEADER_BYTES + msgLen);
  const corp = Buffer.from(creds.corpId, 'utf8');
  if (receiveId.length !== corp.length || !timingSafeEqual(receiveId, corp)) {
    throw new WecomCryptoError('wrong_corp', 'receiveid is not this CorpID');
  }
  return body.subarray(HEADER_BYTES, HEADER_BYTES + msgLen).toString('utf8');
}

/** Signature check then decryption: what both GET and POST callbacks do. */
export function openEncrypted(
  creds: CallbackCredentials,
  query: { signature: string; timestamp: string; nonce: string },
  encrypt: string,
): string {
  verifySignature(creds.token, query, encrypt);
  return decryptMessage(creds, encrypt);
}

/** AES-encrypts a message for WeCom; `random` is the 16-byte prefix (a parameter so tests are exact). */
export function encryptMessage(creds: CallbackCredentials, message: string, random: Buffer): string {
  if (random.length !== 16) throw new Error('random must be 16 bytes');
  return wecomEncrypt(creds.encodingAesKey, message, creds.corpId, random);
}

/** Encrypt + MsgSignature for a passive reply (§2); the request's timestamp and nonce may be reused. */
export function sealMessage(
  creds: CallbackCredentials,
  message: string,
  opts: { timestamp: string; nonce: string; random: Buffer },
): { encrypt: string; signature: string } {
  const encrypt = encryptMessage(creds, message, opts.random);
  return { encrypt, signature: signatureOf(creds.token, opts.timestamp, opts.nonce, encrypt) };
}
