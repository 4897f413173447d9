import type { DataSource } from 'typeorm';
import type { Logger } from '../src/lib/logger';
import type { Metrics } from '../src/metrics';
import {
  claimOutboxRow, markOutboxFailed, markOutboxRetry, markOutboxSent, replaceWithFallback, robotKeyOf, type ClaimedRow,
} from '../src/services/outbox/delivery';
import type { CardUpdate, OutboundPayload, RobotFileUpload } from '../src/wecom/messages';
import type { WecomClient } from '../src/wecom/client';
import { WecomApiError, WecomRateLimited, isCardRefused, isWecomError } from '../src/wecom/errors';
import { memberBuckets, robotBucket, type RateLimiter } from '../src/wecom/rate-limit';

/**
 * Delivers one outbox row. The row is claimed first (pending/queued →
 * 'sending' with a lease), so however often it is enqueued only one worker
 * sends it. Results: 'sent' (partial invaliduser noted in last_error),
 * 'failed' with the reason for permanent errors, or back to 'queued' with a
 * next_attempt_at: exponential backoff for transient errors, the limit's
 * window for rate limits (which do not count as attempts).
 */

export interface DeliveryPolicy {
  /** First retry delay; doubles per attempt up to maxBackoffMs. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Transient failures before the row is marked failed. */
  maxAttempts: number;
  /** Delay after WeCom's 45009/45033 (minute blocks lift after ~60 s). */
  rateLimitBackoffMs: number;
  /** A 'sending' row whose worker did not finish within this is retried (worker died mid-send). */
  sendingLeaseMs: number;
}

export const DEFAULT_POLICY: DeliveryPolicy = {
  baseBackoffMs: 5_000,
  maxBackoffMs: 30 * 60_000,
  maxAttempts: 12,
  rateLimitBackoffMs: 60_000,
  sendingLeaseMs: 120_000,
};

export interface DeliverDeps {
  db: DataSource;
  wecom: WecomClient;
  limiter: RateLimiter;
  logger: Logger;
  metrics?: Metrics;
  policy?: Partial<DeliveryPolicy>;
}

export type DeliveryOutcome =
  | { kind: 'skipped' }
  | { kind: 'sent'; invalidUsers: string[]; responseCode?: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'retry'; at: Date; reason: string };

export async function deliverOutboxRow(deps: DeliverDeps, id: number, now: Date): Promise<DeliveryOutcome> {
  const policy = { ...DEFAULT_POLICY, ...deps.policy };
  const log = deps.logger.child({ area: 'outbox', outboxId: id });
  const claimed = await claimOutboxRow(deps.db, id, now, new Date(now.getTime() + policy.sendingLeaseMs));
  if (!claimed) return { kind: 'skipped' };

  const outcome = await attempt(deps, claimed, now, policy);
  const count = (r: string) => deps.metrics?.outboxSends.inc({ channel: claimed.channel, result: r });
  switch (outcome.kind) {
    case 'sent':
      await markOutboxSent(deps.db, id, now, outcome.invalidUsers, outcome.responseCode);
      count('sent');
      log.info({ channel: claimed.channel, attempts: claimed.attempts, invalid: outcome.invalidUsers.length }, 'outbox row sent');
      break;
    case 'failed':
      await markOutboxFailed(deps.db, id, outcome.reason);
      count('failed');
      log.warn({ channel: claimed.channel, attempts: claimed.attempts, reason: outcome.reason }, 'outbox row failed');
      break;
    case 'retry': {
      const rateLimited = outcome.reason.startsWith('rate limited');
      await markOutboxRetry(deps.db, id, outcome.reason, outcome.at, rateLimited);
      count(rateLimited ? 'rate_limited' : 'retry');
      log.info({ channel: claimed.channel, attempts: claimed.attempts, at: outcome.at, reason: outcome.reason }, 'outbox row will be retried');
      break;
    }
  }
  return outcome;
}

