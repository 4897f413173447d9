import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { AppError, ForbiddenError, NotFoundError } from '../errors';
import { requireScope, resolveViewer, type Viewer } from '../services/console/scope';
import { photoForViewer, photosOf, NOT_YOURS, type PhotoTarget } from '../services/photos/query';
import { createPhotoStorage, type PhotoStorage } from '../services/photos/storage';
import { thumbKey } from '../services/photos/thumbnail';
import { readSessionToken, sessionCadre, SESSION_COOKIE } from '../services/session';
import { secureHeaders } from './console/context';

/**
 * Photo evidence for the console: the photos of a problem, a check-in or a
 * household visit (GET /console/api/photos?problem=…|visit=…|householdVisit=…),
 * and the pictures themselves (GET /photos/:id, GET /photos/:id/thumb), each
 * checked against the viewer's scope: another county's photo answers 403.
 */

const targetQuery = z.object({
  problem: z.coerce.number().int().positive().optional(),
  visit: z.coerce.number().int().positive().optional(),
  householdVisit: z.coerce.number().int().positive().optional(),
}).refine((q) => [q.problem, q.visit, q.householdVisit].filter((x) => x !== undefined).length === 1, 'give one of problem, visit, householdVisit');

const NO_FILE = '找不到该照片文件。';
const LOGIN_AGAIN = '登录已失效，请重新登录。';

/** The console session (src/services/session.ts) and the viewer's scope; 401 without one. */
function requireViewer(deps: AppDeps): Middleware {
  return async (ctx, next) => {
    const now = deps.clock?.() ?? new Date();
    const id = readSessionToken(deps.config.sessionSecret, ctx.cookies.get(SESSION_COOKIE), now);
    const cadre = id === null ? null : await sessionCadre(deps.db, id);
    if (!cadre) throw new AppError('unauthenticated', 'no valid session', LOGIN_AGAIN, 401);
    ctx.state.viewer = await resolveViewer(deps.db, cadre);
    ctx.set('X-Content-Type-Options', 'nosniff');
    await next();
  };
}

const viewerOf = (ctx: Context): Viewer => ctx.state.viewer as Viewer;

function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const detail = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError('bad_query', detail, `参数有误：${detail}`, 400);
  }
  return r.data;
}

export function registerPhotoRoutes(router: Router, deps: AppDeps, storage: PhotoStorage = createPhotoStorage(deps.config)): void {
  const { db } = deps;
  const guard = requireViewer(deps);

  router.get('/console/api/photos', secureHeaders, guard, async (ctx) => {
    const q = parseInput(targetQuery, ctx.query);
    const target: PhotoTarget = q.problem ? { problemId: q.problem } : q.visit ? { visitId: q.visit } : { householdVisitId: q.householdVisit! };
    const { villageId, photos } = await photosOf(db, target);
    if (villageId === null) throw new NotFoundError('photo target', '找不到该记录。');
    const viewer = viewerOf(ctx);
    if (viewer.scope) {
      await requireScope(db, viewer, villageId);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { photos };
    } else {
      // A cadre without a console scope sees only the pictures they sent.
      const mine = photos.filter((p) => p.uploaderId === viewer.cadre.id);
      if (mine.length === 0 && photos.length > 0) throw new ForbiddenError(`cadre ${viewer.cadre.id} has no scope`, NOT_YOURS);
      ctx.body = { photos: mine };
    }
  });

  for (const thumb of [false, true]) {
    router.get(thumb ? '/photos/:id/thumb' : '/photos/:id', secureHeaders, guard, async (ctx) => {
      const id = parseInput(z.coerce.number().int().positive(), ctx.params.id);
      const photo = await photoForViewer(db, viewerOf(ctx), id);
      const object = (thumb ? await storage.get(thumbKey(photo.sha256)) : null) ?? (await storage.get(photo.storageKey));
      if (!object) throw new NotFoundError(`photo ${id} file`, NO_FILE);
      ctx.type = object.contentType;
      // Content-addressed, but access is per viewer: cache privately only.
      ctx.set('Cache-Control', 'private, max-age=86400');
      ctx.set('ETag', `"${photo.sha256}${thumb ? '-t' : ''}"`);
      ctx.body = object.data;
    });
  }
}
