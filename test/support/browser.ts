import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type Koa from 'koa';
import { consoleApp } from './console-app';
import { createTestDb, type TestDb } from './db';

/**
 * Browser tests: Debian's chromium through playwright-core, started as this
 * machine allows (headless, no sandbox as root, no background networking: the
 * closed network refuses it), against the console app on a loopback port.
 */

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A Koa app listening on a loopback port. */
export async function listen(app: Koa): Promise<{ server: Server; base: string }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export interface BrowserConsole {
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The console app (demo login) on a loopback port and a browser; close() stops both, not the database. */
export async function startBrowserConsole(t: TestDb, env: Record<string, string> = {}): Promise<BrowserConsole> {
  const c = consoleApp(t, { env });
  const { server, base } = await listen(c.app);
  const browser = await launchChromium();
  return {
    base,
    browser,
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
      c.close();
    },
  };
}

/** Opens `path`, which sends the browser to the demo login page, and logs in as `userid`. */
export async function loginAs(page: Page, base: string, path: string, userid: string): Promise<void> {
  await page.goto(`${base}${path}`);
  await page.waitForURL(/\/console\/login/);
  await page.click(`button[data-userid="${userid}"]`);
  await page.waitForURL(new RegExp(`${path.replace(/\//g, '\\/')}`));
}

/** A browser test file's console, filled in by beforeAll: the database, its seed, the server's base URL and the browser. */
export interface BrowserSuite<S> {
  t: TestDb;
  seed: S;
  base: string;
  browser: Browser;
}

/**
 * Registers beforeAll/afterAll that make a test database, seed it, run `setup`
 * for more data, and start the console (with `env`; a function is read after
 * `setup`) and a browser, stopped and dropped after the file; the returned
 * object's fields are filled when the suite starts.
 */
export function useBrowserConsole<S>(
  makeSeed: (t: TestDb) => Promise<S>,
  opts: { env?: Record<string, string> | (() => Record<string, string>); setup?: (t: TestDb, seed: S) => Promise<void>; timeout?: number } = {},
): BrowserSuite<S> {
  let bc: BrowserConsole | undefined;
  const suite = {} as BrowserSuite<S>;
  beforeAll(async () => {
    suite.t = await createTestDb();
    suite.seed = await makeSeed(suite.t);
    await opts.setup?.(suite.t, suite.seed);
    bc = await startBrowserConsole(suite.t, typeof opts.env === 'function' ? opts.env() : opts.env);
    ({ base: suite.base, browser: suite.browser } = bc);
  }, opts.timeout ?? 60000);
  afterAll(async () => {
    await bc?.close();
    await suite.t?.drop();
  });
  return suite;
}

export interface ConsolePage {
  page: Page;
  context: BrowserContext;
  /** Uncaught errors of the page's scripts. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * A new zh-CN browser context and page that collects the page's errors, opens
 * `path` (default /console), logs in as `userid` on the demo login page and
 * waits for `waitFor` (default the overview's .kpi); `context` adds to or
 * overrides the context's options (a phone's, say).
 */
export async function openConsolePage(browser: Browser, base: string, userid: string,
  opts: { viewport?: { width: number; height: number }; context?: BrowserContextOptions; path?: string; waitFor?: string } = {},
): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 800 }, locale: 'zh-CN', ...opts.context });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}${opts.path ?? '/console'}`);
  await page.waitForURL(/\/console\/login/);
  await page.click(`button[data-userid="${userid}"]`);
  await page.waitForSelector(opts.waitFor ?? '.kpi');
  return { page, context, errors, close: () => context.close() };
}
