import fc from 'fast-check';
import { decryptMessage, openEncrypted } from '../../../src/wecom/crypto';
import {
  cdata,
  EnvelopeError,
  parseMessageXml,
  parseOuterEnvelope,
  passiveTextReply,
  textReplyXml,
} from '../../../src/wecom/envelope';
import { A, B, C } from '../../support/wecom-vectors';

function reject(xml: string): string {
  try {
    parseMessageXml(xml);
  } catch (e) {
    return e instanceof EnvelopeError ? e.code : `unexpected ${String(e)}`;
  }
  return 'accepted';
}

const wrap = (inner: string) =>
  `<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1763860000</CreateTime>${inner}<AgentID>1000002</AgentID></xml>`;

describe('decrypted messages', () => {
  test('A: CDATA text message, 64-bit MsgId kept as a string', () => {
    const xml = openEncrypted(A.creds, { signature: A.post.signature, timestamp: A.post.timestamp, nonce: A.post.nonce }, A.post.encrypt);
    expect(parseMessageXml(xml)).toEqual({
      msgType: 'text',
      fromUser: 'mycreate',
      createTime: 1409659813,
      msgId: '4561255354251345929',
      content: 'hello',
    });
  });

  test('B: plain text without CDATA', () => {
    const msg = parseMessageXml(decryptMessage(B.creds, B.post.encrypt));
    expect(msg).toMatchObject({ msgType: 'text', fromUser: 'ChenJiaShun', content: '你好', msgId: '1456453720' });
  });

  test('C: text message', () => {
    const msg = parseMessageXml(decryptMessage(C.creds, C.post.encrypt));
    expect(msg).toMatchObject({ fromUser: 'messense', content: 'test', msgId: '4363689963896700987' });
  });

  test('location, image and the events the chat uses', () => {
    expect(
      parseMessageXml(wrap('<MsgType><![CDATA[location]]></MsgType><Location_X>34.7183</Location_X><Location_Y>104.8932</Location_Y><Scale>15</Scale><Label><![CDATA[鸳鸯镇丁门村]]></Label><MsgId>1234567890123456789</MsgId>')),
    ).toMatchObject({ msgType: 'location', latitude: 34.7183, longitude: 104.8932, label: '鸳鸯镇丁门村', msgId: '1234567890123456789' });
    expect(
      parseMessageXml(wrap('<MsgType>image</MsgType><PicUrl>http://p/1.jpg</PicUrl><MediaId>m1</MediaId><MsgId>7</MsgId>')),
    ).toMatchObject({ msgType: 'image', picUrl: 'http://p/1.jpg', mediaId: 'm1' });
    expect(
      parseMessageXml(wrap('<MsgType>event</MsgType><Event>LOCATION</Event><Latitude>34.1</Latitude><Longitude>104.2</Longitude><Precision>30</Precision><AppType>wxwork</AppType>')),
    ).toEqual({ msgType: 'event', fromUser: 'zhangsan', createTime: 1763860000, event: 'LOCATION', eventKey: '', latitude: 34.1, longitude: 104.2 });
    expect(parseMessageXml(wrap('<MsgType>event</MsgType><Event>enter_agent</Event><EventKey><![CDATA[]]></EventKey>'))).toMatchObject({ event: 'enter_agent', eventKey: '' });
    expect(parseMessageXml(wrap('<MsgType>event</MsgType><Event>click</Event><EventKey>menu_progress</EventKey>'))).toMatchObject({ event: 'click', eventKey: 'menu_progress' });
  });

  test('CDATA is verbatim (a split "]]>" joins again), plain text decodes the predefined entities', () => {
    expect(parseMessageXml(wrap(`<MsgType>text</MsgType><Content>${cdata(' a]]>b &amp; ')}</Content><MsgId>1</MsgId>`)).content).toBe(' a]]>b &amp; ');
    expect(parseMessageXml(wrap('<MsgType>text</MsgType><Content>a &lt;b&gt; &amp; &#20320;&#x597D;</Content><MsgId>1</MsgId>')).content).toBe('a <b> & 你好');
  });

  test('DOCTYPE, entities, malformed XML and missing fields are refused', () => {
    expect(reject('<!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><FromUserName>&a;</FromUserName></xml>')).toBe('bad_xml');
    expect(reject('<xml><FromUserName>a</xml>')).toBe('bad_xml');
    expect(reject('hello')).toBe('bad_xml');
    expect(reject('')).toBe('bad_xml');
    expect(reject('<other/>')).toBe('bad_xml');
    expect(reject('<xml><FromUserName>a</FromUserName><MsgType>text</MsgType></xml>')).toBe('bad_xml');
    expect(reject(wrap('<MsgType>text</MsgType><Content>x</Content><MsgId>12a</MsgId>'))).toBe('bad_xml');
    expect(reject(wrap('<MsgType>location</MsgType><Location_X>north</Location_X><Location_Y>1</Location_Y>'))).toBe('bad_xml');
    expect(reject(wrap('<MsgType>event</MsgType>'))).toBe('bad_xml');
    expect(reject(wrap('<MsgType>text</MsgType><Content><b>x</b></Content>'))).toBe('bad_xml');
    expect(reject(wrap('<MsgType>text</MsgType><MsgType>image</MsgType>'))).toBe('bad_xml');
  });

  test('the outer POST body', () => {
    expect(parseOuterEnvelope(`<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[${A.post.encrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`)).toEqual({
      encrypt: A.post.encrypt,
      toUserName: 'wx5823bf96d3bd56c7',
      agentId: '218',
    });
    expect(() => parseOuterEnvelope('<xml><ToUserName>a</ToUserName></xml>')).toThrow(EnvelopeError);
  });
});

