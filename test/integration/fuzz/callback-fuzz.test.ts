import { createCipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { createTestDb, type TestDb } from '../../support/db';
import { startCallbackServer, type CallbackServer } from '../../support/callback-server';
import { generateCreds, openReply, signedPost, textXml, type TestCreds } from '../../support/wecom-callback';

/**
 * Hostile input at the callback: random bodies, garbled and truncated XML,
 * entity bombs and XXE (properly encrypted and signed), forged signatures,
 * another corp's messages, bad padding, oversize and non-UTF-8 bodies. The
 * server answers every one with a 4xx (or 200 when it is a message after
 * all), never a 5xx; /healthz stays 200 and a valid message still works.
 */

let t: TestDb;
let srv: CallbackServer;
const creds = generateCreds();
let fiveHundreds: string[] = [];

beforeAll(async () => {
  t = await createTestDb();
  srv = await startCallbackServer({ db: t.db, creds });
});
afterAll(async () => {
  await srv?.close();
  await t.drop();
});

const note = (what: string, status: number) => {
  if (status >= 500) fiveHundreds.push(`${status}: ${what.slice(0, 200)}`);
};

/** WeCom's ciphertext layout with a chosen (possibly broken) padding byte pattern. */
function encryptRaw(c: TestCreds, message: Buffer, corpId: string, pad: (n: number) => Buffer): string {
  const key = Buffer.from(`${c.encodingAesKey}=`, 'base64');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(message.length);
  const body = Buffer.concat([randomBytes(16), len, message, Buffer.from(corpId)]);
  const n = 32 - (body.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([body, pad(n)])), cipher.final()]).toString('base64');
}

const BILLION_LAUGHS =
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
  Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('') +
  ']><xml><ToUserName>ww</ToUserName><FromUserName>zhangwei</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&lol9;</Content><MsgId>4242001</MsgId></xml>';
const XXE =
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
  '<xml><ToUserName>ww</ToUserName><FromUserName>stranger</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&xxe;</Content><MsgId>4242002</MsgId></xml>';

