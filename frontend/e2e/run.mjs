// Browser tests: Debian's Chromium driven by playwright-core against a running
// tracker (BASE_URL, e.g. the real binary started by `make test`).
//
//   BASE_URL=http://127.0.0.1:8080 npm run test:e2e
//
// Every test runs in a fresh browser context that fails on any request to a
// host other than BASE_URL's and on any console error or page error, and
// saves a screenshot to ARTIFACTS_DIR (default ../artifacts/e2e). The last
// line printed is "N passed, M failed"; the exit status is non-zero on failure.

import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, newPage, sanitize } from './browser.mjs';
import { BASE, apiJSON, assert, changedCount, failedResponses, palettePixels, pointInside, renderedClasses, waitForColouredMap, waitForRecolour } from './helpers.mjs';
import evidenceTests from './evidence.mjs';
import recordedTests from './recorded.mjs';
import shareTests from './share.mjs';
import pictureTests from './pictures.mjs';
import diffusionTests from './diffusion.mjs';
import portalTests from './portal.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// ARTIFACTS_DIR is taken relative to the working directory; the default is <repo>/artifacts/e2e.
const ARTIFACTS = process.env.ARTIFACTS_DIR ? resolve(process.env.ARTIFACTS_DIR) : resolve(here, '../../artifacts/e2e');
const ONLY = process.env.E2E_ONLY ?? '';
const TEST_TIMEOUT = 90_000;

mkdirSync(ARTIFACTS, { recursive: true });

const tests = [];
/** Registers a test; fn gets { page, context, ctx }. */
function test(name, fn, opts = {}) {
  tests.push({ name, fn, opts });
}

// ---- tests ------------------------------------------------------------------------

test('map renders coloured countries with a legend', async ({ page }) => {
  await page.goto(`${BASE}/`);
  await waitForColouredMap(page);
  const classes = await renderedClasses(page);
  const values = Object.values(classes);
  assert(values.length > 100, `only ${values.length} countries rendered`);
  assert(values.some((k) => k >= 0), 'no country is coloured by the index');
  const pixels = await palettePixels(page);
  assert(pixels.reduce((a, b) => a + b, 0) > 50, `canvas shows no palette colours (${pixels})`);
  const legend = await page.locator('#legend').innerText();
  assert(/Not assessed/.test(legend), 'legend lacks "Not assessed"');
  const meta = await page.locator('#meta').innerText();
  assert(/Dataset .+ as of \d{4}-\d{2}-\d{2}/.test(meta), `dataset version / as-of not shown: "${meta}"`);
});

test('clicking a country opens its profile with sources', async ({ page, ctx }) => {
  const profile = await apiJSON('/api/v1/countries/CHN');
  await page.goto(`${BASE}/`);
  await waitForColouredMap(page);
  const pt = await pointInside(page, 'CHN', profile.label_point);
  assert(pt, 'China is not on the rendered map');
  await page.mouse.move(pt.x, pt.y);
  await page.locator('#tooltip').waitFor({ state: 'visible', timeout: 5000 });
  await page.mouse.click(pt.x, pt.y);
  await page.locator('#profile').waitFor({ state: 'visible' });
  await page.locator('#profile a.source-link').first().waitFor({ timeout: 20_000 });
  const title = await page.locator('#profile-title').innerText();
  assert(title === profile.name, `profile title "${title}", want "${profile.name}"`);
  const links = await page.locator('#profile a.source-link').count();
  assert(links >= 1, 'no source link in the profile');
  assert(page.url().includes('country=CHN'), `URL does not record the country: ${page.url()}`);
  await page.locator('#profile canvas').first().waitFor();
  ctx.note = `${links} source links`;
});

