import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type Router from '@koa/router';
import type { AppDeps } from '../../app';
import { registerConsoleApi } from './api';
import { PUBLIC_DIR, VENDOR, serveDir, serveFile } from './assets';
import { registerAuthRoutes } from './auth';
import { requirePageSession, secureHeaders } from './context';
import { registerExportRoutes } from './exports';
import { registerNoticeRoutes } from './notices';
import { registerRecordRoutes } from './records';
import { registerMapApi } from './map';
import { registerWorkRoutes } from './work';
import { registerMustVisitRoutes } from './must-visits';

/** The leaders' console: /console (page, login), /console/assets/*, /console/api/*. */
export function registerConsoleRoutes(router: Router, deps: AppDeps): void {
  registerAuthRoutes(router, deps);
  router.get('/console', secureHeaders, requirePageSession(deps, 'c'), async (ctx) => {
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = createReadStream(join(PUBLIC_DIR, 'console', 'index.html'));
  });
  serveDir(router, '/console/assets', join(PUBLIC_DIR, 'console'), [secureHeaders]);
  serveFile(router, '/console/vendor/echarts.min.js', VENDOR.echarts, [secureHeaders]);
  registerExportRoutes(router, deps);
  registerWorkRoutes(router, deps);
  registerConsoleApi(router, deps);
  registerNoticeRoutes(router, deps);
  registerRecordRoutes(router, deps);
  registerMapApi(router, deps);
  registerMustVisitRoutes(router, deps);
}