describe('callback fuzz', () => {
  beforeEach(() => { fiveHundreds = []; });

  test('random bodies and query strings: always a 4xx', async () => {
    const query = fc.record({ msg_signature: fc.string(), timestamp: fc.oneof(fc.string(), fc.constant(String(Math.floor(Date.now() / 1000)))), nonce: fc.string() }, { requiredKeys: [] });
    const body = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b)),
      fc.string().map((s) => `<xml><Encrypt><![CDATA[${s}]]></Encrypt></xml>`));
    await fc.assert(fc.asyncProperty(query, body, async (q, b) => {
      const res = await srv.raw(`/wecom/callback?${new URLSearchParams(q as Record<string, string>)}`, { method: 'POST', body: b });
      note(`body ${JSON.stringify(String(b))}`, res.status);
      return res.status >= 400 && res.status < 500;
    }), { numRuns: 1200 });
    expect(fiveHundreds).toEqual([]);
  }, 60_000);

  test('properly encrypted and signed garbage, truncated XML and random messages: never a 5xx', async () => {
    const valid = textXml('stranger', '帮助', '1');
    const inner = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.nat(valid.length).map((n) => valid.slice(0, n)),
      fc.tuple(fc.nat(valid.length), fc.string({ maxLength: 8 })).map(([i, s]) => valid.slice(0, i) + s + valid.slice(i)),
      fc.tuple(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 40 }), fc.bigInt({ min: 0n, max: 2n ** 64n }))
        .map(([content, from, id]) => textXml(from.replace(/[<\]]/g, ''), content.replace(/]]>/g, ''), String(id))),
      fc.constantFrom(BILLION_LAUGHS, XXE, '<xml/>', '<xml></xml>', '<xml><MsgType>event</MsgType></xml>', '<?xml version="1.0"?>'),
    );
    await fc.assert(fc.asyncProperty(inner, async (xml) => {
      const res = await srv.post(signedPost(creds, xml));
      note(xml, res.status);
      if (res.status === 200 && res.text) expect(openReply(creds, res.text)).not.toContain('root:');
      return res.status < 500;
    }), { numRuns: 800 });
    expect(fiveHundreds).toEqual([]);
  }, 60_000);

  test('entity bombs and XXE are refused outright, nothing stored', async () => {
    for (const xml of [BILLION_LAUGHS, XXE]) {
      const res = await srv.post(signedPost(creds, xml));
      expect(res.status).toBe(400);
    }
    expect(await t.db.query(`SELECT count(*)::int AS n FROM inbound_messages WHERE dedup_key IN ('4242001', '4242002')`)).toEqual([{ n: 0 }]);
  });

  test('forgeries: wrong signature, wrong token, another CorpID, bad padding, stale or future timestamps', async () => {
    const xml = textXml('zhangwei', '帮助', '777');
    const good = signedPost(creds, xml);
    const cases: [string, { status: number; text: string } | Promise<{ status: number; text: string }>, number][] = [
      ['flipped signature', srv.post({ ...good, url: good.url.replace(/msg_signature=([0-9a-f])/, (_m, c) => `msg_signature=${c === 'a' ? 'b' : 'a'}`) }), 403],
      ['other token', srv.post(signedPost(creds, xml, { signWith: 'SomeoneElsesToken' })), 403],
      ['other corp', srv.post(signedPost(creds, xml, { corpId: 'wwattacker000001' })), 403],
      ['pad 0', srv.post(signedPost(creds, xml, { encrypt: encryptRaw(creds, Buffer.from(xml), creds.corpId, (n) => Buffer.alloc(n, 0)) })), 400],
      ['pad 33', srv.post(signedPost(creds, xml, { encrypt: encryptRaw(creds, Buffer.from(xml), creds.corpId, (n) => Buffer.alloc(n, 33)) })), 400],
      ['pad mixed', srv.post(signedPost(creds, xml, { encrypt: encryptRaw(creds, Buffer.from(xml), creds.corpId, (n) => Buffer.from([...Buffer.alloc(n - 1, 7), n])) })), 400],
      ['old replay', srv.post(signedPost(creds, xml, { timestamp: Math.floor(Date.now() / 1000) - 301 })), 403],
      ['future', srv.post(signedPost(creds, xml, { timestamp: Math.floor(Date.now() / 1000) + 3600 })), 403],
      ['oversize', srv.post({ url: good.url, body: good.body + ' '.repeat(70 * 1024) }), 413],
      ['GBK message', srv.post(signedPost(creds, '', { encrypt: encryptRaw(creds, Buffer.from([0x3c, 0x78, 0x6d, 0x6c, 0x3e, 0xc4, 0xe3, 0xba, 0xc3, 0x3c, 0x2f]), creds.corpId, (n) => Buffer.alloc(n, n)) })), 400],
      ['non-UTF-8 body', srv.raw(good.url, { method: 'POST', body: Buffer.from([0xff, 0xfe, 0xc4, 0xe3, 0x00, 0x80]) }), 400],
    ];
    for (const [name, res, status] of cases) expect([name, (await res).status]).toEqual([name, status]);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM inbound_messages WHERE dedup_key = '777'`)).toEqual([{ n: 0 }]);
    // The same request signed right goes through: the refusals were about the forgery alone.
    expect((await srv.post(good)).status).toBe(200);
  });

  test('a replay of a message already taken is answered, not recorded twice; one with an old timestamp is refused', async () => {
    const xml = textXml('stranger', '帮助', '888');
    const p = signedPost(creds, xml);
    expect((await srv.post(p)).status).toBe(200);
    expect((await srv.post(p)).status).toBe(200);
    expect((await srv.post(signedPost(creds, xml, { timestamp: Math.floor(Date.now() / 1000) - 3600 }))).status).toBe(403);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM inbound_messages WHERE dedup_key = '888'`)).toEqual([{ n: 1 }]);
  });

  test('a message carrying NUL characters is stored (without them) and answered, not refused by PostgreSQL forever', async () => {
    const res = await srv.post(signedPost(creds, textXml('stranger', '帮\u0000助', '4242003')));
    expect(res.status).toBe(200);
    expect(openReply(creds, res.text)).toContain('花名册');
    expect(await t.db.query(`SELECT status FROM inbound_messages WHERE dedup_key = '4242003'`)).toEqual([{ status: 'done' }]);
  });

  test('signatures and the CorpID are compared in constant time', () => {
    const src = readFileSync(join(__dirname, '../../../src/wecom/crypto.ts'), 'utf8');
    const verify = src.slice(src.indexOf('export function verifySignature'), src.indexOf('export function assertFresh'));
    expect(verify).toContain('timingSafeEqual(given, expected)');
    expect(verify).not.toMatch(/signature\s*[!=]==/);
    expect(src).toContain('timingSafeEqual(receiveId, corp)');
  });

  afterAll(async () => {
    // Still healthy, and a valid message works and is recorded once.
    expect((await srv.raw('/healthz')).status).toBe(200);
    const res = await srv.post(signedPost(creds, textXml('stranger', '帮助', '99999')));
    expect(res.status).toBe(200);
    expect(openReply(creds, res.text)).toContain('花名册');
    expect(await t.db.query(`SELECT count(*)::int AS n FROM inbound_messages WHERE dedup_key = '99999' AND status = 'done'`)).toEqual([{ n: 1 }]);
  });
});