test('the country list opens a profile from the keyboard', async ({ page }) => {
  const index = await apiJSON('/api/v1/index');
  const target = index.countries.find((c) => c.assessed && c.iso3 !== 'CHN') ?? index.countries[0];
  await page.goto(`${BASE}/`);
  await page.locator('#country-list button').first().waitFor();
  await page.locator('#country-search').focus();
  await page.keyboard.type(target.name);
  await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement?.dataset?.iso3);
  assert(focused === target.iso3, `focus on ${focused}, want ${target.iso3}`);
  await page.keyboard.press('Enter');
  await page.locator('#profile').waitFor({ state: 'visible' });
  await page.waitForFunction((name) => document.querySelector('#profile-title')?.textContent === name, target.name);
  await page.locator('#profile .caps').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('#profile').waitFor({ state: 'hidden' });
});

test('moving the time slider recolours the map', async ({ page, ctx }) => {
  await page.goto(`${BASE}/`);
  await waitForColouredMap(page);
  const before = await renderedClasses(page);
  const count = await page.evaluate(() => window.__tracker.recolourCount);
  const min = Number(await page.locator('#year-slider').getAttribute('min'));
  await page.locator('#year-slider').focus();
  await page.keyboard.press('Home');
  await waitForRecolour(page, count);
  const after = await renderedClasses(page);
  const changed = changedCount(before, after);
  assert(changed >= 1, 'no country changed colour between today and the first year');
  const year = await page.evaluate(() => window.__tracker.state.year);
  assert(year === min, `state year ${year}, want ${min}`);
  assert(page.url().includes(`year=${min}`), `URL lacks year=${min}: ${page.url()}`);
  const label = await page.locator('#year-label').innerText();
  assert(label.startsWith(String(min)), `slider label "${label}"`);
  ctx.note = `${changed} countries changed colour (today → ${min})`;
});

test('the map draws from vector tiles, and a slider step requests no tile', async ({ page, ctx }) => {
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname + new URL(r.url()).search));
  await page.goto(`${BASE}/`);
  await waitForColouredMap(page);
  await page.evaluate(() => window.__tracker.idle());
  const tiles = requests.filter((p) => /^\/tiles\/countries\/\d+\/\d+\/\d+\.mvt\?v=\d+$/.test(p));
  assert(requests.includes('/tiles/countries.json'), `no TileJSON request: ${requests.filter((p) => p.startsWith('/tiles')).join(', ')}`);
  assert(tiles.length >= 1, 'the map requested no country tile');
  assert(!requests.some((p) => p.startsWith('/api/v1/geo/')), 'the map still fetched GeoJSON geometry');
  // The rendered countries come from the tile source, with the index's colours in feature state.
  const fromTiles = await page.evaluate(() => {
    const t = window.__tracker;
    const fs = t.map.queryRenderedFeatures({ layers: t.fillLayers() });
    return { n: new Set(fs.map((f) => f.id)).size, vector: fs.every((f) => f.sourceLayer === 'countries'), coloured: fs.filter((f) => f.state?.k >= 0).length };
  });
  assert(fromTiles.n > 100 && fromTiles.vector && fromTiles.coloured > 0, `rendered from tiles: ${JSON.stringify(fromTiles)}`);

  const before = await renderedClasses(page);
  const seen = requests.length;
  const count = await page.evaluate(() => window.__tracker.recolourCount);
  await page.locator('#year-slider').focus();
  await page.keyboard.press('Home');
  await waitForRecolour(page, count);
  await page.evaluate(() => window.__tracker.idle());
  const after = requests.slice(seen);
  const changed = changedCount(before, await renderedClasses(page));
  assert(changed >= 1, 'the slider step recoloured nothing');
  assert(!after.some((p) => p.startsWith('/tiles/')), `the slider step requested tiles: ${after.join(', ')}`);
  assert(after.some((p) => p.startsWith('/api/v1/index')), `the slider step fetched no scores: ${after.join(', ')}`);
  ctx.note = `${tiles.length} tile requests on load; the step: ${after.length} requests, none for tiles, ${changed} countries recoloured`;
});

