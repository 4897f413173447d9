import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { ForbiddenError, NotFoundError } from '../../lib/errors';
import { LISTS_OF, RECORD_LISTS, recordPage } from '../../services/console/record-lists';
import { SUBJECT_KINDS, scopeHolds, subjectHead, subjectPaths, type SubjectKind } from '../../services/console/record-subjects';
import { cadreHelpCounts } from '../../services/aid/help-acts';
import { isHouseholdBehind, isTeamBehind, isVillageBehind, standingForCadre } from '../../services/standing/cadre-standing';
import { fiveHundredsForCadre } from '../../services/standing/township-targets';
import { openMustVisitsOf } from '../../services/must-visits/events';
import { clockOf, parseInput, requireApiSession, secureHeaders, viewerOf } from './context';
import { idParam, pageParams, rangeParams, toPage, toRange } from './params';

/**
 * The record pages of a village, unit, cadre or household
 * (GET /console/api/records/:kind/:id, …/:list?from=&to=&page=&size=), and a
 * cadre's standing (…/cadre/:id/standing: the figures of the chat's 进度). A leader sees a subject their scope
 * holds (403 otherwise); a cadre without a leading role sees their own page only.
 */

const NOT_FOUND: Record<SubjectKind, string> = { village: '找不到该村。', unit: '找不到该单位。', cadre: '找不到该干部。', household: '找不到该农户。' };
const OUTSIDE = '该记录不在您的管辖范围内。';

const subject = z.object({ kind: z.enum(SUBJECT_KINDS), id: idParam });

export function registerRecordRoutes(router: Router, deps: AppDeps): void {
  const { db } = deps;
  const api = (path: string) => `/console/api${path}`;
  const guard = [secureHeaders, requireApiSession(deps)];

  /** The subject of the path, checked against the viewer: 404 when it does not exist, 403 outside the scope. */
  const scopedSubject = async (ctx: Context): Promise<{ kind: SubjectKind; id: number }> => {
    const s = parseInput(subject, { kind: ctx.params.kind, id: ctx.params.id });
    const viewer = viewerOf(ctx);
    const paths = await subjectPaths(db, s.kind, s.id);
    if (paths === null) throw new NotFoundError(`${s.kind} ${s.id}`, NOT_FOUND[s.kind]);
    const self = s.kind === 'cadre' && s.id === viewer.cadre.id;
    if (!self && !(viewer.scope && scopeHolds(viewer.scope, paths))) {
      throw new ForbiddenError(`cadre ${viewer.cadre.id} asked for ${s.kind} ${s.id} outside their scope`, OUTSIDE);
    }
    return s;
  };

  router.get(api('/records/cadre/:id/standing'), ...guard, async (ctx) => {
    ctx.params.kind = 'cadre';
    const { id } = await scopedSubject(ctx);
    const now = clockOf(deps)();
    const s = await standingForCadre(db.manager, id, now);
    ctx.body = {
      date: s.date,
      villages: s.villages.map((v) => ({ ...v, behind: isVillageBehind(v) })),
      households: s.households.map((h) => ({ ...h, behind: isHouseholdBehind(h) })),
      team: s.team && { ...s.team, behind: isTeamBehind(s.team) },
      targets: s.targets,
      help: await cadreHelpCounts(db, id, now),
      fiveHundreds: await fiveHundredsForCadre(db.manager, id, now),
      mustVisits: await openMustVisitsOf(db, id),
    };
  });

  router.get(api('/records/:kind/:id'), ...guard, async (ctx) => {
    const s = await scopedSubject(ctx);
    ctx.body = { ...(await subjectHead(db, s.kind, s.id, clockOf(deps)()))!, lists: LISTS_OF[s.kind] };
  });

  router.get(api('/records/:kind/:id/:list'), ...guard, async (ctx) => {
    const s = await scopedSubject(ctx);
    const list = parseInput(z.enum(RECORD_LISTS), ctx.params.list, 'list');
    const q = parseInput(z.object({ ...rangeParams, ...pageParams, size: pageParams.size.default(50) }), ctx.query);
    ctx.body = await recordPage(db, s.kind, s.id, list, toRange(q, clockOf(deps)()), toPage(q));
  });
}
