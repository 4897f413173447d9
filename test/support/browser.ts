import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import type Koa from 'koa';
import { consoleApp } from './console-app';
import type { TestDb } from './db';

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
