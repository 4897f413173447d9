import { getJsApiSignature } from '@wecom/crypto';
import { systemClock, type Clock } from '../lib/db';
import type { Redis } from 'ioredis';
import type { Logger } from '../lib/logger';
import type { CardUpdate, OutboundPayload, RobotFilePayload } from './messages';
import { WecomApiError, WecomHttpError, WecomRateLimited } from './errors';
import { apiBucket, createRateLimiter, type RateLimiter } from './rate-limit';
import { createTokenCache, type TokenCache } from './token-cache';


/** The self-built app's credentials and the API base (the simulator's in demo mode and tests). */
export interface WecomConfig {
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  encodingAesKey: string;
  apiBase: string;
}

/**
 * The WeCom server API (docs/wecom.md §4, §5): one private call() and thin
 * typed methods. Tokens and tickets come from a Redis cache shared by every
 * process; a 40014/42001 answer forgets the token and retries the call once;
 * 40001 (bad secret) is a configuration error, reported and never retried.
 * URLs carrying access_token or a robot key are never logged.
 */

export const DEFAULT_TIMEOUT_MS = 10_000;
/** touser limit of one message/send call. */
export const MAX_TOUSER = 1000;
const TOKEN_ERRCODES = new Set([40014, 42001]);

export interface WecomClientDeps {
  config: WecomConfig;
  redis: Redis;
  logger: Logger;
  /** Redis key prefix (tests use their own). */
  keyPrefix?: string;
  timeoutMs?: number;
  clock?: Clock;
}

interface WecomResponse {
  errcode?: number;
  errmsg?: string;
  [k: string]: unknown;
}

interface CallOptions {
  method?: 'GET' | 'POST';
  query?: Record<string, string>;
  body?: unknown;
  /** A multipart body instead of JSON (uploads). */
  form?: FormData;
  /** Adds access_token (default true). */
  auth?: boolean;
}

export interface SendResult {
  /** Userids WeCom refused (partial invalids still send), lower-cased as WeCom returns them. */
  invalidUsers: string[];
  msgid?: string;
  /** Interactive template cards: one update of the sent cards (message/update_template_card), within its validity. */
  responseCode?: string;
}

/** An app menu button (menu/create, docs/wecom.md §4): a click/location_select/pic_* button with its key, or a group of sub_buttons. */
export type MenuButton =
  | { type: 'click' | 'location_select' | 'pic_photo_or_album' | 'pic_sysphoto'; name: string; key: string }
  | { type: 'view'; name: string; url: string }
  | { name: string; sub_button: MenuButton[] };

export interface MediaFile {
  data: Buffer;
  contentType: string;
  filename?: string;
}

export type WecomClient = ReturnType<typeof createWecomClient>;

