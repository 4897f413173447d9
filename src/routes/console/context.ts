import type { Context, Middleware, Next } from 'koa';
import helmet from 'koa-helmet';
import type { z } from 'zod';
import type { AppDeps } from '../../app';
import type { Cadre } from '../../../entities';
import { AppError, BadInputError } from '../../lib/errors';
import { resolveViewer, type Viewer } from '../../services/console/scope';
import {
  OAUTH_CALLBACK_PATH, OAUTH_COOKIE, SESSION_COOKIE, STATE_TTL_MS, authorizeUrl, createOAuthState, readSessionToken, sessionCadre,
  type LoginTarget,
} from '../../auth/session';

/**
 * What the console and H5 routes share: security headers, the session
 * cookie, the viewer behind it, and zod-checked query strings.
 */

/**
 * The WeCom client methods the console needs (src/wecom/client.ts).
 * Optional on the deps: demo mode logs in through the demo page and never calls them.
 */
export type ConsoleWecom = NonNullable<AppDeps['wecom']>;

/** "Now" for a request: the app's clock (tests fix it), else the system clock. */
export function clockOf(deps: AppDeps): () => Date {
  return () => deps.clock?.() ?? new Date();
}

export function wecomOf(deps: AppDeps): ConsoleWecom | undefined {
  return deps.wecom;
}

/** helmet with a CSP that allows only our own scripts and styles (ECharts sets inline style attributes). */
export const secureHeaders: Middleware = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'self'"],
    },
  },
  // Pages are opened inside the WeCom app and must keep working over plain HTTP in demo mode.
  strictTransportSecurity: false,
}) as Middleware;

export interface ConsoleState { cadre?: Cadre; viewer?: Viewer }

/** The active roster person behind the session cookie, or null. */
export async function sessionFrom(ctx: Context, deps: AppDeps, now: Date): Promise<Cadre | null> {
  const claim = readSessionToken(deps.config.sessionSecret, ctx.cookies.get(SESSION_COOKIE), now);
  return claim === null ? null : sessionCadre(deps.db, claim);
}

/**
 * Sends a person without a session to log in: WeCom's OAuth authorize URL
 * (docs/wecom.md §4) with a signed state, also kept in a short-lived cookie
 * for the callback to match, or the demo login page in demo mode.
 */
export function redirectToLogin(ctx: Context, deps: AppDeps, target: LoginTarget, now: Date): void {
  const { config } = deps;
  if (config.demo) return ctx.redirect(`/console/login?to=${target}`);
  const state = createOAuthState(config.sessionSecret, target, now);
  // Lax: WeCom's redirect back is a top-level GET, which carries it.
  ctx.cookies.set(OAUTH_COOKIE, state, { httpOnly: true, sameSite: 'lax', path: OAUTH_CALLBACK_PATH, maxAge: STATE_TTL_MS, overwrite: true });
  ctx.redirect(authorizeUrl({
    corpId: config.wecom.corpId,
    agentId: config.wecom.agentId,
    redirectUri: `${config.publicUrl}${OAUTH_CALLBACK_PATH}`,
    state,
  }));
}

/** Pages: redirect to login without a session. */
export function requirePageSession(deps: AppDeps, target: LoginTarget): Middleware {
  return async (ctx: Context, next: Next) => {
    const cadre = await sessionFrom(ctx, deps, clockOf(deps)());
    if (!cadre) return redirectToLogin(ctx, deps, target, clockOf(deps)());
    (ctx.state as ConsoleState).cadre = cadre;
    await next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const JSON_ONLY = '请求格式有误，请刷新页面后重试。';

/** APIs: 401 without a session, 415 for a write without a JSON body; sets ctx.state.viewer. */
export function requireApiSession(deps: AppDeps): Middleware {
  return async (ctx: Context, next: Next) => {
    const cadre = await sessionFrom(ctx, deps, clockOf(deps)());
    if (!cadre) throw new AppError('unauthenticated', 'no valid session', '登录已失效，请重新登录。', 401);
    // The CSRF guard of every console and H5 POST: a JSON body, which no other site's page can send without CORS.
    if (!SAFE_METHODS.has(ctx.method) && !ctx.is('application/json')) {
      throw new AppError('json_only', `${ctx.method} ${ctx.path} without a JSON body`, JSON_ONLY, 415);
    }
    const state = ctx.state as ConsoleState;
    state.cadre = cadre;
    state.viewer = await resolveViewer(deps.db, cadre);
    ctx.set('Cache-Control', 'no-store');
    await next();
  };
}

export function viewerOf(ctx: Context): Viewer {
  return (ctx.state as ConsoleState).viewer!;
}

export function cadreOf(ctx: Context): Cadre {
  return (ctx.state as ConsoleState).cadre!;
}

const BAD_INPUT = '请求参数有误，请刷新页面后重试。';
const CHINESE = /\p{Script=Han}/u;

/**
 * Parses a query (or body) with zod; a bad value is a 400. The log detail names the
 * field, and so does the answer's `field` (the first bad one; `name` for a bare value such
 * as a path's id); people read only the schema's own Chinese messages (请填写整改说明),
 * never a field name or zod's English, else a general sentence.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, name = 'body'): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const detail = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    const said = [...new Set(r.error.issues.map((i) => i.message).filter((m) => CHINESE.test(m)))];
    const field = String(r.error.issues[0].path[0] ?? name);
    throw new BadInputError(field, detail, said.length > 0 ? `${said.join('；')}。` : BAD_INPUT);
  }
  return r.data;
}
