import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Cadre } from '../../entities';
import { findCadreByUserid } from '../services/people/cadres';
import type { Db } from '../lib/db';

/**
 * Console and H5 sessions: WeCom OAuth (docs/wecom.md §4, docs 96441/96442)
 * ends in a cookie that holds the cadre id and an expiry, signed with an HMAC
 * of config.sessionSecret. Stateless, so every server process accepts it.
 */

export const SESSION_COOKIE = 'sl_session';
/** Eight hours: a working day in the console. */
export const SESSION_TTL_MS = 8 * 3600 * 1000;
/** An OAuth round trip must finish within ten minutes (the code itself lives five). */
export const STATE_TTL_MS = 10 * 60 * 1000;

/** Where a login returns to: the console or the H5 check-in page. */
export const LOGIN_TARGETS = { c: '/console', h: '/h5/checkin' } as const;
export type LoginTarget = keyof typeof LOGIN_TARGETS;

function sign(secret: string, purpose: string, body: string): string {
  return createHmac('sha256', secret).update(`${purpose}:${body}`).digest('base64url');
}

function verifySigned(secret: string, purpose: string, token: string): string | null {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return null;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const want = Buffer.from(sign(secret, purpose, body));
  return given.length === want.length && timingSafeEqual(given, want) ? body : null;
}

/** The cookie value for a cadre: `<cadreId>.<expiresMs>.<hmac>`. */
export function createSessionToken(secret: string, cadreId: number, now: Date): string {
  const body = `${cadreId}.${now.getTime() + SESSION_TTL_MS}`;
  return `${body}.${sign(secret, 'session', body)}`;
}

/** The cadre id in a valid, unexpired cookie value, else null. */
export function readSessionToken(secret: string, token: string | undefined, now: Date): number | null {
  if (!token) return null;
  const body = verifySigned(secret, 'session', token);
  if (!body) return null;
  const [id, exp] = body.split('.').map(Number);
  if (!Number.isInteger(id) || !(exp > now.getTime())) return null;
  return id;
}

/** OAuth `state`: a signed nonce with its time and return target (≤128 bytes as WeCom allows). */
export function createOAuthState(secret: string, target: LoginTarget, now: Date, random: () => Buffer = () => randomBytes(9)): string {
  const body = `${target}.${now.getTime().toString(36)}.${random().toString('base64url')}`;
  return `${body}.${sign(secret, 'oauth', body)}`;
}

/** The return target of a valid, fresh state, else null. */
export function readOAuthState(secret: string, state: string | undefined, now: Date): LoginTarget | null {
  if (!state) return null;
  const body = verifySigned(secret, 'oauth', state);
  if (!body) return null;
  const [target, t] = body.split('.');
  const issued = parseInt(t, 36);
  if (!(target in LOGIN_TARGETS) || !(issued <= now.getTime() && now.getTime() - issued < STATE_TTL_MS)) return null;
  return target as LoginTarget;
}

/** WeCom's authorize URL for a self-built app (snsapi_base: userid only, no consent page). */
export function authorizeUrl(input: { corpId: string; agentId: number; redirectUri: string; state: string }): string {
  const q = new URLSearchParams({
    appid: input.corpId,
    redirect_uri: input.redirectUri,
    response_type: 'code',
    scope: 'snsapi_base',
    state: input.state,
    agentid: String(input.agentId),
  });
  return `https://open.weixin.qq.com/connect/oauth2/authorize?${q.toString()}#wechat_redirect`;
}

/** Only active roster people may hold a session. */
export async function sessionCadre(db: Db, cadreId: number): Promise<Cadre | null> {
  const c = await db.getRepository(Cadre).findOneBy({ id: cadreId });
  return c && c.active ? c : null;
}

/** The active roster person behind a WeCom userid returned by auth/getuserinfo. */
export async function loginCadre(db: Db, userid: string): Promise<Cadre | null> {
  const c = await findCadreByUserid(db, userid);
  return c && c.active ? c : null;
}
