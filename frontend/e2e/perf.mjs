// Performance figures for docs/performance.md (a measurement, not a test: no
// assertions on timings). Against BASE_URL in headless Chromium:
//   - bytes transferred (encoded, as on the wire) until the first coloured map;
//   - time from navigation start to the first coloured map
//     (window.__tracker.firstColouredAt: index applied and the map idle);
//   - time of one slider step to recolour (input → /index → feature state →
//     map idle), for years not yet fetched and for years already in memory.
//
//   BASE_URL=http://127.0.0.1:8080 node e2e/perf.mjs [runs]
// Prints a Markdown table.

import { launch, newPage } from './browser.mjs';

const BASE = (process.env.BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const RUNS = Number(process.argv[2] ?? process.env.PERF_RUNS ?? 5);
const STEPS = 5;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const kB = (b) => `${(b / 1024).toFixed(1)} kB`;
const ms = (v) => `${Math.round(v)} ms`;

function kindOf(url, type) {
  const path = new URL(url).pathname;
  if (path.includes('worker')) return 'map worker';
  if (path.startsWith('/tiles/')) return 'geometry (vector tiles and TileJSON)';
  if (path.startsWith('/api/v1/geo/')) return 'geometry (GeoJSON)';
  if (path.startsWith('/api/')) return 'API JSON';
  if (path.endsWith('.css')) return 'CSS';
  if (path.endsWith('.js') || path.endsWith('.mjs')) return 'JavaScript';
  return 'other';
}

/**
 * One cold load (fresh context, empty cache). Bytes come from Resource Timing
 * (transferSize: headers + encoded body, the worker script included) for every
 * response that ended before the first coloured map.
 */
async function coldLoad(browser) {
  const { context, page, problems } = await newPage(browser, BASE);
  // The map's worker fetches the tiles; its requests are not in the page's Resource Timing.
  const tiles = [];
  page.on('requestfinished', (req) => {
    if (/\/tiles\/[a-z]+\/\d+\/\d+\/\d+\.mvt/.test(req.url())) tiles.push(req.sizes().then((s) => s.responseHeadersSize + s.responseBodySize));
  });
  await page.goto(`${BASE}/`);
  await page.waitForFunction(() => window.__tracker?.firstColouredAt != null, null, { timeout: 60_000 });
  const tileBytes = (await Promise.all(tiles)).reduce((a, b) => a + b, 0);
  const r = await page.evaluate(() => {
    const at = window.__tracker.firstColouredAt;
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource').filter((e) => e.responseEnd <= at);
    const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
    return {
      at,
      entries: [{ name: nav.name, type: 'navigation', bytes: nav.transferSize }, ...res.map((e) => ({ name: e.name, type: e.initiatorType, bytes: e.transferSize }))],
      phases: { html: nav.responseEnd, mapCode: mark('map-code-loaded'), style: mark('map-style-loaded') },
    };
  });
  const byKind = {};
  for (const e of r.entries) {
    const k = e.type === 'navigation' ? 'HTML' : kindOf(e.name, e.type);
    byKind[k] = (byKind[k] ?? 0) + e.bytes;
  }
  if (tiles.length) byKind['geometry (vector tiles and TileJSON)'] = (byKind['geometry (vector tiles and TileJSON)'] ?? 0) + tileBytes;
  const total = r.entries.reduce((s, e) => s + e.bytes, 0) + tileBytes;
  return { context, page, firstColoured: r.at, phases: r.phases, byKind, total, problems, tiles: tiles.length };
}

/** Steps the slider back `STEPS` years (unfetched), then forward again (in memory). */
async function sliderSteps(page) {
  const step = async (key) => {
    const n = await page.evaluate(() => window.__tracker.recolourCount);
    await page.locator('#year-slider').focus();
    await page.keyboard.press(key);
    await page.waitForFunction((c) => window.__tracker.recolourCount > c, n, { timeout: 30_000 });
    return page.evaluate(() => window.__tracker.lastRecolour);
  };
  const fresh = [];
  const cached = [];
  for (let i = 0; i < STEPS; i++) fresh.push(await step('ArrowLeft'));
  for (let i = 0; i < STEPS - 1; i++) cached.push(await step('ArrowRight'));
  return { fresh, cached };
}

const browser = await launch();
const firsts = [];
const totals = [];
const fresh = [];
const cached = [];
let kinds = {};
const phases = [];
for (let i = 0; i < RUNS; i++) {
  const r = await coldLoad(browser);
  firsts.push(r.firstColoured);
  totals.push(r.total);
  kinds = r.byKind;
  phases.push(r.phases);
  const s = await sliderSteps(r.page);
  fresh.push(...s.fresh);
  cached.push(...s.cached);
  if (r.problems.length) console.error(r.problems.join('\n'));
  await r.context.close();
}
await browser.close();

const total = (xs) => xs.map((x) => x.ms);
const applied = (xs) => xs.map((x) => x.appliedMs);
const range = (xs, f) => `${f(Math.min(...xs))} – ${f(Math.max(...xs))}`;
console.log(`Measured against ${BASE}, headless Chromium (SwiftShader WebGL), ${RUNS} cold loads (each in a fresh browser context, empty cache).\n`);
console.log('| figure | median | range |');
console.log('|---|---|---|');
console.log(`| bytes transferred until the first coloured map (encoded) | ${kB(median(totals))} | ${range(totals, kB)} |`);
console.log(`| navigation start → first coloured map | ${ms(median(firsts))} | ${range(firsts, ms)} |`);
const ph = (k) => phases.map((p) => p[k]).filter((v) => v !== null);
console.log(`| … of which: HTML received | ${ms(median(ph('html')))} | ${range(ph('html'), ms)} |`);
console.log(`| … map code loaded | ${ms(median(ph('mapCode')))} | ${range(ph('mapCode'), ms)} |`);
console.log(`| … map style ready (colours can be set) | ${ms(median(ph('style')))} | ${range(ph('style'), ms)} |`);
console.log(`| slider step → recoloured map idle, year not yet loaded (${fresh.length} steps) | ${ms(median(total(fresh)))} | ${range(total(fresh), ms)} |`);
console.log(`| … of which: /index fetched and colours set (before the frame) | ${ms(median(applied(fresh)))} | ${range(applied(fresh), ms)} |`);
console.log(`| slider step → recoloured map idle, year already in memory (${cached.length} steps) | ${ms(median(total(cached)))} | ${range(total(cached), ms)} |`);
console.log(`| … of which: colours set (before the frame) | ${ms(median(applied(cached)))} | ${range(applied(cached), ms)} |`);
console.log('\nBytes by kind (last run):\n');
console.log('| kind | encoded bytes |');
console.log('|---|---|');
for (const [k, v] of Object.entries(kinds).sort((a, b) => b[1] - a[1])) console.log(`| ${k} | ${kB(v)} |`);
