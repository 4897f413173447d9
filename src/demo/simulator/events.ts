import { randomBytes, randomInt } from 'node:crypto';
import { callbackRequest, eventMessageXml, openPassiveReply, type EventInput } from '../../wecom/callback-sender';
import type { CallbackTarget, SimulatorState } from './state';

/**
 * WeCom's events as the simulator produces them: a menu tap, a card tap (with
 * a fresh response code for that member's card), opening the app — built as
 * WeCom's XML, encrypted, signed and POSTed to the app's callback URL.
 */

export interface DeliveredEvent {
  status: number;
  /** The passive reply's text (events are answered by the outbox, so normally null). */
  reply: string | null;
  createTime: number;
  responseCode?: string;
}

/**
 * Delivers one event from `userid`. A template_card_event gets a new response
 * code unless `input.responseCode` replays one; `createTime` (unix s) replays an
 * earlier delivery exactly, as WeCom's retries do.
 */
export async function deliverEvent(
  state: SimulatorState,
  target: CallbackTarget,
  userid: string,
  input: EventInput,
  now: number,
  createTime = Math.floor(now / 1000),
): Promise<DeliveredEvent> {
  const responseCode = input.event === 'template_card_event'
    ? input.responseCode ?? state.issueResponseCode(input.taskId ?? '', [userid], now)
    : undefined;
  const xml = eventMessageXml({
    corpId: state.creds.corpId, agentId: state.creds.agentId, fromUser: userid, createTime, ...input, responseCode,
  });
  const creds = { token: target.token, encodingAesKey: target.encodingAesKey, corpId: state.creds.corpId };
  const req = callbackRequest(creds, xml, {
    timestamp: String(createTime), nonce: String(randomInt(1e9)), random: randomBytes(16), agentId: state.creds.agentId,
  });
  const res = await fetch(`${target.url}?${new URLSearchParams(req.query)}`, {
    method: 'POST', headers: { 'content-type': 'text/xml' }, body: req.body, signal: AbortSignal.timeout(10_000),
  });
  const body = await res.text();
  const reply = res.status === 200 ? openPassiveReply(creds, body)?.content ?? null : null;
  return { status: res.status, reply, createTime, responseCode };
}
