/**
 * Errors of the WeCom API client. Every non-zero errcode becomes a
 * WecomApiError (global error codes, developer.work.weixin.qq.com doc 90313);
 * transport trouble (HTTP status, timeout, refused connection) a WecomHttpError;
 * our own Redis rate limits a WecomRateLimited. Callers decide by `kind`.
 */

/** Retrying later may help: system busy, call limits, token trouble after the one refresh. */
const TRANSIENT_ERRCODES = new Set([-1, 40014, 42001, 45009, 45033]);
/** Call-frequency limits (doc 90454): delay the work, do not count it as a failure. */
const RATE_LIMIT_ERRCODES = new Set([45009, 45033]);

export type WecomErrorKind = 'transient' | 'rate_limited' | 'permanent';

export class WecomApiError extends Error {
  constructor(
    readonly api: string,
    readonly errcode: number,
    readonly errmsg: string,
    /** message/send answers 81013 with the userids that were refused. */
    readonly invaliduser?: string,
  ) {
    super(`WeCom ${api} errcode ${errcode}: ${errmsg}`);
    this.name = 'WecomApiError';
  }

  get kind(): WecomErrorKind {
    if (RATE_LIMIT_ERRCODES.has(this.errcode)) return 'rate_limited';
    return TRANSIENT_ERRCODES.has(this.errcode) ? 'transient' : 'permanent';
  }

  /** 40001: the app secret is wrong; an operator must fix the configuration. */
  get isConfiguration(): boolean {
    return this.errcode === 40001;
  }
}

/**
 * Answers to a template card that mean the app may not send that card type
 * (40008, invalid msgtype: an app without a callback URL may not send
 * interactive cards). The row is then sent as its text fallback.
 */
const CARD_REFUSED_ERRCODES = new Set([40008]);

export function isCardRefused(e: unknown): boolean {
  return e instanceof WecomApiError && CARD_REFUSED_ERRCODES.has(e.errcode);
}

export class WecomHttpError extends Error {
  readonly kind: WecomErrorKind = 'transient';
  constructor(
    readonly api: string,
    /** HTTP status, or 'timeout' / 'network' when no answer came. */
    readonly status: number | 'timeout' | 'network',
  ) {
    super(`WeCom ${api}: ${typeof status === 'number' ? `HTTP ${status}` : status}`);
    this.name = 'WecomHttpError';
  }
}

/** Our own counters said no (docs/wecom.md §4 limits); retry after `retryAfterMs`. */
export class WecomRateLimited extends Error {
  readonly kind: WecomErrorKind = 'rate_limited';
  constructor(
    readonly what: string,
    readonly retryAfterMs: number,
  ) {
    super(`rate limit reached: ${what}`);
    this.name = 'WecomRateLimited';
  }
}

export type WecomError = WecomApiError | WecomHttpError | WecomRateLimited;

export function isWecomError(e: unknown): e is WecomError {
  return e instanceof WecomApiError || e instanceof WecomHttpError || e instanceof WecomRateLimited;
}
