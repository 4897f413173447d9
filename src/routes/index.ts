import type Router from '@koa/router';
import type { AppDeps } from '../app';
import { registerHealthRoutes } from './health';
import { registerCallbackRoutes } from './callback';
import { registerPhotoRoutes } from './photos';
import { registerConsoleRoutes } from './console';
import { registerH5Routes } from './h5';
import { registerAdminRoutes } from './admin';
import { registerDemoRoutes } from '../demo/routes';

/** Every HTTP route of the app, registered in one place. */
export function registerRoutes(router: Router, deps: AppDeps): void {
  registerHealthRoutes(router, deps);
  registerCallbackRoutes(router, deps);
  registerPhotoRoutes(router, deps);
  registerConsoleRoutes(router, deps);
  registerH5Routes(router, deps);
  registerAdminRoutes(router, deps);
  registerDemoRoutes(router, deps);
}
