import type Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { loginPeople } from '../../services/people/directory';
import type { Context } from 'koa';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import {
  LOGIN_TARGETS, OAUTH_CALLBACK_PATH, OAUTH_COOKIE, SESSION_COOKIE, SESSION_TTL_MS, claimOAuthState, createSessionToken,
  endSessions, loginCadre, readOAuthState, readSessionToken, stateMatchesCookie, type LoginTarget,
} from '../../auth/session';
import type { Cadre } from '../../../entities';
import { clockOf, parseInput, redirectToLogin, secureHeaders, wecomOf } from './context';
import { WecomApiError } from '../../wecom/errors';
import { demoLoginPage, refusedPage, type DemoUser } from './login-page';

/**
 * Login for the console and the H5 page: WeCom OAuth (snsapi_base) in
 * production, a user picker in demo mode. Either way the result is the same
 * signed, httpOnly, SameSite=Lax session cookie (Secure: see app.ts). Logout
 * ends the session on the server too (src/auth/session.ts).
 */

const NOT_ON_ROSTER = '您不在双联花名册中，或账号已停用，请联系双联办。';
const BAD_STATE = '登录链接已失效，请从企业微信应用重新进入。';
const OAUTH_FAILED = '企业微信授权失败，请稍后重试。';

const targetSchema = z.enum(Object.keys(LOGIN_TARGETS) as [LoginTarget, ...LoginTarget[]]).catch('c');

function startSession(ctx: Context, deps: AppDeps, cadre: Cadre, target: LoginTarget): void {
  ctx.cookies.set(SESSION_COOKIE, createSessionToken(deps.config.sessionSecret, cadre.id, clockOf(deps)(), cadre.sessionVersion), {
    httpOnly: true, sameSite: 'lax', maxAge: SESSION_TTL_MS, overwrite: true,
  });
  ctx.redirect(LOGIN_TARGETS[target]);
}

function refuse(ctx: Context, status: number, message: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = refusedPage(message);
}

export function registerAuthRoutes(router: Router, deps: AppDeps): void {
  const { config } = deps;

  router.get('/console/login', secureHeaders, async (ctx) => {
    const target = targetSchema.parse(ctx.query.to);
    if (!config.demo) return redirectToLogin(ctx, deps, target, clockOf(deps)());
    ctx.type = 'html';
    ctx.body = demoLoginPage(await loginPeople(deps.db), target);
  });

  router.post('/console/login', secureHeaders, bodyParser({ enableTypes: ['form'] }), async (ctx) => {
    if (!config.demo) return refuse(ctx, 404, BAD_STATE);
    const body = parseInput(z.object({ userid: z.string().min(1).max(64), to: targetSchema }), ctx.request.body);
    const cadre = await loginCadre(deps.db, body.userid);
    if (!cadre) return refuse(ctx, 403, NOT_ON_ROSTER);
    startSession(ctx, deps, cadre, body.to);
  });

  // WeCom redirects here with ?code=&state= (the code is single-use and lives 5 minutes).
  // The state must be the one this browser's login started with (its cookie) and unused.
  router.get(OAUTH_CALLBACK_PATH, secureHeaders, async (ctx) => {
    const q = parseInput(z.object({ code: z.string().min(1).max(512), state: z.string().max(128) }), ctx.query);
    const target = readOAuthState(config.sessionSecret, q.state, clockOf(deps)());
    const bound = stateMatchesCookie(q.state, ctx.cookies.get(OAUTH_COOKIE));
    ctx.cookies.set(OAUTH_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: OAUTH_CALLBACK_PATH, maxAge: 0 });
    if (!target || !bound) {
      deps.logger.warn({ area: 'console', signed: target !== null, bound }, 'oauth state refused');
      return refuse(ctx, 400, BAD_STATE);
    }
    const wecom = wecomOf(deps);
    if (!wecom) return refuse(ctx, 503, OAUTH_FAILED);
    const fresh = await claimOAuthState(deps.redis, q.state).catch((err: Error) => {
      deps.logger.error({ area: 'console', err: err.message }, 'oauth state could not be recorded');
      return null;
    });
    if (fresh === null) return refuse(ctx, 503, OAUTH_FAILED);
    if (!fresh) {
      deps.logger.warn({ area: 'console' }, 'oauth state used twice');
      return refuse(ctx, 400, BAD_STATE);
    }
    let userid: string;
    try {
      userid = (await wecom.getUserInfo(q.code)).userid;
    } catch (err) {
      deps.logger.warn({ area: 'console', err: (err as Error).message }, 'oauth getuserinfo failed');
      // 46004: the code belongs to someone outside the corp (an outsider's openid, no userid).
      if (err instanceof WecomApiError && err.errcode === 46004) return refuse(ctx, 403, NOT_ON_ROSTER);
      // 40029: the code was already used or is older than 5 minutes (a reload of the callback URL).
      if (err instanceof WecomApiError && err.errcode === 40029) return refuse(ctx, 400, BAD_STATE);
      return refuse(ctx, 502, OAUTH_FAILED);
    }
    const cadre = userid ? await loginCadre(deps.db, userid) : null;
    if (!cadre) {
      deps.logger.warn({ area: 'console', userId: userid }, 'oauth login refused: not on the roster');
      return refuse(ctx, 403, NOT_ON_ROSTER);
    }
    startSession(ctx, deps, cadre, target);
  });

  // Ends the session on the server: the cookie's version is no longer the cadre's, wherever it was copied to.
  router.post('/console/logout', secureHeaders, async (ctx) => {
    const claim = readSessionToken(config.sessionSecret, ctx.cookies.get(SESSION_COOKIE), clockOf(deps)());
    if (claim) await endSessions(deps.db, claim.cadreId);
    ctx.cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', maxAge: 0 });
    ctx.redirect('/console');
  });
}
