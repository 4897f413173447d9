import type { Context } from 'koa';

/** What every simulated WeCom API answers with: JSON bodies with errcode and errmsg (docs/wecom.md §4). */

export type Body = Record<string, unknown>;
export type Handler = (ctx: Context, body: Body, now: number) => Promise<Body> | Body;
/** Registers one simulated API (routes.ts simulatorRouter: counts the call, applies faults, checks the token). */
export type RegisterApi = (method: 'get' | 'post', path: string, auth: boolean, handler: Handler) => void;

/** A text or markdown message's content limit in bytes (app messages, and a robot's text). */
export const TEXT_LIMIT_BYTES = 2048;

export const fail = (errcode: number, errmsg: string, extra: Body = {}): Body => ({ errcode, errmsg, ...extra });
export const ok = (extra: Body = {}): Body => ({ errcode: 0, errmsg: 'ok', ...extra });

export function contentTooLong(msgtype: string, content: Body, limit: number): Body | null {
  if ((msgtype === 'text' || msgtype === 'markdown') && Buffer.byteLength(String(content.content ?? ''), 'utf8') > limit) {
    return fail(45002, 'content size out of limit');
  }
  if ((msgtype === 'text' || msgtype === 'markdown') && String(content.content ?? '') === '') return fail(44004, 'empty content');
  return null;
}