test('a compare URL shows two countries', async ({ page }) => {
  const index = await apiJSON('/api/v1/index');
  const two = index.countries.filter((c) => c.assessed).slice(0, 2);
  assert(two.length === 2, 'need two assessed countries');
  await page.goto(`${BASE}/?view=compare&compare=${two.map((c) => c.iso3).join(',')}`);
  await page.locator('.compare-table').waitFor({ timeout: 20_000 });
  const chips = await page.locator('.compare-chip').count();
  assert(chips === 2, `${chips} compare chips`);
  const head = await page.locator('.compare-table thead').innerText();
  for (const c of two) assert(head.includes(c.name), `compare table lacks ${c.name}`);
  assert((await page.locator('.compare-charts canvas').count()) === 2, 'radar and line charts missing');
  await page.waitForTimeout(300); // let Chart.js paint before the screenshot
});

test('the weights panel changes a colour and the URL', async ({ page, ctx }) => {
  await page.goto(`${BASE}/`);
  await waitForColouredMap(page);
  const baseline = await renderedClasses(page);
  await page.locator('#weights-toggle').click();
  const sliders = page.locator('#weights-panel input[type=range]');
  await sliders.first().waitFor();
  const n = await sliders.count();
  let changed = 0;
  let pillar = '';
  for (let i = 0; i < n && changed === 0; i++) {
    const count = await page.evaluate(() => window.__tracker.recolourCount);
    await sliders.nth(i).focus();
    await page.keyboard.press('Home');
    await waitForRecolour(page, count);
    changed = changedCount(baseline, await renderedClasses(page));
    pillar = await sliders.nth(i).getAttribute('data-pillar');
  }
  assert(changed >= 1, 'no colour changed after zeroing pillar weights');
  assert(page.url().includes('weights='), `URL lacks weights: ${page.url()}`);
  ctx.note = `${changed} countries changed after setting ${pillar} to 0`;
  const count = await page.evaluate(() => window.__tracker.recolourCount);
  await page.locator('#weights-reset').click();
  await waitForRecolour(page, count);
  assert(!page.url().includes('weights='), 'reset did not clear the weights');
});

test('the table view sorts by each column', async ({ page }) => {
  await page.goto(`${BASE}/?view=table`);
  await page.locator('#ranking tbody tr').first().waitFor({ timeout: 20_000 });
  const names = () => page.$$eval('#ranking tbody th', (ths) => ths.map((t) => t.textContent.trim()));
  await page.locator('[data-sort-key=name]').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-sort-key=name]')?.closest('th')?.getAttribute('aria-sort') === 'ascending');
  const asc = await names();
  const sorted = [...asc].sort((a, b) => a.localeCompare(b));
  assert(JSON.stringify(asc) === JSON.stringify(sorted), 'names are not in ascending order');
  await page.locator('[data-sort-key=index]').click();
  await page.waitForFunction(() => document.querySelector('[data-sort-key=index]')?.closest('th')?.getAttribute('aria-sort') === 'descending');
  const idx = await page.$$eval('#ranking tbody tr:not(.not-assessed) td:nth-child(4)', (tds) => tds.map((t) => Number(t.textContent)));
  assert(idx.length > 0, 'no assessed rows');
  assert(idx.every((v, i) => i === 0 || v <= idx[i - 1]), 'index column is not descending');
  assert(page.url().includes('sort=index:desc') || !page.url().includes('sort='), `sort not in URL: ${page.url()}`);
  const csv = await page.locator('a', { hasText: 'Download index (CSV)' }).getAttribute('href');
  assert(csv.startsWith('/api/v1/export/index.csv'), `CSV link ${csv}`);
});

