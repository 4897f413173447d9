import { randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import type { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import type { SimulatorState } from './state';
import { deliverEvent } from './events';

/**
 * The simulator's test control API under /_sim (mounted with `control`): what
 * was sent, faults, token expiry, the member list, the callback, member
 * events, card buttons and OAuth codes. WeCom has no such API; tests and the
 * demo drive the simulator through it.
 */

/** A query parameter given once, else undefined (the WeCom API routes read theirs the same way). */
export const q = (ctx: Context, name: string) => (typeof ctx.query[name] === 'string' ? (ctx.query[name] as string) : undefined);

/** Test control API: what was sent, faults, token expiry, the member list, OAuth codes. */
export function registerControl(router: Router, state: SimulatorState, json: ReturnType<typeof bodyParser>): void {
  router.get('/_sim/sent', (ctx) => {
    const since = q(ctx, 'since');
    ctx.body = {
      sent: state.query({
        touser: q(ctx, 'touser'), chatid: q(ctx, 'chatid'), robotKey: q(ctx, 'key'), api: q(ctx, 'api'),
        since: since === undefined ? undefined : Number(since),
      }),
    };
  });
  router.delete('/_sim/sent', (ctx) => {
    state.reset();
    ctx.status = 204;
  });
  router.get('/_sim/calls', (ctx) => {
    ctx.body = Object.fromEntries(state.calls);
  });
  router.post('/_sim/faults', json, (ctx) => {
    const f = ctx.request.body as { api?: string; kind?: string; count?: number; errcode?: number; delayMs?: number; recordFirst?: boolean };
    if (!f.kind || !['http500', 'timeout', 'errcode'].includes(f.kind)) ctx.throw(400, 'kind must be http500, timeout or errcode');
    state.addFault({ api: f.api ?? '*', kind: f.kind as 'http500', count: f.count ?? 1, errcode: f.errcode, delayMs: f.delayMs, recordFirst: f.recordFirst });
    ctx.status = 204;
  });
  router.post('/_sim/tokens/expire', (ctx) => {
    state.expireTokens();
    ctx.status = 204;
  });
  router.post('/_sim/users', json, (ctx) => {
    const body = ctx.request.body as { userids?: string[] | null };
    state.setUsers(body.userids ?? null);
    ctx.status = 204;
  });
  router.put('/_sim/callback', json, (ctx) => {
    const b = ctx.request.body as { url?: string; token?: string; encodingAesKey?: string };
    if (!b.url || !b.token || !b.encodingAesKey) return ctx.throw(400, 'url, token and encodingAesKey are required');
    state.callback = { url: b.url, token: b.token, encodingAesKey: b.encodingAesKey };
    ctx.status = 204;
  });
  /** An event from a member, delivered to the callback: {userid, event, eventKey?, location?, pictures?, taskId?, responseCode?, createTime?}. */
  router.post('/_sim/events', json, async (ctx) => {
    const b = ctx.request.body as { userid?: string; event?: string; createTime?: number } & Record<string, unknown>;
    if (!state.callback) ctx.throw(409, 'no callback set (PUT /_sim/callback)');
    if (!b.userid || !b.event) ctx.throw(400, 'userid and event are required');
    const { userid, createTime, ...input } = b;
    ctx.body = await deliverEvent(state, state.callback!, userid!, input as { event: string }, Date.now(), createTime);
  });
  router.get('/_sim/cards/:taskId/:userid', (ctx) => {
    ctx.body = { button: state.buttonOf(ctx.params.taskId, ctx.params.userid) ?? null };
  });
  router.post('/_sim/oauth-code', json, (ctx) => {
    const code = randomBytes(8).toString('hex');
    state.oauthCodes.set(code, String((ctx.request.body as { userid?: string }).userid ?? ''));
    ctx.body = { code };
  });
}
