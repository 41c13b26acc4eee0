// Shared browser setup for e2e/run.mjs and e2e/perf.mjs: Debian's Chromium
// through playwright-core (never a downloaded browser), with every request to
// another origin blocked and every console error recorded.

import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-swiftshader',
  // The tracker under test listens on loopback. Chromium's Local Network Access
  // checks stop a page of another origin from framing a loopback address, which
  // the embed test does on purpose; on the web both are public hosts.
  '--disable-features=LocalNetworkAccessChecks',
];

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/**
 * A fresh context and page. `problems` collects console errors, page errors
 * and any request to a host other than `base`'s origin (which is aborted).
 * `opts.pages` maps addresses on other origins to HTML that the browser gets
 * without any network request (a stand-in for a site that embeds the tracker).
 */
export async function newPage(browser, base, opts = {}) {
  const origin = new URL(base).origin;
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 800 }, acceptDownloads: true });
  const problems = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (opts.pages && url in opts.pages) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: opts.pages[url] });
    if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin) return route.continue();
    problems.push(`external request: ${url}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page, problems };
}

export function sanitize(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