test('sites layer toggles with popups', async ({ page, ctx }) => {
  const sites = await apiJSON('/api/v1/sites');
  await page.goto(`${BASE}/`);
  await waitForColouredMap(page);
  await page.locator('#sites-toggle').check();
  await page.locator('.sites-legend').waitFor();
  assert(page.url().includes('sites=1'), `URL lacks sites=1: ${page.url()}`);
  const inView = sites.features.filter((f) => f.properties.valid_from === null || f.properties.valid_from <= new Date().toISOString().slice(0, 10));
  if (inView.length === 0) {
    ctx.note = 'the dataset has no sites yet: toggle and legend only';
    return;
  }
  await page.waitForFunction(() => window.__tracker.map.queryRenderedFeatures({ layers: ['sites-circle'] }).length > 0, null, { timeout: 20_000 });
  const pt = await page.evaluate(() => {
    const m = window.__tracker.map;
    const f = m.queryRenderedFeatures({ layers: ['sites-circle'] })[0];
    const p = m.project(f.geometry.coordinates);
    const r = m.getCanvas().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  });
  await page.mouse.click(pt.x, pt.y);
  await page.locator('.maplibregl-popup .site-popup').waitFor({ timeout: 5000 });
  await page.locator('#sites-toggle').uncheck();
  await page.waitForFunction(() => window.__tracker.map.queryRenderedFeatures({ layers: ['sites-circle'] }).length === 0);
  ctx.note = `${sites.features.length} sites`;
});

test('a shared URL restores the view', async ({ page }) => {
  await page.goto(`${BASE}/?year=2015&colour=sanctions&country=CHN&map=2/30/100`);
  await waitForColouredMap(page);
  await page.locator('#profile a.source-link').first().waitFor({ timeout: 20_000 });
  const s = await page.evaluate(() => {
    const t = window.__tracker;
    return { year: t.state.year, mode: t.state.mode, zoom: t.map.getZoom(), mode2: document.querySelector('#mode-select').value };
  });
  assert(s.year === 2015 && s.mode === 'sanctions' && s.mode2 === 'sanctions', `state not restored: ${JSON.stringify(s)}`);
  assert(Math.abs(s.zoom - 2) < 0.01, `zoom ${s.zoom}`);
  const legend = await page.locator('#legend').innerText();
  assert(/As of 2015-12-31/.test(legend), `legend as-of: ${legend}`);
});

test('a year before the reference has data moves to its first year', async ({ page, ctx }) => {
  await page.goto(`${BASE}/?year=1990&country=CHN`);
  await waitForColouredMap(page);
  await page.locator('#profile .caps').waitFor({ timeout: 20_000 });
  const min = Number(await page.locator('#year-slider').getAttribute('min'));
  const year = await page.evaluate(() => window.__tracker.state.year);
  assert(year === min, `year ${year}, want the slider's first year ${min}`);
  assert(page.url().includes(`year=${min}`), `URL ${page.url()}`);
  ctx.note = `moved to ${min}`;
});

