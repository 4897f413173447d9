import { callbackRequest, inboundMessageXml, openPassiveReply } from '../../../src/wecom/callback-sender';
import { openEncrypted } from '../../../src/wecom/crypto';
import { parseMessageXml, parseOuterEnvelope, passiveTextReply } from '../../../src/wecom/envelope';
import { C } from '../../support/wecom-vectors';

const creds = C.creds;

test('a text message goes out as WeCom would send it and opens on our side', () => {
  const xml = inboundMessageXml({ corpId: creds.corpId, agentId: 1000002, fromUser: 'zhangsan', createTime: 1763860000, msgId: '9223372036854775807', content: '签到 丁门村 ]]>' });
  const req = callbackRequest(creds, xml, { timestamp: '1763860000', nonce: '42', random: Buffer.alloc(16, 3), agentId: 1000002 });
  const outer = parseOuterEnvelope(req.body);
  const inner = openEncrypted(creds, { signature: req.query.msg_signature, timestamp: '1763860000', nonce: '42' }, outer.encrypt);
  expect(parseMessageXml(inner)).toEqual({ msgType: 'text', fromUser: 'zhangsan', createTime: 1763860000, msgId: '9223372036854775807', content: '签到 丁门村 ]]>' });
});

test('a location message carries its coordinates', () => {
  const xml = inboundMessageXml({ corpId: creds.corpId, agentId: 1, fromUser: 'u', createTime: 1, msgId: '5', location: { latitude: 34.72, longitude: 104.89, label: '丁门村' } });
  expect(parseMessageXml(xml)).toMatchObject({ msgType: 'location', latitude: 34.72, longitude: 104.89, label: '丁门村' });
});

test('passive replies open; an empty answer is null; a forged one throws', () => {
  const body = passiveTextReply(creds, { toUser: 'zhangsan', content: '已签到', now: new Date(1763860000_000), timestamp: '1763860000', nonce: '7', random: Buffer.alloc(16, 9) });
  expect(openPassiveReply(creds, body)).toMatchObject({ msgType: 'text', fromUser: creds.corpId, content: '已签到' });
  expect(openPassiveReply(creds, '')).toBeNull();
  expect(() => openPassiveReply({ ...creds, token: 'other' }, body)).toThrow('msg_signature does not match');
});
