import type Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { AppError, BadInputError } from '../../lib/errors';
import { placeName } from '../../lib/place';
import { shanghaiDate, weekStart } from '../../lib/time';
import { requireScope } from '../../services/console/scope';
import { rankings } from '../../services/console/rankings';
import { buildReport, sendReport } from '../../services/console/report';
import { periodDays, workSummary, type WorkPeriod } from '../../services/console/week-work';
import { clockOf, parseInput, requireApiSession, secureHeaders, viewerOf } from './context';
import { rangeParams, scopeParam } from './params';

/**
 * 工作概况 and the 通报 (docs/console.md): GET /console/api/work?scope=&from=&to=
 * (the figures against the period before and the rankings), GET
 * /console/api/report.docx?scope=&from=&to= (the 通报 as Word), and POST
 * /console/api/report/send {scope, from, to} (the 通报 to the scope's groups,
 * through the outbox). The period defaults to this week (Monday to today).
 */

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const MAX_DAYS = 366;
const FROM_AFTER_TO = '开始日期不能晚于结束日期';
const TOO_LONG = '日期范围不能超过一年';
const NO_GROUPS = '该范围没有登记工作群（花名册“群”表），无法发送通报。';

function toPeriod(q: { from?: string; to?: string }, now: Date): WorkPeriod {
  const today = shanghaiDate(now);
  const period = { from: q.from ?? weekStart(q.to ?? today), to: q.to ?? today };
  if (period.from > period.to) throw new BadInputError('from', `from ${period.from} after to ${period.to}`, `${FROM_AFTER_TO}。`);
  if (periodDays(period) > MAX_DAYS) throw new BadInputError('from', `period of ${periodDays(period)} days`, `${TOO_LONG}。`);
  return period;
}

const periodQuery = z.object({ scope: scopeParam, ...rangeParams });

export function registerWorkRoutes(router: Router, deps: AppDeps): void {
  const { db } = deps;
  const guard = [secureHeaders, requireApiSession(deps)];

  router.get('/console/api/work', ...guard, async (ctx) => {
    const q = parseInput(periodQuery, ctx.query);
    const region = await requireScope(db, viewerOf(ctx), q.scope);
    const now = clockOf(deps)();
    const period = toPeriod(q, now);
    const [summary, ranked] = [await workSummary(db, region, period), await rankings(db, region, period, now)];
    ctx.body = {
      scope: { id: region.id, name: region.name, level: region.level },
      ...summary,
      rankings: { ...ranked, overdue: { ...ranked.overdue, rows: ranked.overdue.rows.map((p) => ({ ...p, place: placeName(p.villageFullName) })) } },
    };
  });

  router.get('/console/api/report.docx', ...guard, async (ctx) => {
    const q = parseInput(periodQuery, ctx.query);
    const region = await requireScope(db, viewerOf(ctx), q.scope);
    const now = clockOf(deps)();
    const report = await buildReport(db, region, toPeriod(q, now), now);
    ctx.type = DOCX;
    ctx.attachment(report.filename);
    ctx.body = report.data;
  });

  router.post('/console/api/report/send', ...guard, bodyParser({ enableTypes: ['json'] }), async (ctx) => {
    const body = parseInput(periodQuery, ctx.request.body ?? {});
    const region = await requireScope(db, viewerOf(ctx), body.scope);
    const now = clockOf(deps)();
    const sent = await sendReport(db, region, toPeriod(body, now), now);
    if (sent.groups.length === 0) throw new AppError('no_groups', `region ${region.id} has no groups`, NO_GROUPS, 409);
    await deps.dispatch?.(sent.outboxIds);
    ctx.body = { groups: sent.groups, queued: sent.outboxIds.length };
  });
}