test('phone layout (360 px) has no horizontal overflow', async ({ page }) => {
  await page.goto(`${BASE}/?country=CHN`);
  await waitForColouredMap(page);
  await page.locator('#profile .caps').waitFor({ timeout: 20_000 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(width <= 360, `page is ${width}px wide`);
}, { viewport: { width: 360, height: 740 } });

test('a link with an unknown weight key falls back to the default weights', async ({ page, ctx }) => {
  const failed = failedResponses(page);
  await page.goto(`${BASE}/?weights=constructor:1`);
  await waitForColouredMap(page);
  const values = Object.values(await renderedClasses(page));
  assert(values.some((k) => k >= 0), 'no country is coloured by the index');
  const pixels = await palettePixels(page);
  assert(pixels.reduce((a, b) => a + b, 0) > 50, `canvas shows no palette colours (${pixels})`);
  const weights = await page.evaluate(() => window.__tracker.state.weights);
  assert(Object.keys(weights).length === 0, `weights kept: ${JSON.stringify(weights)}`);
  assert(!page.url().includes('weights='), `URL still has the weights: ${page.url()}`);
  const notice = await page.locator('#weights-notice').innerText();
  assert(/constructor/.test(notice), `no notice about the dropped weight: "${notice}"`);
  assert(failed.length === 0, `refused requests: ${failed.join(', ')}`);
  ctx.note = notice;
});

test('a link with only some unknown weight keys keeps the known ones', async ({ page }) => {
  const { pillars } = await apiJSON('/api/v1/pillars');
  const code = pillars[0].code;
  const failed = failedResponses(page);
  await page.goto(`${BASE}/?weights=constructor:1,${code}:2`);
  await waitForColouredMap(page);
  const weights = await page.evaluate(() => window.__tracker.state.weights);
  assert(JSON.stringify(weights) === JSON.stringify({ [code]: 2 }), `weights ${JSON.stringify(weights)}`);
  assert(page.url().includes(`weights=${code}:2`) && !page.url().includes('constructor'), `URL ${page.url()}`);
  const slider = await page.locator(`#w-${code}`).inputValue();
  assert(slider === '2', `slider for ${code} shows ${slider}`);
  assert(failed.length === 0, `refused requests: ${failed.join(', ')}`);
});

test('a link with an unknown reference falls back to CHN', async ({ page }) => {
  const failed = failedResponses(page);
  await page.goto(`${BASE}/?reference=ZZZ`);
  await waitForColouredMap(page);
  const values = Object.values(await renderedClasses(page));
  assert(values.some((k) => k >= 0), 'no country is coloured by the index');
  const pixels = await palettePixels(page);
  assert(pixels.reduce((a, b) => a + b, 0) > 50, `canvas shows no palette colours (${pixels})`);
  const reference = await page.evaluate(() => window.__tracker.state.reference);
  assert(reference === 'CHN', `reference ${reference}`);
  assert(!page.url().includes('reference='), `URL still has the reference: ${page.url()}`);
  assert((await page.locator('#reference-select').inputValue()) === 'CHN', 'the reference list does not show CHN');
  const status = page.locator('.map-status.is-error');
  assert(!(await status.isVisible()), `error shown: ${await status.innerText().catch(() => '')}`);
  assert(failed.length === 0, `refused requests: ${failed.join(', ')}`);
});

test('a link with a known reference keeps it', async ({ page, ctx }) => {
  const index = await apiJSON('/api/v1/index');
  const assessed = index.countries.filter((c) => c.assessed && c.iso3 !== 'CHN');
  const ref = (assessed.find((c) => c.iso3 === 'RUS') ?? assessed[0]).iso3;
  const failed = failedResponses(page);
  await page.goto(`${BASE}/?reference=${ref}`);
  await waitForColouredMap(page);
  const reference = await page.evaluate(() => window.__tracker.state.reference);
  assert(reference === ref, `reference ${reference}, want ${ref}`);
  assert(page.url().includes(`reference=${ref}`), `URL lost the reference: ${page.url()}`);
  const meta = await page.locator('#meta').innerText();
  assert(meta.includes('reference:') && !meta.includes('China'), `meta: ${meta}`);
  assert(!(await page.locator('#weights-notice').isVisible()), 'a notice about the link is shown');
  assert(failed.length === 0, `refused requests: ${failed.join(', ')}`);
  ctx.note = ref;
});

test('the weights panel never sends all-zero weights', async ({ page, ctx }) => {
  const failed = failedResponses(page);
  await page.goto(`${BASE}/`);
  await waitForColouredMap(page);
  await page.locator('#weights-toggle').click();
  const sliders = page.locator('#weights-panel input[type=range]');
  await sliders.first().waitFor();
  const n = await sliders.count();
  for (let i = 0; i < n; i++) {
    await sliders.nth(i).focus();
    await page.keyboard.press('Home');
  }
  await page.locator('#weights-zero-hint').waitFor({ state: 'visible' });
  await page.waitForFunction((n) => new URLSearchParams(location.search).get('weights')?.split(',').length === n, n, { timeout: 10_000 });
  await page.evaluate(() => window.__tracker.idle());
  const values = (await sliders.evaluateAll((els) => els.map((e) => Number(e.value))));
  assert(values.filter((v) => v > 0).length === 1, `slider values ${values}`);
  const status = page.locator('.map-status.is-error');
  assert(!(await status.isVisible()), `error shown: ${await status.innerText().catch(() => '')}`);
  assert(failed.length === 0, `refused requests: ${failed.join(', ')}`);
  ctx.note = `weights=${new URL(page.url()).searchParams.get('weights')}`;
});

test('a refused view shows the reason and resets', async ({ page, context }) => {
  const { pillars } = await apiJSON('/api/v1/pillars');
  const code = pillars[0].code;
  // The API refuses weights the app cannot foresee (e.g. none on any capability the reference has).
  await context.route((url) => url.pathname === '/api/v1/index' && url.searchParams.has('weights'), (route) =>
    route.fulfill({
      status: 400,
      contentType: 'application/problem+json',
      body: JSON.stringify({ type: '/problems/invalid-parameter', title: 'Invalid parameter', status: 400, detail: 'weights: gives no weight to any capability CHN has', errors: [{ field: 'weights', reason: 'gives no weight to any capability CHN has' }] }),
    }));
  await page.goto(`${BASE}/?weights=${code}:2`);
  await page.locator('.map-status.is-error').waitFor({ timeout: 20_000 });
  const text = await page.locator('.map-status').innerText();
  assert(/gives no weight to any capability CHN has/.test(text), `error text: ${text}`);
  assert(!/did not answer/.test(text), `generic error text: ${text}`);
  await page.locator('.map-status button', { hasText: 'Reset view' }).click();
  await waitForColouredMap(page);
  await page.locator('.map-status').waitFor({ state: 'hidden' });
  assert(!page.url().includes('weights='), `reset did not clear the weights: ${page.url()}`);
}, { allowConsoleErrors: /Failed to load resource.*400/ });

test('an API failure shows a clear message', async ({ page, context }) => {
  await context.route('**/api/v1/index**', (route) =>
    route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'database unreachable' }) }));
  await page.goto(`${BASE}/`);
  await page.locator('.map-status.is-error').waitFor({ timeout: 20_000 });
  const text = await page.locator('.map-status').innerText();
  assert(/database unreachable/.test(text), `error text: ${text}`);
}, { allowConsoleErrors: /Failed to load resource.*503/ });

