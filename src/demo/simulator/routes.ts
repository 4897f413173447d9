import { randomBytes } from 'node:crypto';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { SimulatorState, TOKEN_TTL_SECONDS, type SentApi } from './state';
import { q, registerControl } from './control';
import { contentTooLong, fail, ok, TEXT_LIMIT_BYTES, type Body, type Handler } from './answers';
import { registerRobotApi } from './robot';

/**
 * The WeCom server API as the simulator answers it: same paths, request and
 * response shapes and errcodes as docs/wecom.md §4–§5, on top of
 * SimulatorState. `control` adds the /_sim test API (control.ts).
 */


const MAX_TOUSER = 1000;
const APP_MSGTYPES = new Set(['text', 'markdown', 'textcard', 'template_card', 'news', 'mpnews', 'image', 'file']);
/** Card types whose taps call back (and that message/send answers with a response_code). */
const INTERACTIVE_CARDS = new Set(['button_interaction', 'vote_interaction', 'multiple_interaction']);
const MENU_TYPES = new Set(['click', 'view', 'scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album', 'pic_weixin', 'location_select', 'view_miniprogram']);

/** menu/create's limits (docs/wecom.md §8): 1–3 buttons, 1–5 sub-buttons, names ≤16 bytes, keys ≤128 bytes. */
function menuProblem(buttons: unknown): Body | null {
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) return fail(40016, 'invalid button size');
  for (const b of buttons as Body[]) {
    if (Buffer.byteLength(String(b.name ?? ''), 'utf8') > 16 || !b.name) return fail(40018, 'invalid button name size');
    if (Array.isArray(b.sub_button)) {
      if (b.sub_button.length < 1 || b.sub_button.length > 5) return fail(40023, 'invalid sub button size');
      for (const sb of b.sub_button as Body[]) {
        if (!MENU_TYPES.has(String(sb.type))) return fail(40024, 'invalid sub button type');
        if (Buffer.byteLength(String(sb.name ?? ''), 'utf8') > 40 || !sb.name) return fail(40025, 'invalid sub button name size');
        if (Buffer.byteLength(String(sb.key ?? ''), 'utf8') > 128) return fail(40026, 'invalid sub button key size');
      }
    } else {
      if (!MENU_TYPES.has(String(b.type))) return fail(40017, 'invalid button type');
      if (Buffer.byteLength(String(b.key ?? ''), 'utf8') > 128) return fail(40019, 'invalid button key size');
    }
  }
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function simulatorRouter(state: SimulatorState, opts: { prefix?: string; control?: boolean; clock?: () => number } = {}): Router {
  const router = new Router({ prefix: opts.prefix ?? '' });
  const clock = opts.clock ?? Date.now;
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '1mb' });

  /** Registers one API: counts the call, applies an injected fault, checks the token. */
  function api(method: 'get' | 'post', path: string, auth: boolean, handler: Handler): void {
    router[method](`/cgi-bin/${path}`, json, async (ctx) => {
      const now = clock();
      state.countCall(path);
      const fault = state.takeFault(path);
      if (fault?.kind === 'http500') {
        ctx.status = 500;
        ctx.body = 'simulated server error';
        return;
      }
      if (fault?.kind === 'errcode') {
        ctx.body = fail(fault.errcode ?? -1, 'simulated fault');
        return;
      }
      const run = async (): Promise<Body> => {
        if (auth) {
          const code = state.checkToken(q(ctx, 'access_token'), now);
          if (code === 40014) return fail(40014, 'invalid access_token');
          if (code === 42001) return fail(42001, 'access_token expired');
        }
        return handler(ctx, (ctx.request.body ?? {}) as Body, now);
      };
      if (fault?.kind === 'timeout') {
        if (fault.recordFirst) await run();
        await sleep(fault.delayMs ?? 15_000);
        ctx.status = 504;
        return;
      }
      ctx.body = await run();
    });
  }

  api('get', 'gettoken', false, (ctx, _b, now) => {
    if (q(ctx, 'corpid') !== state.creds.corpId || q(ctx, 'corpsecret') !== state.creds.secret) {
      return fail(40001, 'invalid credential');
    }
    return ok({ access_token: state.issueToken('token', now), expires_in: TOKEN_TTL_SECONDS });
  });

  api('post', 'message/send', true, async (_ctx, body, now) => {
    if (Number(body.agentid) !== state.creds.agentId) return fail(40056, 'invalid agentid');
    const msgtype = String(body.msgtype ?? '');
    const content = body[msgtype] as Body | undefined;
    if (!APP_MSGTYPES.has(msgtype) || typeof content !== 'object' || content === null) return fail(40008, 'invalid message type');
    const tooLong = contentTooLong(msgtype, content, TEXT_LIMIT_BYTES);
    if (tooLong) return tooLong;
    const requested = String(body.touser ?? '').split('|').filter(Boolean).map((u) => u.toLowerCase());
    if (requested.length === 0) return fail(40031, 'invalid userid list');
    if (requested.length > MAX_TOUSER) return fail(40058, 'touser exceeds 1000');
    const valid = await state.validUsers();
    const accepted = valid ? requested.filter((u) => valid.has(u)) : requested;
    const invalid = requested.filter((u) => !accepted.includes(u)).join('|');
    if (accepted.length === 0) return fail(81013, 'user & party & tag all invalid', { invaliduser: invalid });
    const rec = { api: 'message/send' as SentApi, touser: accepted, msgtype, body: content };
    if (body.enable_duplicate_check && state.isDuplicate(rec, now, Number(body.duplicate_check_interval ?? 1800))) {
      return ok({ invaliduser: invalid, msgid: '' });
    }
    const sent = state.record(rec, now);
    // Interactive cards come back with a response code: one update of the cards just sent.
    const taskId = msgtype === 'template_card' ? String(content.task_id ?? '') : '';
    const interactive = taskId !== '' && INTERACTIVE_CARDS.has(String(content.card_type ?? ''));
    return ok({
      invaliduser: invalid, msgid: sent.msgid,
      ...(interactive ? { response_code: state.issueResponseCode(taskId, accepted, now) } : {}),
    });
  });

  api('post', 'message/update_template_card', true, (_ctx, body, now) => {
    if (Number(body.agentid) !== state.creds.agentId) return fail(40056, 'invalid agentid');
    const rc = state.responseCodes.get(String(body.response_code ?? ''));
    if (!rc || rc.used || rc.expiresAt <= now) return fail(40035, 'invalid response_code');
    const replace = (body.button as { replace_name?: unknown } | undefined)?.replace_name;
    if (typeof replace !== 'string' || replace === '') return fail(40035, 'invalid button.replace_name');
    const userids = (Array.isArray(body.userids) ? body.userids.map(String) : []).map((u) => u.toLowerCase());
    const targets = body.atall ? rc.userids : userids.filter((u) => rc.userids.includes(u));
    if (targets.length === 0) return fail(81013, 'user & party & tag all invalid');
    rc.used = true;
    for (const u of targets) state.cardButtons.set(`${rc.taskId}|${u}`, replace);
    return ok();
  });

  api('post', 'menu/create', true, (ctx, body) => {
    if (Number(q(ctx, 'agentid')) !== state.creds.agentId) return fail(40056, 'invalid agentid');
    const problem = menuProblem(body.button);
    if (problem) return problem;
    state.menu = body.button as unknown[];
    return ok();
  });

  api('get', 'menu/get', true, (ctx) => {
    if (Number(q(ctx, 'agentid')) !== state.creds.agentId) return fail(40056, 'invalid agentid');
    return state.menu ? ok({ button: state.menu }) : fail(46003, 'menu no exist');
  });

  api('post', 'appchat/create', true, (_ctx, body) => {
    const name = String(body.name ?? '');
    const userlist = Array.isArray(body.userlist) ? body.userlist.map(String) : [];
    if (name.length > 50) return fail(40058, 'name longer than 50');
    if (userlist.length < 2 || userlist.length > 2000) return fail(40058, 'userlist must hold 2..2000');
    const chatid = String(body.chatid ?? randomBytes(8).toString('hex'));
    if (!/^[0-9a-zA-Z]{1,32}$/.test(chatid)) return fail(40058, 'invalid chatid');
    if (state.chats.has(chatid)) return fail(86215, 'chatid exists');
    state.chats.set(chatid, { chatid, name, owner: String(body.owner ?? userlist[0]), userlist });
    return ok({ chatid });
  });

  api('post', 'appchat/update', true, (_ctx, body) => {
    const chat = state.chats.get(String(body.chatid));
    if (!chat) return fail(86003, 'chat not exist');
    if (typeof body.name === 'string') chat.name = body.name;
    if (typeof body.owner === 'string') chat.owner = body.owner;
    const del = new Set((body.del_user_list as string[] | undefined) ?? []);
    chat.userlist = [...new Set([...chat.userlist.filter((u) => !del.has(u)), ...((body.add_user_list as string[]) ?? [])])];
    return ok();
  });

  api('post', 'appchat/send', true, (_ctx, body, now) => {
    const chat = state.chats.get(String(body.chatid));
    if (!chat) return fail(86003, 'chat not exist');
    const msgtype = String(body.msgtype ?? '');
    const content = body[msgtype] as Body | undefined;
    if (typeof content !== 'object' || content === null) return fail(40008, 'invalid message type');
    state.record({ api: 'appchat/send', touser: chat.userlist.map((u) => u.toLowerCase()), chatid: chat.chatid, msgtype, body: content }, now);
    return ok();
  });

  api('get', 'appchat/get', true, (ctx) => {
    const chat = state.chats.get(q(ctx, 'chatid') ?? '');
    return chat ? ok({ chat_info: chat }) : fail(86003, 'chat not exist');
  });

  registerRobotApi(api, state);

  api('get', 'auth/getuserinfo', true, (ctx) => {
    const code = q(ctx, 'code') ?? '';
    const userid = state.oauthCodes.get(code);
    if (!userid) return fail(40029, 'invalid code');
    state.oauthCodes.delete(code); // single-use
    return ok({ userid });
  });

  api('get', 'get_jsapi_ticket', true, (_ctx, _b, now) => ok({ ticket: state.issueToken('ticket', now), expires_in: TOKEN_TTL_SECONDS }));
  api('get', 'ticket/get', true, (ctx, _b, now) =>
    q(ctx, 'type') === 'agent_config'
      ? ok({ ticket: state.issueToken('ticket', now), expires_in: TOKEN_TTL_SECONDS })
      : fail(40058, 'invalid type'),
  );
  api('get', 'getcallbackip', true, () => ok({ ip_list: ['127.0.0.1'] }));

  router.get('/cgi-bin/media/get', async (ctx) => {
    state.countCall('media/get');
    const fault = state.takeFault('media/get');
    if (fault?.kind === 'http500' || fault?.kind === 'timeout') {
      if (fault.kind === 'timeout') await sleep(fault.delayMs ?? 15_000);
      ctx.status = fault.kind === 'timeout' ? 504 : 500;
      ctx.body = 'simulated server error';
      return;
    }
    if (fault?.kind === 'errcode') {
      ctx.body = fail(fault.errcode ?? -1, 'simulated fault');
      return;
    }
    const code = state.checkToken(q(ctx, 'access_token'), clock());
    const media = state.media.get(q(ctx, 'media_id') ?? '');
    if (code !== 0 || !media) {
      ctx.body = code === 40014 ? fail(40014, 'invalid access_token') : code === 42001 ? fail(42001, 'access_token expired') : fail(40007, 'invalid media_id');
      return;
    }
    ctx.type = media.contentType;
    ctx.set('Content-Disposition', `attachment; filename="${media.filename}"`);
    ctx.body = media.data;
  });

  if (opts.control) registerControl(router, state, json);
  return router;
}