describe('passive reply', () => {
  test('the plain reply puts everything user-given in CDATA', () => {
    expect(textReplyXml({ toUser: 'u1', corpId: 'ww1', createTime: 1763860000, content: '已签到]]>' })).toBe(
      '<xml><ToUserName><![CDATA[u1]]></ToUserName><FromUserName><![CDATA[ww1]]></FromUserName><CreateTime>1763860000</CreateTime>' +
        '<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[已签到]]]]><![CDATA[>]]></Content></xml>',
    );
  });

  test('the encrypted reply verifies with the same token and decrypts to the reply', () => {
    const xml = passiveTextReply(C.creds, {
      toUser: 'messense',
      content: '签到成功 <丁门村> & ]]> 完',
      now: new Date(1411525903_000),
      timestamp: '1411525903',
      nonce: '461056294',
      random: Buffer.from('1234567890123456'),
    });
    const outer = parseOuterEnvelope(xml);
    const sig = /<MsgSignature><!\[CDATA\[([0-9a-f]{40})\]\]><\/MsgSignature>/.exec(xml)![1];
    expect(xml).toContain('<TimeStamp>1411525903</TimeStamp><Nonce><![CDATA[461056294]]></Nonce>');
    const inner = openEncrypted(C.creds, { signature: sig, timestamp: '1411525903', nonce: '461056294' }, outer.encrypt);
    const parsed = parseMessageXml(inner);
    expect(parsed).toMatchObject({ msgType: 'text', fromUser: C.creds.corpId, createTime: 1411525903, content: '签到成功 <丁门村> & ]]> 完' });
  });
});

describe('properties', () => {
  test('arbitrary input either parses or is refused as bad_xml, never another error', () => {
    const xmlish = fc.array(fc.constantFrom('<xml>', '</xml>', '<MsgType>', '</MsgType>', 'text', '<![CDATA[', ']]>', '&amp;', '&', '<', '>', '<!DOCTYPE', '<FromUserName>', '</FromUserName>', '<CreateTime>', '</CreateTime>', '1', ' '), { maxLength: 30 });
    fc.assert(
      fc.property(fc.oneof(fc.string(), xmlish.map((parts) => parts.join(''))), (s) => {
        expect(['accepted', 'bad_xml']).toContain(reject(s));
      }),
      { numRuns: 2000 },
    );
  });
});
