import type Router from '@koa/router';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { requireScope } from '../../services/console/scope';
import { thisWeek, villageMap } from '../../services/console/map';
import { clockOf, parseInput, requireApiSession, secureHeaders, viewerOf } from './context';
import { rangeParams, scopeParam } from './params';

/**
 * 地图: the scope's villages by whether a linked unit checked in within the range (default this week),
 * or by=pace by their links' standing this year, with the county and township outlines.
 */

const FROM_AFTER_TO = '开始日期不能晚于结束日期';

export function registerMapApi(router: Router, deps: AppDeps): void {
  router.get('/console/api/map', secureHeaders, requireApiSession(deps), async (ctx) => {
    const q = parseInput(z.object({ scope: scopeParam, ...rangeParams, by: z.enum(['checkin', 'pace']).default('checkin') })
      .refine((r) => !r.from || !r.to || r.from <= r.to, { message: FROM_AFTER_TO, path: ['from'] }), ctx.query);
    const region = await requireScope(deps.db, viewerOf(ctx), q.scope);
    const now = clockOf(deps)();
    const week = thisWeek(now);
    const from = q.from ?? (q.to && q.to < week.from ? q.to : week.from);
    const to = q.to ?? (from > week.to ? from : week.to);
    ctx.body = await villageMap(deps.db, region, { from, to }, { by: q.by, now });
  });
}
