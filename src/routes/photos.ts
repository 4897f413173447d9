import type Router from '@koa/router';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { NotFoundError } from '../lib/errors';
import { contains, getRegion } from '../services/people/regions';
import { photoForViewer, photosOf, type PhotoTarget } from '../services/photos/query';
import { createPhotoStorage, type PhotoStorage } from '../services/photos/storage';
import { thumbKey } from '../services/photos/thumbnail';
import { parseInput, requireApiSession, secureHeaders, viewerOf } from './console/context';
import { idParam } from './console/params';

/**
 * Photo evidence for the console: the photos of a problem, a check-in or a
 * household visit (GET /console/api/photos?problem=…|visit=…|householdVisit=…),
 * and the pictures themselves (GET /photos/:id, GET /photos/:id/thumb), each
 * checked against the viewer's scope: another county's picture answers 403, and
 * another county's record answers 404, like a missing one.
 */

const targetQuery = z.object({
  problem: idParam.optional(),
  visit: idParam.optional(),
  householdVisit: idParam.optional(),
}).refine((q) => [q.problem, q.visit, q.householdVisit].filter((x) => x !== undefined).length === 1, 'give one of problem, visit, householdVisit');

const NO_FILE = '找不到该照片文件。';
const NO_RECORD = '找不到该记录。';

export function registerPhotoRoutes(router: Router, deps: AppDeps, storage: PhotoStorage = createPhotoStorage(deps.config)): void {
  const { db } = deps;
  const guard = [secureHeaders, requireApiSession(deps)];

  router.get('/console/api/photos', ...guard, async (ctx) => {
    const q = parseInput(targetQuery, ctx.query);
    const target: PhotoTarget = q.problem ? { problemId: q.problem } : q.visit ? { visitId: q.visit } : { householdVisitId: q.householdVisit! };
    const { villageId, photos } = await photosOf(db, target);
    // A record outside the viewer's reach answers exactly like a missing one (as /problems/:id does).
    const missing = new NotFoundError(`photo target ${JSON.stringify(target)} missing or out of scope`, NO_RECORD);
    if (villageId === null) throw missing;
    const viewer = viewerOf(ctx);
    if (viewer.scope) {
      const village = await getRegion(db, villageId);
      if (!village || !contains(viewer.scope, village)) throw missing;
      ctx.body = { photos };
    } else {
      // A cadre without a console scope sees only the pictures they sent.
      const mine = photos.filter((p) => p.uploaderId === viewer.cadre.id);
      if (mine.length === 0 && photos.length > 0) throw missing;
      ctx.body = { photos: mine };
    }
  });

  for (const thumb of [false, true]) {
    router.get(thumb ? '/photos/:id/thumb' : '/photos/:id', ...guard, async (ctx) => {
      const id = parseInput(idParam, ctx.params.id, 'id');
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
