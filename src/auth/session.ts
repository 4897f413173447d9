import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Cadre } from '../../entities';
import { findCadreByUserid } from '../services/people/cadres';
import type { Db } from '../lib/db';

/**
 * Console and H5 sessions: WeCom OAuth (docs/wecom.md §4, docs 96441/96442)
 * ends in a cookie that holds the cadre id, the cadre's session version and an
 * expiry, signed with an HMAC of config.sessionSecret. Every server process
 * accepts it; logout or a change of role or scope bumps the version in the
 * cadres row, which ends every session of that cadre at once.
 *
 * The OAuth `state` is bound to the browser that started the login (a
 * short-lived cookie holding the same state) and accepted once (a Redis key
 * per state), so nobody can log a victim in as someone else (login CSRF).
 */

export const SESSION_COOKIE = 'sl_session';
/** The state of the login this browser started; sent back only to the OAuth callback. */
export const OAUTH_COOKIE = 'sl_oauth';
export const OAUTH_CALLBACK_PATH = '/console/oauth';
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

/** The cookie value for a cadre: `<cadreId>.<sessionVersion>.<expiresMs>.<hmac>`. */
export function createSessionToken(secret: string, cadreId: number, now: Date, sessionVersion = 0): string {
  const body = `${cadreId}.${sessionVersion}.${now.getTime() + SESSION_TTL_MS}`;
  return `${body}.${sign(secret, 'session', body)}`;
}

export interface SessionClaim { cadreId: number; sessionVersion: number }

/** The cadre and session version in a valid, unexpired cookie value, else null. */
export function readSessionToken(secret: string, token: string | undefined, now: Date): SessionClaim | null {
  if (!token) return null;
  const body = verifySigned(secret, 'session', token);
  if (!body) return null;
  const [cadreId, sessionVersion, exp] = body.split('.').map(Number);
  if (!Number.isInteger(cadreId) || !Number.isInteger(sessionVersion) || !(exp > now.getTime())) return null;
  return { cadreId, sessionVersion };
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

/** True when the state WeCom sent back is the one this browser's login started with. */
export function stateMatchesCookie(state: string, cookie: string | undefined): boolean {
  if (!cookie) return false;
  const a = createHash('sha256').update(state).digest();
  const b = createHash('sha256').update(cookie).digest();
  return timingSafeEqual(a, b);
}

/** Marks a state used; false when it was used before (a second callback with it is refused). */
export async function claimOAuthState(redis: Redis, state: string): Promise<boolean> {
  const key = `oauth:state:${createHash('sha256').update(state).digest('hex')}`;
  return (await redis.set(key, '1', 'PX', STATE_TTL_MS, 'NX')) === 'OK';
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

/** Only active roster people may hold a session, and only with their current session version. */
export async function sessionCadre(db: Db, claim: SessionClaim): Promise<Cadre | null> {
  const c = await db.getRepository(Cadre).findOneBy({ id: claim.cadreId });
  return c && c.active && c.sessionVersion === claim.sessionVersion ? c : null;
}

/** Ends every session of the cadre (logout): their cookies' version is no longer current. */
export async function endSessions(db: Db, cadreId: number): Promise<void> {
  await db.getRepository(Cadre).increment({ id: cadreId }, 'sessionVersion', 1);
}

/** The active roster person behind a WeCom userid returned by auth/getuserinfo. */
export async function loginCadre(db: Db, userid: string): Promise<Cadre | null> {
  const c = await findCadreByUserid(db, userid);
  return c && c.active ? c : null;
}
