import fc from 'fast-check';
import { createCipheriv } from 'node:crypto';
import {
  assertFresh,
  decryptMessage,
  encryptMessage,
  openEncrypted,
  sealMessage,
  signatureOf,
  verifySignature,
  WecomCryptoError,
  type CallbackCredentials,
} from '../../../src/wecom/crypto';
import { A, B, C } from '../../support/wecom-vectors';

/** Encrypts an arbitrary plaintext block list, so tests can forge bad padding or msg_len. */
function rawEncrypt(creds: CallbackCredentials, plain: Buffer): string {
  const key = Buffer.from(`${creds.encodingAesKey}=`, 'base64');
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

function frame(msg: string, receiveId: string, msgLen = Buffer.byteLength(msg)): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msgLen);
  return Buffer.concat([Buffer.alloc(16, 7), len, Buffer.from(msg), Buffer.from(receiveId)]);
}

function pad32(b: Buffer): Buffer {
  const n = 32 - (b.length % 32);
  return Buffer.concat([b, Buffer.alloc(n, n)]);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof WecomCryptoError ? e.code : `unexpected: ${String(e)}`;
  }
  return undefined;
}

describe('official vectors (docs/wecom.md §6)', () => {
  test.each([
    ['A', A],
    ['B', B],
    ['C', C],
  ])('%s GET: the signature verifies and echostr decrypts', (_name, v) => {
    const q = { signature: v.get.signature, timestamp: v.get.timestamp, nonce: v.get.nonce };
    expect(openEncrypted(v.creds, q, v.get.echostr)).toBe(v.get.plain);
  });

  test('A POST (pad 30) decrypts to the CDATA text message', () => {
    const q = { signature: A.post.signature, timestamp: A.post.timestamp, nonce: A.post.nonce };
    const xml = openEncrypted(A.creds, q, A.post.encrypt);
    expect(xml).toContain('<FromUserName><![CDATA[mycreate]]></FromUserName>');
    expect(xml).toContain('<Content><![CDATA[hello]]></Content>');
    expect(xml).toContain('4561255354251345929');
  });

  test('B POST (pad 22) decrypts to the XML without CDATA', () => {
    const q = { signature: B.post.signature, timestamp: B.post.timestamp, nonce: B.post.nonce };
    const xml = openEncrypted(B.creds, q, B.post.encrypt);
    expect(xml).toContain('<FromUserName>ChenJiaShun</FromUserName>');
    expect(xml).toContain('<Content>你好</Content>');
    expect(xml).not.toContain('CDATA');
  });

  test('C POST decrypts', () => {
    const q = { signature: C.post.signature, timestamp: C.post.timestamp, nonce: C.post.nonce };
    const xml = openEncrypted(C.creds, q, C.post.encrypt);
    expect(xml).toContain('messense');
    expect(xml).toContain('4363689963896700987');
  });

  test('C encrypt is byte-exact: Encrypt and MsgSignature', () => {
    const e = C.encrypt;
    const sealed = sealMessage(C.creds, e.plain, {
      timestamp: e.timestamp,
      nonce: e.nonce,
      random: Buffer.from(e.random, 'ascii'),
    });
    expect(sealed.encrypt).toBe(e.encrypt);
    expect(sealed.signature).toBe(e.signature);
    expect(decryptMessage(C.creds, sealed.encrypt)).toBe(e.plain);
  });
});

