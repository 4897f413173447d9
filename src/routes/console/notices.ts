import type Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { NOTICE_KINDS } from '../../../entities';
import { AppError, NotFoundError } from '../../lib/errors';
import { placeName } from '../../lib/place';
import { formatShanghai } from '../../lib/time';
import { noticeHead, noticeRecipients, noticeScope } from '../../services/console/notice-detail';
import { requireScope } from '../../services/console/scope';
import { NOTICE_MAX_CHARS, sendNotice } from '../../services/notices/notices';
import { noticeUrges, urgeNotice } from '../../services/notices/urge';
import { outboxWrittenIn } from '../../services/outbox/write';
import { clockOf, parseInput, requireApiSession, secureHeaders, viewerOf } from './context';
import { idParam, pageParams, toPage } from './params';

/**
 * A notice in the console: its detail and recipients (GET /console/api/notices/:id,
 * …/recipients), 催办 (POST …/urge) and 发通知 (POST /console/api/notices), which
 * sends through the chat's 通知 service with its limits. POSTs take JSON only, as
 * every console POST: with the SameSite=Lax session cookie, a page elsewhere can
 * neither send the cookie with a cross-site POST nor a JSON body without CORS.
 */

const NOT_FOUND = '找不到该通知。';
const NOBODY = (scope: string) => `${scope}没有联系干部或工作群，通知未发出。`;
const TOO_SOON = (minutes: number, next: string) => `每${minutes}分钟最多催办一次，请在${next}后再试。`;
const ALL_ACKED = '所有接收人都已回复“收到”，无需催办。';
const scopeLabel = (r: { fullName: string; parentId: number | null }) => (r.parentId === null ? '全省' : placeName(r.fullName));

export function registerNoticeRoutes(router: Router, deps: AppDeps): void {
  const { db } = deps;
  const api = (path: string) => `/console/api${path}`;
  const guard = [secureHeaders, requireApiSession(deps)];
  const json = bodyParser({ enableTypes: ['json'] });
  const dispatch = async (ids: number[]) => { if (ids.length > 0) await deps.dispatch?.(ids); };

  /** The notice, checked against the viewer's scope: 404 when there is none, 403 outside the scope. */
  const scopedNotice = async (ctx: Context): Promise<number> => {
    const id = parseInput(idParam, ctx.params.id, 'id');
    const scope = await noticeScope(db, id);
    if (scope === null) throw new NotFoundError(`notice ${id}`, NOT_FOUND);
    await requireScope(db, viewerOf(ctx), scope);
    return id;
  };

  router.get(api('/notices/:id'), ...guard, async (ctx) => {
    const id = await scopedNotice(ctx);
    const head = await noticeHead(db, id, clockOf(deps)());
    ctx.body = { ...head!, place: placeName(head!.scopeFullName), ...(await noticeUrges(db, id)) };
  });

  router.get(api('/notices/:id/recipients'), ...guard, async (ctx) => {
    const id = await scopedNotice(ctx);
    const q = parseInput(z.object({ status: z.enum(['acked', 'pending', 'attended']), ...pageParams }), ctx.query);
    const page = await noticeRecipients(db, id, q.status, toPage(q), clockOf(deps)());
    ctx.body = { ...page, rows: page.rows.map((r) => ({ ...r, village: r.village && placeName(r.village) })) };
  });

  router.post(api('/notices/:id/urge'), ...guard, async (ctx) => {
    const id = await scopedNotice(ctx);
    const { cadre } = viewerOf(ctx);
    const now = clockOf(deps)();
    const { result, ids } = await db.transaction(async (m) => {
      const r = await urgeNotice(m, { noticeId: id, urger: cadre, now });
      return { result: r, ids: outboxWrittenIn(m) };
    });
    if (result.kind === 'too_soon') {
      throw new AppError('urge_too_soon', `notice ${id}: urged within ${result.minutes} min`, TOO_SOON(result.minutes, formatShanghai(result.nextAt, now)), 409);
    }
    if (result.kind === 'nobody') throw new AppError('urge_nobody', `notice ${id}: everyone acknowledged`, ALL_ACKED, 409);
    if (result.kind === 'not_found') throw new NotFoundError(`notice ${id}`, NOT_FOUND);
    await dispatch(ids);
    ctx.body = { recipients: result.recipients, ...(await noticeUrges(db, id)) };
  });

  router.post(api('/notices'), ...guard, json, async (ctx) => {
    const body = parseInput(z.object({
      scope: idParam,
      kind: z.enum(NOTICE_KINDS, { message: '请选择通知类别（会议、突发、活动或交办）' }),
      content: z.string({ message: '请输入通知内容' }).trim().min(1, '请输入通知内容')
        .refine((c) => [...c].length <= NOTICE_MAX_CHARS, `通知内容请不超过${NOTICE_MAX_CHARS}字`),
    }), ctx.request.body);
    const viewer = viewerOf(ctx);
    const region = await requireScope(db, viewer, body.scope);
    const now = clockOf(deps)();
    const { sent, ids } = await db.transaction(async (m) => {
      const s = await sendNotice(m, { sender: viewer.cadre, scope: region, kind: body.kind, content: body.content, now });
      // Thrown inside the transaction: nothing of a notice nobody receives is kept.
      if (s.recipients === 0 && s.groups === 0) throw new AppError('no_recipients', `scope ${region.id}: no recipients`, NOBODY(scopeLabel(region)), 422);
      return { sent: s, ids: outboxWrittenIn(m) };
    });
    await dispatch(ids);
    ctx.body = { id: sent.notice.id, recipients: sent.recipients, groups: sent.groups, attendUntil: sent.notice.attendUntil };
  });
}
