import type Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { AppError, ForbiddenError, NotFoundError } from '../../lib/errors';
import { placeName } from '../../lib/place';
import { filledActivitySeries } from '../../services/console/activity';
import { coverage } from '../../services/console/coverage';
import { ledgerPage, ledgerSummary, problemDetail, problemPlace } from '../../services/console/ledger';
import { myRecords } from '../../services/console/mine';
import { noticesPage } from '../../services/console/notices';
import { oversightPage } from '../../services/console/oversight';
import { assessRegion } from '../../services/assessment/scores';
import { isScoreRule, listScoreScheme, parsePeriod, quarterOf } from '../../services/assessment/scheme';
import { setRule } from '../../services/rules/rules-admin';
import { setLeaderRating } from '../../services/assessment/ratings';
import { requireScope, scopeTree } from '../../services/console/scope';
import { shanghaiDate } from '../../lib/time';
import { cadreStanding, unitStanding } from '../../services/standing/console-standing';
import { closeProblem, reopenProblem, setProblemCategory } from '../../services/problems/ledger';
import { loadCategories } from '../../services/problems/categories';
import { clockOf, cadreOf, parseInput, requireApiSession, secureHeaders, viewerOf } from './context';
import { asOfDay, flag, idParam, pageParams, rangeParams, scopeParam, toPage, toRange } from './params';

/**
 * The console's JSON APIs. Thin: parse the query with zod, check the scope
 * against the viewer (403 outside it), call a service.
 */

const SCHEME_ADMINS_ONLY = '只有双联办管理员可以修改考评办法。';
const NOT_A_SCORE_RULE = '没有这项考评分值。';

type ProblemActor = Parameters<typeof closeProblem>[1]['actor'];

/** Results of a problem action that refuse it, as the console shows them. */
const REFUSED: Record<string, { message: string; status: number }> = {
  already_closed: { message: '该问题已销号。', status: 409 },
  not_closed: { message: '该问题尚未销号，无需重开。', status: 409 },
  revoked: { message: '该问题已撤销。', status: 409 },
  need_note: { message: '请填写整改说明。', status: 400 },
  forbidden: { message: '只有上报人、责任人或管辖该村的领导可以处理该问题。', status: 403 },
  not_found: { message: '找不到该问题。', status: 404 },
};

