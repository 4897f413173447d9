import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { projectRoot } from '../../lib/project-root';

/**
 * Static files of the console and the H5 page. The front end is plain ES
 * modules under public/ with no build step (simpler to run and ship: no
 * toolchain, the files served are the files in the repository). Only files
 * present at start-up are served, by exact name, so no path ever reaches the
 * file system from a request. Vendor bundles come straight from node_modules.
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export const PUBLIC_DIR = join(projectRoot(), 'public');

function sendFile(file: string, cache: string): Middleware {
  return async (ctx) => {
    ctx.type = TYPES[extname(file)] ?? 'application/octet-stream';
    ctx.set('Cache-Control', cache);
    ctx.body = createReadStream(file);
  };
}

/** GET `${prefix}/<name>` for every file directly in `dir` at start-up. */
export function serveDir(router: Router, prefix: string, dir: string, guard: Middleware[] = []): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (!TYPES[extname(name)] || name.endsWith('.html')) continue;
    // no-cache: revalidate on every load so a deploy is seen at once (no hashed file names without a build).
    router.get(`${prefix}/${name}`, ...guard, sendFile(join(dir, name), 'no-cache'));
  }
}

export function serveFile(router: Router, url: string, file: string, guard: Middleware[] = []): void {
  router.get(url, ...guard, sendFile(file, 'public, max-age=86400'));
}

export function htmlFile(name: string): string {
  return join(PUBLIC_DIR, name);
}

export const VENDOR = {
  echarts: require.resolve('echarts/dist/echarts.min.js'),
  wecomJssdk: require.resolve('@wecom/jssdk/dist/wecom.global.prod.js'),
};