describe('rejections', () => {
  const q = { signature: A.post.signature, timestamp: A.post.timestamp, nonce: A.post.nonce };

  test('a tampered signature, nonce or ciphertext fails the signature check', () => {
    const flipped = (A.post.signature[0] === 'a' ? 'b' : 'a') + A.post.signature.slice(1);
    expect(codeOf(() => openEncrypted(A.creds, { ...q, signature: flipped }, A.post.encrypt))).toBe('bad_signature');
    expect(codeOf(() => openEncrypted(A.creds, { ...q, nonce: '1372623148' }, A.post.encrypt))).toBe('bad_signature');
    expect(codeOf(() => openEncrypted(A.creds, { ...q, signature: '' }, A.post.encrypt))).toBe('bad_signature');
    expect(codeOf(() => openEncrypted(A.creds, q, `x${A.post.encrypt.slice(1)}`))).toBe('bad_signature');
    expect(codeOf(() => openEncrypted({ ...A.creds, token: 'QDG6eL' }, q, A.post.encrypt))).toBe('bad_signature');
    expect(codeOf(() => verifySignature(A.creds.token, { ...q, signature: q.signature.toUpperCase() }, A.post.encrypt))).toBeUndefined();
  });

  test('a different CorpID is refused', () => {
    expect(codeOf(() => decryptMessage({ ...A.creds, corpId: 'wx5823bf96d3bd56c8' }, A.post.encrypt))).toBe('wrong_corp');
    expect(codeOf(() => decryptMessage({ ...A.creds, corpId: 'wx5823bf96d3bd56c' }, A.post.encrypt))).toBe('wrong_corp');
  });

  test('bad padding: zero pad, pad over 32, unequal pad bytes', () => {
    const body = frame('<xml/>', A.creds.corpId);
    const padded = pad32(body);
    const zero = Buffer.from(padded);
    zero[zero.length - 1] = 0;
    expect(codeOf(() => decryptMessage(A.creds, rawEncrypt(A.creds, zero)))).toBe('bad_padding');
    const over = Buffer.from(padded);
    over[over.length - 1] = 33;
    expect(codeOf(() => decryptMessage(A.creds, rawEncrypt(A.creds, over)))).toBe('bad_padding');
    const uneven = Buffer.from(padded);
    const n = uneven[uneven.length - 1];
    expect(n).toBeGreaterThan(1);
    uneven[uneven.length - 2] = n + 1;
    expect(codeOf(() => decryptMessage(A.creds, rawEncrypt(A.creds, uneven)))).toBe('bad_padding');
    // The same frame, padded correctly, decrypts.
    expect(decryptMessage(A.creds, rawEncrypt(A.creds, padded))).toBe('<xml/>');
  });

  test('a full 32-byte pad block is valid (exact multiple still pads, §7 pitfall 3)', () => {
    const corp = 'x'.repeat(8);
    const body = frame('m'.repeat(32 - 20 - 8 + 32), corp); // 64 bytes
    expect(body.length % 32).toBe(0);
    const creds = { ...A.creds, corpId: corp };
    expect(decryptMessage(creds, rawEncrypt(creds, pad32(body)))).toBe('m'.repeat(36));
    expect(decryptMessage(creds, encryptMessage(creds, 'm'.repeat(36), Buffer.alloc(16, 1)))).toBe('m'.repeat(36));
  });

  test('msg_len beyond the plaintext, short plaintext', () => {
    const tooLong = pad32(frame('<xml/>', A.creds.corpId, 5000));
    expect(codeOf(() => decryptMessage(A.creds, rawEncrypt(A.creds, tooLong)))).toBe('bad_length');
    const short = Buffer.alloc(32, 20); // pad 20 leaves 12 bytes: no header
    expect(codeOf(() => decryptMessage(A.creds, rawEncrypt(A.creds, short)))).toBe('bad_length');
  });

  test('bad base64 and ciphertext lengths', () => {
    expect(codeOf(() => decryptMessage(A.creds, ''))).toBe('bad_base64');
    expect(codeOf(() => decryptMessage(A.creds, 'not base64!'))).toBe('bad_base64');
    expect(codeOf(() => decryptMessage(A.creds, A.post.encrypt.replace(/=+$/, '')))).toBe('bad_base64');
    expect(codeOf(() => decryptMessage(A.creds, A.post.encrypt.replace(/\+/g, ' ')))).toBe('bad_base64');
    expect(codeOf(() => decryptMessage(A.creds, Buffer.alloc(48).toString('base64')))).toBe('bad_length');
  });

  test('timestamps more than 5 minutes away are replays', () => {
    const now = new Date(1_700_000_000_000);
    expect(codeOf(() => assertFresh('1700000000', now))).toBeUndefined();
    expect(codeOf(() => assertFresh('1699999700', now))).toBeUndefined();
    expect(codeOf(() => assertFresh('1699999699', now))).toBe('stale_timestamp');
    expect(codeOf(() => assertFresh('1700000301', now))).toBe('stale_timestamp');
    expect(codeOf(() => assertFresh('abc', now))).toBe('stale_timestamp');
    expect(codeOf(() => assertFresh('', now))).toBe('stale_timestamp');
  });

  test('errors map to 403 (not from WeCom) and 400 (malformed)', () => {
    expect(new WecomCryptoError('bad_signature', '').status).toBe(403);
    expect(new WecomCryptoError('wrong_corp', '').status).toBe(403);
    expect(new WecomCryptoError('stale_timestamp', '').status).toBe(403);
    expect(new WecomCryptoError('bad_padding', '').status).toBe(400);
    expect(signatureOf('a', 'b', 'c', 'd')).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('properties', () => {
  test('any message round-trips through encrypt and decrypt', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (msg, rnd) => {
        expect(decryptMessage(C.creds, encryptMessage(C.creds, msg, Buffer.from(rnd)))).toBe(msg);
      }),
      { numRuns: 200 },
    );
  });

  test('arbitrary ciphertext is refused with a typed error, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 8 }).chain((n) => fc.uint8Array({ minLength: 32 * n.length, maxLength: 32 * n.length })), (bytes) => {
        const code = codeOf(() => decryptMessage(C.creds, Buffer.from(bytes).toString('base64')));
        expect(['bad_padding', 'bad_length', 'wrong_corp']).toContain(code);
      }),
      { numRuns: 300 },
    );
  });
});
