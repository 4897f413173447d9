import type Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { AppError, NotFoundError } from '../../lib/errors';
import { activitySeries } from '../../services/console/activity';
import { coverage } from '../../services/console/coverage';
import { ledgerPage, ledgerSummary, problemDetail, problemPlace } from '../../services/console/ledger';
import { myRecords } from '../../services/console/mine';
import { noticesPage } from '../../services/console/notices';
import { requireScope, scopeTree } from '../../services/console/scope';
import { cadreStanding, unitStanding } from '../../services/standing/console-standing';
import { closeProblem } from '../../services/problems/ledger';
import { clockOf, cadreOf, parseInput, requireApiSession, secureHeaders, viewerOf } from './context';
import { flag, pageParams, rangeParams, scopeParam, toPage, toRange } from './params';

/**
 * The console's JSON APIs. Thin: parse the query with zod, check the scope
 * against the viewer (403 outside it), call a service.
 */

const ALREADY_CLOSED = '该问题已销号。';

export function registerConsoleApi(router: Router, deps: AppDeps): void {
  const { db } = deps;
  const api = (path: string) => `/console/api${path}`;
  const guard = [secureHeaders, requireApiSession(deps)];
  const scoped = (ctx: Context, scope?: number) => requireScope(db, viewerOf(ctx), scope);

  router.get(api('/me'), ...guard, async (ctx) => {
    const { cadre, scope } = viewerOf(ctx);
    ctx.body = {
      name: cadre.name, role: cadre.role, userid: cadre.userid,
      scope: scope && { id: scope.id, name: scope.name, fullName: scope.fullName, level: scope.level },
    };
  });

  router.get(api('/mine'), ...guard, async (ctx) => {
    ctx.body = await myRecords(db, cadreOf(ctx), clockOf(deps)());
  });

  router.get(api('/tree'), ...guard, async (ctx) => {
    const q = parseInput(z.object({ scope: scopeParam }), ctx.query);
    ctx.body = await scopeTree(db, viewerOf(ctx), await scoped(ctx, q.scope));
  });

  router.get(api('/coverage'), ...guard, async (ctx) => {
    const q = parseInput(z.object({ scope: scopeParam }), ctx.query);
    ctx.body = await coverage(db, await scoped(ctx, q.scope), clockOf(deps)());
  });

  router.get(api('/activity'), ...guard, async (ctx) => {
    const q = parseInput(z.object({ scope: scopeParam, ...rangeParams, bucket: z.enum(['day', 'week', 'month']).default('day') }), ctx.query);
    const region = await scoped(ctx, q.scope);
    ctx.body = { bucket: q.bucket, points: await activitySeries(db, region, toRange(q, clockOf(deps)()), q.bucket) };
  });

  router.get(api('/standing'), ...guard, async (ctx) => {
    const q = parseInput(z.object({
      scope: scopeParam, by: z.enum(['unit', 'cadre']).default('unit'),
      sort: z.enum(['behind', 'name', 'visits']).default('behind'), behind: flag, ...pageParams,
    }), ctx.query);
    const region = await scoped(ctx, q.scope);
    const page = { sort: q.sort, behindOnly: q.behind, ...toPage(q) };
    ctx.body = q.by === 'unit' ? await unitStanding(db, region, clockOf(deps)(), page) : await cadreStanding(db, region, clockOf(deps)(), page);
  });

  router.get(api('/problems'), ...guard, async (ctx) => {
    const q = parseInput(z.object({
      scope: scopeParam, status: z.enum(['open', 'closed']).optional(), village: z.coerce.number().int().positive().optional(),
      overdue: flag, ...rangeParams, ...pageParams,
    }), ctx.query);
    const region = await scoped(ctx, q.scope);
    const now = clockOf(deps)();
    const range = q.from || q.to ? toRange(q, now) : {};
    const [page, summary] = await Promise.all([
      ledgerPage(db, region, { status: q.status, villageId: q.village, overdue: q.overdue, ...range }, now, toPage(q)),
      ledgerSummary(db, region, now),
    ]);
    ctx.body = { ...page, summary };
  });

  router.get(api('/problems/:id'), ...guard, async (ctx) => {
    const id = parseInput(z.coerce.number().int().positive(), ctx.params.id);
    ctx.body = await problemDetail(db, await scoped(ctx), id, clockOf(deps)());
  });

  router.post(api('/problems/:id/close'), ...guard, bodyParser({ enableTypes: ['json'] }), async (ctx) => {
    const id = parseInput(z.coerce.number().int().positive(), ctx.params.id);
    const body = parseInput(z.object({ note: z.string().trim().min(1, '请填写整改说明').max(1000) }), ctx.request.body);
    const viewer = viewerOf(ctx);
    const found = await problemPlace(db, id);
    if (!found) throw new NotFoundError(`problem ${id}`, '找不到该问题。');
    const region = await scoped(ctx, found.villageId);
    const now = clockOf(deps)();
    const result = await db.transaction((manager) => closeProblem(manager, {
      // A leader closes in their scope; an admin without a roster scope acts for the province.
      actor: { ...viewer.cadre, scopeRegionId: viewer.scope!.id },
      code: found.code, note: body.note, now,
    }));
    if (result.kind === 'already_closed') throw new AppError('already_closed', `problem ${id} already closed`, ALREADY_CLOSED, 409);
    if (result.kind !== 'closed') throw new AppError('close_refused', `problem ${id}: ${result.kind}`, '无法销号该问题。', 403);
    ctx.body = await problemDetail(db, region, id, now);
  });

  router.get(api('/notices'), ...guard, async (ctx) => {
    const q = parseInput(z.object({ scope: scopeParam, ...pageParams }), ctx.query);
    ctx.body = await noticesPage(db, await scoped(ctx, q.scope), toPage(q));
  });
}