export function createWecomClient(deps: WecomClientDeps) {
  const { config } = deps;
  const prefix = deps.keyPrefix ?? 'sl:';
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clock = deps.clock ?? systemClock;
  const log = deps.logger.child({ area: 'wecom' });
  const tokens: TokenCache = createTokenCache(deps.redis, prefix);
  const limiter: RateLimiter = createRateLimiter(deps.redis, prefix);
  const tokenName = `token:${config.corpId}:${config.agentId}`;

  async function request(api: string, o: CallOptions, token?: string): Promise<Response> {
    const url = new URL(`${config.apiBase.replace(/\/$/, '')}/cgi-bin/${api}`);
    for (const [k, v] of Object.entries(o.query ?? {})) url.searchParams.set(k, v);
    if (token) url.searchParams.set('access_token', token);
    const taken = await limiter.take([apiBucket(api)], clock());
    if (!taken.ok) throw new WecomRateLimited(`corp calls to ${api}`, taken.retryAfterMs);
    let res: Response;
    try {
      res = await fetch(url, {
        method: o.method ?? 'GET',
        headers: o.body === undefined ? undefined : { 'content-type': 'application/json' },
        body: o.form ?? (o.body === undefined ? undefined : JSON.stringify(o.body)),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const name = (err as Error).name;
      throw new WecomHttpError(api, name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network');
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new WecomHttpError(api, res.status);
    }
    return res;
  }

  function check<T extends WecomResponse>(api: string, json: T): T {
    const errcode = Number(json.errcode ?? 0);
    if (errcode === 0) return json;
    const err = new WecomApiError(api, errcode, String(json.errmsg ?? ''), json.invaliduser as string | undefined);
    if (err.isConfiguration) log.error({ api, errcode }, 'WeCom rejected the app credentials (40001): check WECOM_CORP_ID and WECOM_SECRET');
    throw err;
  }

  /** JSON calls; a token WeCom calls invalid or expired is refreshed once and the call retried. */
  async function call<T extends WecomResponse>(api: string, o: CallOptions = {}): Promise<T> {
    const auth = o.auth ?? true;
    for (let attempt = 1; ; attempt++) {
      const token = auth ? await getToken() : undefined;
      const json = (await (await request(api, o, token)).json()) as T;
      const errcode = Number(json.errcode ?? 0);
      if (token && TOKEN_ERRCODES.has(errcode) && attempt === 1) {
        log.warn({ api, errcode }, 'access token rejected; refreshing once');
        await tokens.invalidate(tokenName, token);
        continue;
      }
      return check(api, json);
    }
  }

  async function getToken(): Promise<string> {
    return tokens.get(tokenName, async () => {
      const json = await (
        await request('gettoken', { query: { corpid: config.corpId, corpsecret: config.secret } })
      ).json() as WecomResponse;
      const ok = check('gettoken', json);
      log.info({ expiresIn: ok.expires_in }, 'access token refreshed');
      return { value: String(ok.access_token), expiresIn: Number(ok.expires_in ?? 7200) };
    });
  }

  async function ticket(name: string, api: string, query: Record<string, string> = {}): Promise<string> {
    return tokens.get(name, async () => {
      const json = await call<WecomResponse>(api, { query });
      return { value: String(json.ticket), expiresIn: Number(json.expires_in ?? 7200) };
    });
  }

  return {
    getToken,

    /** message/send to ≤1,000 userids (outbox rows are already split that way). */
    async sendMessage(touser: string[], payload: OutboundPayload, opts: { duplicateCheck?: boolean } = {}): Promise<SendResult> {
      if (touser.length === 0 || touser.length > MAX_TOUSER) throw new RangeError(`touser must hold 1..${MAX_TOUSER} userids`);
      const json = await call<WecomResponse>('message/send', {
        method: 'POST',
        body: {
          touser: touser.join('|'),
          agentid: config.agentId,
          ...payload,
          // Asks WeCom to drop an identical message sent within 30 min: set on retries, where a
          // timed-out first attempt may in fact have been delivered.
          ...(opts.duplicateCheck ? { enable_duplicate_check: 1, duplicate_check_interval: 1800 } : {}),
        },
      });
      const invalid = typeof json.invaliduser === 'string' && json.invaliduser !== '' ? json.invaliduser.split('|') : [];
      const responseCode = typeof json.response_code === 'string' && json.response_code !== '' ? json.response_code : undefined;
      return { invalidUsers: invalid, msgid: json.msgid as string | undefined, responseCode };
    },

    /** message/update_template_card: the button of these users' card reads `update.button.replace_name` (the code is used up). */
    async updateTemplateCard(userids: string[], update: CardUpdate): Promise<void> {
      await call('message/update_template_card', { method: 'POST', body: { userids, agentid: config.agentId, ...update } });
    },

    /** menu/create for this app (replaces the whole menu). */
    async createMenu(buttons: MenuButton[]): Promise<void> {
      await call('menu/create', { method: 'POST', query: { agentid: String(config.agentId) }, body: { button: buttons } });
    },

    /** menu/get: the app's menu as WeCom holds it. */
    async getMenu(): Promise<MenuButton[]> {
      const json = await call<WecomResponse>('menu/get', { query: { agentid: String(config.agentId) } });
      return ((json.button as MenuButton[] | undefined) ?? []);
    },

    async appchatCreate(chat: { name: string; owner: string; userlist: string[]; chatid?: string }): Promise<string> {
      const json = await call<WecomResponse>('appchat/create', { method: 'POST', body: chat });
      return String(json.chatid);
    },

    async appchatUpdate(chat: { chatid: string; name?: string; owner?: string; add_user_list?: string[]; del_user_list?: string[] }): Promise<void> {
      await call('appchat/update', { method: 'POST', body: chat });
    },

    async appchatSend(chatid: string, payload: OutboundPayload): Promise<void> {
      await call('appchat/send', { method: 'POST', body: { chatid, ...payload } });
    },

    async appchatGet(chatid: string): Promise<{ chatid: string; name: string; owner: string; userlist: string[] }> {
      const json = await call<WecomResponse>('appchat/get', { query: { chatid } });
      return json.chat_info as { chatid: string; name: string; owner: string; userlist: string[] };
    },

    /** Group robot webhook; the key is a secret and is never logged. */
    async robotSend(key: string, payload: OutboundPayload | RobotFilePayload | Record<string, unknown>): Promise<void> {
      await call('webhook/send', { method: 'POST', auth: false, query: { key }, body: payload });
    },

    /**
     * webhook/upload_media?key=&type=file (docs/wecom.md §4): a multipart upload, field `media`,
     * whose filename is the name the group sees; returns the media_id (valid 3 days) for
     * robotSend's { msgtype: 'file' }. WeCom takes 5 bytes to 20 MB.
     */
    async robotUploadFile(key: string, filename: string, data: Buffer): Promise<string> {
      const form = new FormData();
      form.append('media', new Blob([new Uint8Array(data)], { type: 'application/octet-stream' }), filename);
      const json = await call<WecomResponse>('webhook/upload_media', { method: 'POST', auth: false, query: { key, type: 'file' }, form });
      return String(json.media_id);
    },

    /** OAuth code → member userid (auth/getuserinfo); outsiders are refused. */
    async getUserInfo(code: string): Promise<{ userid: string; userTicket?: string }> {
      const json = await call<WecomResponse>('auth/getuserinfo', { query: { code } });
      const userid = (json.userid ?? json.UserId) as string | undefined;
      if (!userid) throw new WecomApiError('auth/getuserinfo', 46004, 'not a member of this corp');
      return { userid, userTicket: json.user_ticket as string | undefined };
    },

    /** Corp jsapi_ticket for wx.config / ww.register getConfigSignature (cached like the token). */
    getJsapiTicket: () => ticket(`jsapi:${config.corpId}`, 'get_jsapi_ticket'),
    /** App ticket for agentConfig (ticket/get?type=agent_config). */
    getAgentTicket: () => ticket(`agent_ticket:${config.corpId}:${config.agentId}`, 'ticket/get', { type: 'agent_config' }),

    async getCallbackIp(): Promise<string[]> {
      const json = await call<WecomResponse>('getcallbackip');
      return (json.ip_list as string[]) ?? [];
    },

    /** media/get: the file, or a WecomApiError when WeCom answers JSON. */
    async mediaGet(mediaId: string): Promise<MediaFile> {
      for (let attempt = 1; ; attempt++) {
        const token = await getToken();
        const res = await request('media/get', { query: { media_id: mediaId } }, token);
        const contentType = res.headers.get('content-type') ?? 'application/octet-stream';
        if (contentType.includes('json') || contentType.startsWith('text/plain')) {
          const json = (await res.json()) as WecomResponse;
          if (TOKEN_ERRCODES.has(Number(json.errcode)) && attempt === 1) {
            await tokens.invalidate(tokenName, token);
            continue;
          }
          check('media/get', json);
        }
        const filename = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1];
        return { data: Buffer.from(await res.arrayBuffer()), contentType, filename };
      }
    },
  };
}

/**
 * JS-SDK signature (docs/wecom.md §5) for ww.register's getConfigSignature /
 * getAgentConfigSignature; nonce and timestamp are parameters so tests are exact.
 */
export function jsapiSignature(input: { ticket: string; url: string; nonceStr: string; timestamp: number }): {
  timestamp: number;
  nonceStr: string;
  signature: string;
} {
  const url = input.url.split('#')[0];
  const s = getJsApiSignature({ url, ticket: input.ticket, nonceStr: input.nonceStr, timestamp: input.timestamp });
  return { timestamp: Number(s.timestamp), nonceStr: s.nonceStr, signature: s.signature };
}
