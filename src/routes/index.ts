import type Router from '@koa/router';
import type { AppDeps } from '../app';
import { registerHealthRoutes } from './health';
import { registerCallbackRoutes } from './callback';
import { registerPhotoRoutes } from './photos';
import { registerConsoleRoutes } from './console';
import { registerH5Routes } from './h5';
import { registerAdminRoutes } from './admin';
import { registerDemoRoutes } from '../demo/routes';
import { secureHeaders } from './console/context';
import { NotFoundError } from '../lib/errors';

/** Every HTTP route of the app, registered in one place. */
export function registerRoutes(router: Router, deps: AppDeps): void {
  registerHealthRoutes(router, deps);
  registerCallbackRoutes(router, deps);
  registerPhotoRoutes(router, deps);
  registerConsoleRoutes(router, deps);
  registerH5Routes(router, deps);
  registerAdminRoutes(router, deps);
  registerDemoRoutes(router, deps);
  // Last: a console, H5 or photo path no route answered is a 404 with the same headers as the rest.
  router.all(['/console/{*rest}', '/h5/{*rest}', '/photos/{*rest}'], secureHeaders, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    throw new NotFoundError(`no route for ${ctx.method} ${ctx.path}`, '找不到该页面。');
  });
}
