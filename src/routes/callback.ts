import { randomBytes } from 'node:crypto';
import { systemClock } from '../lib/db';
import type Router from '@koa/router';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import type { AppDeps } from '../app';
import { AppError, isAppError } from '../lib/errors';
import { assertFresh, decryptMessage, openEncrypted, verifySignature, type CallbackCredentials } from '../wecom/crypto';
import { parseMessageXml, parseOuterEnvelope, passiveTextReply, type ParsedMessage } from '../wecom/envelope';
import { handleInbound } from '../services/inbound/callback-path';

/**
 * The WeCom callback (docs/wecom.md §1–§3): GET verifies the URL, POST
 * receives encrypted messages. Thin: verify, decrypt, store, answer. Bad input
 * gets a 4xx logged without any message text; it never reaches a 500.
 */

export const CALLBACK_PATH = '/wecom/callback';
/** WeCom messages are a few KB; anything bigger is not from WeCom. */
export const MAX_BODY_BYTES = 64 * 1024;
const USER_MESSAGE = '请求无效。';

function badRequest(code: string, detail: string, status = 400): AppError {
  return new AppError(code, detail, USER_MESSAGE, status);
}

function queryParams<K extends string>(ctx: Context, names: K[]): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const name of names) {
    const v = ctx.query[name];
    if (typeof v !== 'string' || v === '') throw badRequest('missing_parameter', `query parameter ${name} is missing`);
    out[name] = v;
  }
  return out;
}

async function readBody(ctx: Context): Promise<string> {
  let body: string;
  try {
    body = await getRawBody(ctx.req, { limit: MAX_BODY_BYTES, length: ctx.request.length, encoding: 'utf8' });
  } catch (err) {
    const e = err as { status?: number; type?: string };
    if (e.type === 'entity.too.large') throw badRequest('too_large', 'body over 64 KB', 413);
    throw badRequest('bad_body', `body could not be read (${e.type ?? 'error'})`, e.status === 413 ? 413 : 400);
  }
  if (body.trim() === '') throw badRequest('empty_body', 'empty body');
  return body;
}

/** Parser failures that are not already typed are still the sender's fault. */
function parsed<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isAppError(err)) throw err;
    throw badRequest('bad_xml', 'XML could not be parsed');
  }
}

export function registerCallbackRoutes(router: Router, deps: AppDeps): void {
  const { config, metrics } = deps;
  const creds: CallbackCredentials = {
    token: config.wecom.token,
    encodingAesKey: config.wecom.encodingAesKey,
    corpId: config.wecom.corpId,
  };
  const log = deps.logger.child({ area: 'callback' });
  const clock = deps.clock ?? systemClock;
  const inbound = { db: deps.db, bot: deps.bot, logger: deps.logger, dispatch: deps.dispatch, queuePhotos: deps.queuePhotos, defer: deps.deferInbound, inlineLimit: config.chatInlineLimit };

  const reject = (ctx: Context, err: unknown): never => {
    const e = isAppError(err) ? err : badRequest('bad_request', 'unreadable callback');
    metrics.inboundMessages.inc({ outcome: 'rejected' });
    log.warn({ method: ctx.method, code: e.code, status: e.status, detail: e.message }, 'callback rejected');
    throw e;
  };

  // URL verification: reply the decrypted echostr and nothing else (§1). The timestamp window is
  // POST's: otherwise a captured message's Encrypt, sent back as echostr, would come back decrypted.
  router.get(CALLBACK_PATH, async (ctx) => {
    let plain: string;
    try {
      const q = queryParams(ctx, ['msg_signature', 'timestamp', 'nonce', 'echostr']);
      assertFresh(q.timestamp, clock());
      plain = parsed(() =>
        openEncrypted(creds, { signature: q.msg_signature, timestamp: q.timestamp, nonce: q.nonce }, q.echostr),
      );
    } catch (err) {
      return reject(ctx, err);
    }
    ctx.type = 'text/plain';
    ctx.body = plain;
  });

  router.post(CALLBACK_PATH, async (ctx) => {
    const now = clock();
    let q: Record<'msg_signature' | 'timestamp' | 'nonce', string>;
    let xml: string;
    let msg: ParsedMessage;
    try {
      const body = await readBody(ctx);
      q = queryParams(ctx, ['msg_signature', 'timestamp', 'nonce']);
      assertFresh(q.timestamp, now);
      const outer = parsed(() => parseOuterEnvelope(body));
      verifySignature(creds.token, { signature: q.msg_signature, timestamp: q.timestamp, nonce: q.nonce }, outer.encrypt);
      // XML 1.0 forbids NUL and PostgreSQL text cannot hold it: drop it, or the store fails and WeCom retries forever.
      xml = parsed(() => decryptMessage(creds, outer.encrypt)).replace(/\u0000/g, '');
      msg = parsed(() => parseMessageXml(xml));
    } catch (err) {
      return reject(ctx, err);
    }

    const result = await handleInbound(inbound, msg, xml, { now }).catch((err) => {
      metrics.inboundMessages.inc({ outcome: 'unavailable' });
      throw err; // a 503: WeCom retries, and the row (if it was stored after all) is deduplicated
    });
    metrics.inboundMessages.inc({ outcome: result.duplicate ? 'duplicate' : 'stored' });
    log.info(
      { inboundId: result.inboundId, msgId: msg.msgId, fromUser: msg.fromUser, msgType: msg.msgType, duplicate: result.duplicate, passive: result.passiveReply !== null },
      'callback received',
    );
    if (result.passiveReply === null) {
      ctx.status = 200;
      ctx.body = ''; // WeCom's documented "received, no reply"
      return;
    }
    ctx.type = 'application/xml';
    ctx.body = passiveTextReply(creds, {
      toUser: msg.fromUser,
      content: result.passiveReply,
      now,
      timestamp: q.timestamp,
      nonce: q.nonce,
      random: randomBytes(16),
    });
  });
}