// The tests of coverage, recorded time, sharing and embedding, pictures, and diffusion.
// The partner portal's tests (they create their users with the real CLI).
for (const register of [evidenceTests, recordedTests, shareTests, pictureTests, diffusionTests, portalTests]) register(test);

// ---- runner -------------------------------------------------------------------------

const browser = await launch();
let passed = 0;
let failed = 0;
const externals = [];
for (const t of tests.filter((x) => x.name.includes(ONLY))) {
  const { context, page, problems } = await newPage(browser, BASE, t.opts);
  // ctx.shot(label) saves an extra screenshot mid-test (the final one is always saved);
  // ctx.path(label) is where a screenshot of another page of the test goes.
  const shotPath = (label) => resolve(ARTIFACTS, `${sanitize(t.name)}-${sanitize(label)}.png`);
  const ctx = { note: '', path: shotPath, shot: (label) => page.screenshot({ path: shotPath(label) }) };
  let error = null;
  try {
    await Promise.race([
      t.fn({ page, context, ctx }),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT} ms`)), TEST_TIMEOUT)),
    ]);
  } catch (e) {
    error = e;
  }
  await page.screenshot({ path: resolve(ARTIFACTS, `${sanitize(t.name)}.png`) }).catch(() => {});
  const own = problems.filter((p) => !(t.opts.allowConsoleErrors && t.opts.allowConsoleErrors.test(p)));
  externals.push(...own.filter((p) => p.startsWith('external request')));
  if (!error && own.length) error = new Error(own.join('\n      '));
  if (error) {
    failed++;
    console.log(`✗ ${t.name}\n    ${error.message.split('\n')[0]}${error.message.includes('\n') ? `\n    ${error.message.split('\n').slice(1).join('\n    ')}` : ''}`);
  } else {
    passed++;
    console.log(`✓ ${t.name}${ctx.note ? ` (${ctx.note})` : ''}`);
  }
  await context.close();
}
await browser.close();
console.log(`screenshots: ${ARTIFACTS}`);
if (externals.length) console.log(`external requests blocked: ${externals.length}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