async function attempt(deps: DeliverDeps, row: ClaimedRow, now: Date, policy: DeliveryPolicy): Promise<DeliveryOutcome> {
  try {
    return await send(deps, row, now);
  } catch (err) {
    const fallback = 'fallback' in row.payload ? row.payload.fallback : undefined;
    if (fallback && isCardRefused(err)) {
      // Nothing was sent: the same row goes again at once as its text, so nobody gets two messages.
      const reason = `card refused, sent as text: ${describe(err)}`;
      await replaceWithFallback(deps.db, row.id, fallback, reason, now);
      return { kind: 'retry', at: now, reason };
    }
    if (err instanceof WecomRateLimited) {
      return { kind: 'retry', at: new Date(now.getTime() + err.retryAfterMs), reason: `rate limited: ${err.what}` };
    }
    const reason = describe(err);
    const kind = isWecomError(err) ? err.kind : 'transient';
    if (kind === 'rate_limited') {
      return { kind: 'retry', at: new Date(now.getTime() + policy.rateLimitBackoffMs), reason: `rate limited: ${reason}` };
    }
    if (kind === 'permanent') return { kind: 'failed', reason };
    if (row.attempts >= policy.maxAttempts) return { kind: 'failed', reason: `gave up after ${row.attempts} attempts: ${reason}` };
    const delay = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** (row.attempts - 1));
    return { kind: 'retry', at: new Date(now.getTime() + delay), reason };
  }
}

async function send(deps: DeliverDeps, row: ClaimedRow, now: Date): Promise<DeliveryOutcome> {
  switch (row.channel) {
    case 'app': {
      const touser = row.recipient.split('|');
      const taken = await deps.limiter.take(memberBuckets(touser), now);
      if (!taken.ok) throw new WecomRateLimited(`member ${taken.bucket}`, taken.retryAfterMs);
      const { fallback: _fallback, ...payload } = row.payload as OutboundPayload & { fallback?: unknown };
      const r = await deps.wecom.sendMessage(touser, payload as OutboundPayload, { duplicateCheck: row.attempts > 1 });
      return { kind: 'sent', invalidUsers: r.invalidUsers, responseCode: r.responseCode };
    }
    case 'card':
      await deps.wecom.updateTemplateCard(row.recipient.split('|'), row.payload as CardUpdate);
      return { kind: 'sent', invalidUsers: [] };
    case 'appchat':
      await deps.wecom.appchatSend(row.recipient, row.payload as OutboundPayload);
      return { kind: 'sent', invalidUsers: [] };
    case 'robot': {
      const robotKey = await robotKeyOf(deps.db, Number(row.recipient));
      if (robotKey === null) return { kind: 'failed', reason: `group ${row.recipient} not found` };
      const taken = await deps.limiter.take([robotBucket(row.recipient)], now);
      if (!taken.ok) throw new WecomRateLimited(`robot of group ${row.recipient}`, taken.retryAfterMs);
      if (isFileUpload(row.payload)) {
        // Uploaded at every attempt: a media_id lasts 3 days, a retry may come later.
        const { filename, base64 } = row.payload.file;
        const mediaId = await deps.wecom.robotUploadFile(robotKey, filename, Buffer.from(base64, 'base64'));
        await deps.wecom.robotSend(robotKey, { msgtype: 'file', file: { media_id: mediaId } });
      } else {
        await deps.wecom.robotSend(robotKey, row.payload as OutboundPayload);
      }
      return { kind: 'sent', invalidUsers: [] };
    }
    default:
      return { kind: 'failed', reason: `unknown channel ${String(row.channel)}` };
  }
}

function isFileUpload(p: ClaimedRow['payload']): p is RobotFileUpload {
  return 'msgtype' in p && p.msgtype === 'file' && 'base64' in p.file;
}

/** The reason stored in last_error: errcode and errmsg, never URLs, tokens or keys. */
function describe(err: unknown): string {
  if (err instanceof WecomApiError) {
    const base = `errcode ${err.errcode} ${err.errmsg}`;
    const hint = err.errcode === 81013 ? ` (invaliduser: ${err.invaliduser ?? ''})` : err.errcode === 93000 ? ' (bad robot key)' : err.isConfiguration ? ' (check WECOM_SECRET)' : '';
    return `${base}${hint}`.slice(0, 1000);
  }
  if (isWecomError(err)) return err.message;
  return `unexpected: ${(err as Error).message ?? String(err)}`.slice(0, 1000);
}
