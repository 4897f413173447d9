import type Router from '@koa/router';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { requireScope } from '../../services/console/scope';
import { exportAssessment, exportHelpLedger, exportLedger, exportStanding, exportVisits } from '../../services/export/xlsx-exports';
import { exportHeading } from '../../services/export/sheet-layout';
import { exportMustVisitLedger } from '../../services/export/must-visit-ledger';
import { lastDay, parsePeriod, quarterOf } from '../../services/assessment/scheme';
import { shanghaiDate } from '../../lib/time';
import { cadreOf, clockOf, parseInput, requireApiSession, secureHeaders, viewerOf } from './context';
import { asOfDay, rangeParams, scopeParam, toRange } from './params';

/**
 * /console/api/export/{ledger,visits,standing,help,must-visits}.xlsx?scope=&from=&to= and
 * /console/api/export/assessment.xlsx?scope=&period=2026-Q1 (考评结果) — xlsx downloads, sent
 * once the whole file is built (with its Content-Length); a failure is a clean error status.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const FILE_NAMES = { ledger: '问题台账', visits: '走访记录表', standing: '任务进度', help: '帮扶台账', 'must-visits': '五必访台账', assessment: '考评结果' } as const;

export function registerExportRoutes(router: Router, deps: AppDeps): void {
  const { db } = deps;
  router.get('/console/api/export/assessment.xlsx', secureHeaders, requireApiSession(deps), async (ctx) => {
    const q = parseInput(z.object({ scope: scopeParam, period: z.string().max(10).optional() }), ctx.query);
    const region = await requireScope(db, viewerOf(ctx), q.scope);
    const now = clockOf(deps)();
    const period = parsePeriod(q.period ?? quarterOf(now));
    const heading = await exportHeading(db, region, cadreOf(ctx).unitId, { from: period.from, to: lastDay(period) }, shanghaiDate(now));
    const file = await exportAssessment(db, region, period, heading);
    ctx.type = XLSX;
    ctx.attachment(`${FILE_NAMES.assessment}-${region.name}-${period.key}.xlsx`);
    ctx.body = file.stream;
    ctx.length = file.size;
  });

  router.get('/console/api/export/:kind.xlsx', secureHeaders, requireApiSession(deps), async (ctx) => {
    const kind = parseInput(z.enum(['ledger', 'visits', 'standing', 'help', 'must-visits']), ctx.params.kind, 'kind');
    const q = parseInput(z.object({ scope: scopeParam, ...rangeParams }), ctx.query);
    const region = await requireScope(db, viewerOf(ctx), q.scope);
    const now = clockOf(deps)();
    const range = toRange(q, now);
    const days = { from: shanghaiDate(range.from), to: shanghaiDate(new Date(range.to.getTime() - 1)) };
    // 任务进度 holds year-to-date figures as of the range's last day: headed and named so.
    const asOf = kind === 'standing' ? asOfDay(q, now) : undefined;
    const standingDay = asOf ?? shanghaiDate(now);
    const shown = kind === 'standing' ? { from: `${standingDay.slice(0, 4)}-01-01`, to: standingDay } : days;
    const heading = await exportHeading(db, region, cadreOf(ctx).unitId, shown, shanghaiDate(now));
    const file = kind === 'ledger' ? await exportLedger(db, region, range, now, deps.config.publicUrl, heading)
      : kind === 'visits' ? await exportVisits(db, region, range, heading)
        : kind === 'help' ? await exportHelpLedger(db, region, range, heading)
          : kind === 'must-visits' ? await exportMustVisitLedger(db, region, range, now, heading)
          : await exportStanding(db, region, now, heading, asOf);
    const span = kind === 'standing' ? `截至${standingDay}` : `${days.from}至${days.to}`;
    const name = `${FILE_NAMES[kind]}-${region.name}-${span}.xlsx`;
    ctx.type = XLSX;
    ctx.attachment(name);
    ctx.body = file.stream;
    ctx.length = file.size;
  });
}