export function registerConsoleApi(router: Router, deps: AppDeps): void {
  const { db } = deps;
  const api = (path: string) => `/console/api${path}`;
  const guard = [secureHeaders, requireApiSession(deps)];
  const scoped = (ctx: Context, scope?: number) => requireScope(db, viewerOf(ctx), scope);

  router.get(api('/me'), ...guard, async (ctx) => {
    const { cadre, scope } = viewerOf(ctx);
    ctx.body = {
      id: cadre.id, name: cadre.name, role: cadre.role, userid: cadre.userid,
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
    const q = parseInput(z.object({ scope: scopeParam, ...rangeParams }), ctx.query);
    const now = clockOf(deps)();
    const range = toRange(q, now);
    const cov = await coverage(db, await scoped(ctx, q.scope), now, { from: shanghaiDate(range.from), to: shanghaiDate(new Date(range.to.getTime() - 1)) });
    ctx.body = {
      ...cov,
      villageGaps: cov.villageGaps.map((v) => ({ ...v, place: placeName(v.fullName) })),
      householdGaps: cov.householdGaps.map((h) => ({ ...h, place: placeName(h.villageFullName) })),
    };
  });

  router.get(api('/activity'), ...guard, async (ctx) => {
    const q = parseInput(z.object({ scope: scopeParam, ...rangeParams, bucket: z.enum(['day', 'week', 'month']).default('day') }), ctx.query);
    const region = await scoped(ctx, q.scope);
    ctx.body = { bucket: q.bucket, points: await filledActivitySeries(db, region, toRange(q, clockOf(deps)()), q.bucket) };
  });

  router.get(api('/standing'), ...guard, async (ctx) => {
    const q = parseInput(z.object({
      scope: scopeParam, by: z.enum(['unit', 'cadre']).default('unit'),
      sort: z.enum(['behind', 'name', 'visits']).default('behind'), behind: flag, ...rangeParams, ...pageParams,
    }), ctx.query);
    const region = await scoped(ctx, q.scope);
    const page = { sort: q.sort, behindOnly: q.behind, ...toPage(q) };
    const now = clockOf(deps)();
    const asOf = asOfDay(q, now);
    if (q.by === 'unit') {
      const units = await unitStanding(db, region, now, page, asOf);
      ctx.body = { ...units, rows: units.rows.map((u) => ({ ...u, place: placeName(u.villageFullName) })) };
    } else {
      ctx.body = await cadreStanding(db, region, now, page, asOf);
    }
  });

  router.get(api('/problems'), ...guard, async (ctx) => {
    const q = parseInput(z.object({
      scope: scopeParam, status: z.enum(['open', 'closed', 'revoked']).optional(), village: idParam.optional(),
      overdue: flag, ...rangeParams, ...pageParams,
    }), ctx.query);
    const region = await scoped(ctx, q.scope);
    const now = clockOf(deps)();
    const range = q.from || q.to ? toRange(q, now) : {};
    const [page, summary] = await Promise.all([
      ledgerPage(db, region, { status: q.status, villageId: q.village, overdue: q.overdue, ...range }, now, toPage(q)),
      ledgerSummary(db, region, now, range),
    ]);
    ctx.body = { ...page, summary };
  });

  router.get(api('/problems/:id'), ...guard, async (ctx) => {
    const id = parseInput(idParam, ctx.params.id, 'id');
    ctx.body = await problemDetail(db, await scoped(ctx), id, clockOf(deps)());
  });

  /**
   * 销号, 重开 and a change of category share one path: the problem in the viewer's scope,
   * acted on as a leader of that scope (an admin without a roster scope acts for the province).
   */
  const actOn = <B extends z.ZodType>(action: string, body: B,
    act: (manager: EntityManager, actor: ProblemActor, code: string, input: z.infer<B>, now: Date) => Promise<string>) =>
    async (ctx: Context) => {
      const id = parseInput(idParam, ctx.params.id, 'id');
      const input = parseInput(body, ctx.request.body);
      const viewer = viewerOf(ctx);
      const found = await problemPlace(db, id);
      if (!found) throw new NotFoundError(`problem ${id}`, '找不到该问题。');
      const region = await scoped(ctx, found.villageId);
      const now = clockOf(deps)();
      const actor = { ...viewer.cadre, scopeRegionId: viewer.scope!.id };
      const kind = await db.transaction((manager) => act(manager, actor, found.code, input, now));
      const refusal = REFUSED[kind];
      if (refusal) throw new AppError(kind, `problem ${id}: ${action} ${kind}`, refusal.message, refusal.status);
      ctx.body = await problemDetail(db, region, id, now);
    };
  const json = bodyParser({ enableTypes: ['json'] });

  router.post(api('/problems/:id/close'), ...guard, json, actOn('close',
    z.object({ note: z.string().trim().min(1, '请填写整改说明').max(1000, '整改说明请不超过1000字') }),
    async (manager, actor, code, { note }, now) => (await closeProblem(manager, { actor, code, note, now })).kind));

  router.post(api('/problems/:id/reopen'), ...guard, json, actOn('reopen',
    z.object({ reason: z.string().trim().min(1, '请填写重开原因').max(1000, '重开原因请不超过1000字') }),
    async (manager, actor, code, { reason }, now) => (await reopenProblem(manager, { actor, code, reason, now })).kind));

  router.post(api('/problems/:id/category'), ...guard, json, actOn('category',
    z.object({ category: z.string().trim().min(1, '请选择问题类别').max(20, '请选择问题类别') }),
    (manager, actor, code, { category }, now) => setProblemCategory(manager, { actor, code, category, now })));

  router.get(api('/problem-categories'), ...guard, async (ctx) => {
    ctx.body = { categories: await loadCategories(db) };
  });

  router.get(api('/oversight'), ...guard, async (ctx) => {
    const q = parseInput(z.object({ scope: scopeParam }), ctx.query);
    const page = await oversightPage(db, await scoped(ctx, q.scope), clockOf(deps)());
    ctx.body = {
      ...page,
      team: { ...page.team, rows: page.team.rows.map((t) => ({ ...t, place: t.villageFullName && placeName(t.villageFullName) })) },
      inspections: { ...page.inspections, gaps: page.inspections.gaps.map((g) => ({ ...g, place: placeName(g.fullName) })) },
    };
  });

  /** 考评: the scores of a quarter or a year (default: this quarter so far) with each component, ranked. */
  router.get(api('/assessment'), ...guard, async (ctx) => {
    const q = parseInput(z.object({ scope: scopeParam, period: z.string().max(10).optional() }), ctx.query);
    const region = await scoped(ctx, q.scope);
    const result = await assessRegion(db, region, parsePeriod(q.period ?? quarterOf(clockOf(deps)())));
    const withPlace = <T extends { villageFullName: string }>(r: T) => ({ ...r, place: placeName(r.villageFullName) });
    ctx.body = { period: result.period.key, cadres: result.cadres.map(withPlace), units: result.units.map(withPlace) };
  });

  /** 领导评议: a leader scores a cadre or a unit of their scope for a quarter, 0–100. */
  router.post(api('/assessment/ratings'), ...guard, json, async (ctx) => {
    const body = parseInput(z.object({
      period: z.string().trim().max(10),
      cadreId: idParam.optional(), unitId: idParam.optional(),
      score: z.coerce.number({ message: '请填写0–100的分数' }),
    }).refine((b) => (b.cadreId === undefined) !== (b.unitId === undefined), { message: '请选择一名干部或一个单位' }), ctx.request.body);
    const viewer = viewerOf(ctx);
    const scope = await scoped(ctx);
    const target = body.cadreId !== undefined ? { cadreId: body.cadreId } : { unitId: body.unitId! };
    await setLeaderRating(db, { id: viewer.cadre.id, scopePath: scope.path }, { target, period: body.period, score: body.score }, clockOf(deps)());
    ctx.body = { ok: true };
  });

  /** The scoring scheme (score.* rules); admins change a value, which the next score read uses. */
  router.get(api('/assessment/scheme'), ...guard, async (ctx) => {
    await scoped(ctx);
    ctx.body = { editable: viewerOf(ctx).cadre.role === '管理员', rules: await listScoreScheme(db) };
  });

  router.post(api('/assessment/scheme'), ...guard, json, async (ctx) => {
    const body = parseInput(z.object({ key: z.string().max(60), value: z.union([z.string().max(20), z.number()]) }), ctx.request.body);
    const viewer = viewerOf(ctx);
    if (viewer.cadre.role !== '管理员') throw new ForbiddenError(`cadre ${viewer.cadre.id} may not edit the scoring scheme`, SCHEME_ADMINS_ONLY);
    if (!isScoreRule(body.key)) throw new NotFoundError(`score rule ${body.key}`, NOT_A_SCORE_RULE);
    await setRule(db, body.key, String(body.value), clockOf(deps)());
    ctx.body = { rules: await listScoreScheme(db) };
  });

  router.get(api('/notices'), ...guard, async (ctx) => {
    const q = parseInput(z.object({ scope: scopeParam, ...pageParams }), ctx.query);
    ctx.body = await noticesPage(db, await scoped(ctx, q.scope), toPage(q));
  });
}
