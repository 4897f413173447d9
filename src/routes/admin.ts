import { createHash, timingSafeEqual } from 'node:crypto';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { KoaAdapter } from '@bull-board/koa';
import type { AppDeps } from '../app';
import { ForbiddenError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { QUEUE_NAMES, QUEUE_PREFIX } from '../lib/queue-names';
import { secureHeaders } from './console/context';

/**
 * /admin/queues: the bull-board job dashboard, behind ADMIN_TOKEN. Scripts send
 * `Authorization: Bearer <token>`; a browser opens /admin/queues?token=<token>
 * once, which sets an httpOnly cookie (a hash of the token, never the token).
 */

export const ADMIN_BASE = '/admin/queues';
const COOKIE = 'sl_admin';

const digest = (s: string) => createHash('sha256').update(`admin:${s}`).digest();
const same = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

export function adminAuth(adminToken: string, log?: Logger): Middleware {
  const expected = digest(adminToken);
  return async (ctx, next) => {
    if (!adminToken) throw new ForbiddenError('ADMIN_TOKEN is not set', '未配置管理令牌。');
    const bearer = /^Bearer (.+)$/.exec(ctx.get('authorization'))?.[1];
    const query = typeof ctx.query.token === 'string' ? ctx.query.token : undefined;
    const cookie = ctx.cookies.get(COOKIE);
    const ok = (bearer !== undefined && same(digest(bearer), expected))
      || (query !== undefined && same(digest(query), expected))
      || (cookie !== undefined && same(Buffer.from(cookie, 'hex'), expected));
    if (!ok) {
      // Which credential was tried, never its value.
      const tried = bearer !== undefined ? 'bearer' : query !== undefined ? 'query' : cookie !== undefined ? 'cookie' : 'none';
      log?.warn({ area: 'admin', path: ctx.path, tried }, 'denied');
      ctx.set('WWW-Authenticate', 'Bearer');
      ctx.status = 401;
      ctx.body = { error: 'unauthorized', message: '需要管理令牌。' };
      return;
    }
    if (query !== undefined) {
      ctx.cookies.set(COOKIE, expected.toString('hex'), { httpOnly: true, sameSite: 'strict', path: '/admin' });
      // Drop the token from the address bar.
      if (ctx.method === 'GET' && ctx.path === ADMIN_BASE) return ctx.redirect(`${ADMIN_BASE}/`);
    }
    await next();
  };
}

/**
 * bull-board's page links its fonts from a foreign CDN, blocked or slow in mainland
 * China (and refused by the CSP anyway): drop every stylesheet, script or icon it
 * links by an absolute URL, so the page loads only what the app serves (the fonts
 * fall back to the system's).
 */
export function withoutForeignAssets(html: string): string {
  return html.replace(/<(link|script)\b[^>]*\b(?:href|src)\s*=\s*["']?(?:https?:)?\/\/[^>]*>(?:\s*<\/script>)?/gi, '');
}

export function registerAdminRoutes(router: Router, deps: AppDeps): void {
  let board: Middleware | undefined;
  // Built on first use, so apps that never open the dashboard create no queues.
  const dashboard: Middleware = async (ctx, next) => {
    if (!board) {
      const adapter = new KoaAdapter();
      adapter.setBasePath(ADMIN_BASE);
      createBullBoard({
        queues: QUEUE_NAMES.map((name) => new BullMQAdapter(new Queue(name, { connection: deps.redis, prefix: QUEUE_PREFIX }))),
        // @bull-board/koa pins a slightly different @bull-board/api typing; the runtime contract is the same.
        serverAdapter: adapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
      });
      board = adapter.registerPlugin();
    }
    await board(ctx, next);
    if (typeof ctx.body === 'string' && ctx.response.is('html')) ctx.body = withoutForeignAssets(ctx.body);
  };
  router.all(['/admin/queues', '/admin/queues/{*rest}'], secureHeaders, adminAuth(deps.config.adminToken, deps.logger), dashboard);
}
