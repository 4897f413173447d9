import type Router from '@koa/router';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { placeName } from '../../lib/place';
import { requireScope } from '../../services/console/scope';
import { mustVisitsPage } from '../../services/console/must-visits';
import { noticeKindsPage } from '../../services/console/notice-kinds';
import { clockOf, parseInput, requireApiSession, secureHeaders, viewerOf } from './context';
import { rangeParams, scopeParam, toRange } from './params';

/**
 * The console's 五必访 and 五必到 figures for a scope and a date range:
 * /console/api/must-visits (events due, visited in time, overdue; per lower
 * region, per cadre, the overdue events) and /console/api/notice-kinds
 * (attendance per notice kind). The 五必访台账 export is in exports.ts.
 */
export function registerMustVisitRoutes(router: Router, deps: AppDeps): void {
  const { db } = deps;
  const guard = [secureHeaders, requireApiSession(deps)];
  const query = z.object({ scope: scopeParam, ...rangeParams });

  router.get('/console/api/must-visits', ...guard, async (ctx) => {
    const q = parseInput(query, ctx.query);
    const region = await requireScope(db, viewerOf(ctx), q.scope);
    const now = clockOf(deps)();
    const page = await mustVisitsPage(db, region, toRange(q, now), now);
    ctx.body = { ...page, overdue: { ...page.overdue, rows: page.overdue.rows.map((e) => ({ ...e, place: placeName(e.villageFullName, 'county') })) } };
  });

  router.get('/console/api/notice-kinds', ...guard, async (ctx) => {
    const q = parseInput(query, ctx.query);
    const region = await requireScope(db, viewerOf(ctx), q.scope);
    const now = clockOf(deps)();
    ctx.body = await noticeKindsPage(db, region, toRange(q, now), now);
  });
}
