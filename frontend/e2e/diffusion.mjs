// Browser tests of the Diffusion view (each chart: its numbers against the
// API, the URL, the slider, CSV and PNG downloads) and of the vendor-flows
// arcs layer on the map (arcs, popups with sites and sources, filters).

import { BASE, apiJSON, assert, waitForColouredMap } from './helpers.mjs';
import { canvasSize, checkPicture, download, painted } from './pictures.mjs';

/** The API answer to the request the page sent (the same path and query, asked again). */
async function answerOf(wanted) {
  const u = new URL(await wanted);
  return apiJSON(u.pathname + u.search);
}

/** Starts waiting for the page's next request to a diffusion route (optionally one whose query matches). */
function nextRequest(page, route, match = () => true) {
  return page.waitForRequest((r) => {
    const u = new URL(r.url());
    return u.pathname === `/api/v1/diffusion/${route}` && match(u.searchParams);
  }, { timeout: 30_000 }).then((r) => r.url());
}

/** Waits until a panel's chart is drawn. */
async function drawn(page, which) {
  const canvas = page.locator(`canvas[data-chart=${which}][data-drawn]`);
  await canvas.waitFor({ timeout: 30_000 });
  await painted(canvas);
  return canvas;
}

/** Downloads a panel's CSV and checks its header comments and columns; returns its data rows. */
async function checkCSV(page, which, header) {
  const { name, buf } = await download(page, page.locator(`[data-csv=${which}]`));
  const text = buf.toString('utf8');
  assert(/^scs-tracker-.*\.csv$/.test(name), `${which} CSV file name ${name}`);
  assert(/^# SCS Diffusion Tracker: /.test(text), `${which} CSV lacks the description line`);
  assert(/# dataset_version: [^;]+; revision: \d+; as_of: \d{4}-\d{2}-\d{2}/.test(text), `${which} CSV lacks version and as_of`);
  assert(/# Cite as: SCS Diffusion Tracker \(/.test(text), `${which} CSV lacks the citation`);
  const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
  assert(lines[0] === header, `${which} CSV header "${lines[0]}", want "${header}"`);
  return lines.slice(1);
}

/** Downloads a panel's PNG and checks the picture (title, chart, citation). */
async function checkPNG(page, which) {
  const canvas = page.locator(`canvas[data-chart=${which}]`);
  const { name, buf } = await download(page, page.locator(`[data-png=${which}]`));
  assert(/^scs-tracker-chart-[a-z0-9.-]+\.png$/.test(name), `${which} PNG file name ${name}`);
  const { size } = await checkPicture(page, buf, await canvasSize(canvas), `${which} picture`);
  return `${size.width}×${size.height}`;
}

/** Cells of a panel's numbers table, read in the page. */
function tableRows(page, panel, attrs) {
  return page.evaluate(({ panel, attrs }) => [...document.querySelectorAll(`[data-panel=${panel}] tbody tr`)].map((tr) =>
    Object.fromEntries(attrs.map((a) => [a, tr.getAttribute(`data-${a}`) ?? tr.querySelector(`[data-${a}]`)?.getAttribute(`data-${a}`) ?? null]))), { panel, attrs });
}

export default function register(test) {
  test('the Diffusion view loads only when opened, and keeps its place in the URL', async ({ page }) => {
    const requested = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await page.goto(`${BASE}/`);
    await waitForColouredMap(page);
    const early = requested.filter((p) => /\/assets\/(diffusion|arcs)[-.]/.test(p) || p.startsWith('/api/v1/diffusion/'));
    assert(early.length === 0, `the first map loaded diffusion code or data: ${early.join(', ')}`);
    await page.locator('.view-nav button[data-view=diffusion]').click();
    await drawn(page, 'curves');
    assert(requested.some((p) => /\/assets\/diffusion-[^/]+\.js$/.test(p)), 'no diffusion chunk was loaded');
    assert(page.url().includes('view=diffusion'), `URL lacks view=diffusion: ${page.url()}`);
    await page.goBack();
    await page.locator('#view-diffusion').waitFor({ state: 'hidden' });
    await page.goForward();
    await page.locator('#view-diffusion').waitFor({ state: 'visible' });
  });

  test('adoption curves: numbers as the API gives them, series and scope in the URL, CSV and PNG', async ({ page, ctx }) => {
    const first = nextRequest(page, 'curves');
    await page.goto(`${BASE}/?view=diffusion`);
    const resp = await answerOf(first);
    await drawn(page, 'curves');
    assert(resp.series.map((s) => s.code).join(',') === 'surveillance.cctv_network,sanctions', `default series ${resp.series.map((s) => s.code)}`);
    const rows = await tableRows(page, 'curves', ['year']);
    assert(rows.length === resp.series[0].points.length, `${rows.length} rows for ${resp.series[0].points.length} years`);
    const cells = await page.locator('[data-panel=curves] tbody tr:last-child td').evaluateAll((tds) => tds.map((td) => [td.dataset.series, Number(td.dataset.adopted), Number(td.dataset.assessed)]));
    const want = resp.series.map((s) => [s.code, s.points.at(-1).adopted, s.points.at(-1).assessed]);
    assert(JSON.stringify(cells) === JSON.stringify(want), `last year ${JSON.stringify(cells)}, API ${JSON.stringify(want)}`);

    const third = nextRequest(page, 'curves', (q) => (q.get('capability') ?? '').includes('sanctions.blacklist'));
    await page.locator('#d-series-add').selectOption('sanctions.blacklist');
    await third;
    await page.locator('[data-panel=curves] td[data-series="sanctions.blacklist"]').first().waitFor({ state: 'attached' });
    assert(page.url().includes('series=surveillance.cctv_network,sanctions,sanctions.blacklist'), `URL: ${page.url()}`);

    const africa = nextRequest(page, 'curves', (q) => q.get('region') === 'Africa');
    await page.locator('#d-scope').selectOption('region:Africa');
    const scoped = await answerOf(africa);
    await page.waitForFunction(() => document.querySelector('[data-panel=curves] .figcaption')?.textContent.includes('Africa'));
    assert(page.url().includes('scope=region:Africa'), `URL lacks the scope: ${page.url()}`);
    assert(scoped.scope.name === 'Africa' && scoped.series.length === 3, `scoped answer ${JSON.stringify(scoped.scope)}`);
    await drawn(page, 'curves');

    const csv = await checkCSV(page, 'curves', 'series_kind,series_code,min_capabilities,year,date,assessed,adopted,at_or_above,share,share_at_or_above');
    assert(csv.length === 3 * scoped.series[0].points.length, `${csv.length} CSV rows for 3 series of ${scoped.series[0].points.length} years`);
    ctx.note = `${csv.length} CSV rows; PNG ${await checkPNG(page, 'curves')}`;
  });

  test('every diffusion chart follows the time slider', async ({ page, ctx }) => {
    await page.goto(`${BASE}/?view=diffusion`);
    await drawn(page, 'curves');
    await drawn(page, 'moran');
    const min = Number(await page.locator('#year-slider').getAttribute('min'));
    const routes = ['curves', 'moran', 'neighbours', 'flows'].map((r) => nextRequest(page, r, (q) => q.get('as_of') === `${min}-12-31`));
    await page.locator('#year-slider').focus();
    await page.keyboard.press('Home');
    await Promise.all(routes);
    await page.waitForFunction((y) => document.querySelector('[data-panel=curves] tbody tr:last-child')?.dataset.year === String(y), min, { timeout: 30_000 });
    await page.waitForFunction((y) => document.querySelector('[data-panel=moran] tbody tr:last-child')?.dataset.year === String(y), min, { timeout: 30_000 });
    assert(page.url().includes(`year=${min}`), `URL lacks year=${min}`);
    ctx.note = `every chart as of ${min}-12-31`;
  });

  test("Moran's I: each year's value and significance as the API gives them, another variable, CSV and PNG", async ({ page, ctx }) => {
    const first = nextRequest(page, 'moran');
    await page.goto(`${BASE}/?view=diffusion`);
    const resp = await answerOf(first);
    await drawn(page, 'moran');
    const rows = await tableRows(page, 'moran', ['year', 'i', 'p', 'significant']);
    assert(rows.length === resp.years.length && resp.years.length > 0, `${rows.length} rows for ${resp.years.length} years`);
    resp.years.forEach((y, k) => {
      const r = rows[k];
      const significant = y.defined && y.p_value < 0.05 ? 'yes' : 'no';
      assert(r.year === String(y.year) && r.significant === significant && (y.i === null ? r.i === '' : Number(r.i) === y.i), `${y.year}: row ${JSON.stringify(r)}, API I ${y.i} p ${y.p_value}`);
    });
    const pillar = nextRequest(page, 'moran', (q) => q.get('pillar') === 'sanctions');
    await page.locator('#d-moran-variable').selectOption('sanctions');
    const other = await answerOf(pillar);
    assert(other.variable.kind === 'pillar' && page.url().includes('moran=sanctions'), `variable ${JSON.stringify(other.variable)}, URL ${page.url()}`);
    await page.waitForFunction(() => document.querySelector('[data-panel=moran] .figcaption')?.textContent.includes('Sanctions'));
    await drawn(page, 'moran');
    const csv = await checkCSV(page, 'moran', 'year,date,n,i,expected,p_value,z,mean_permuted,sd_permuted,nearest,reason');
    assert(csv.length === other.years.length, `${csv.length} CSV rows for ${other.years.length} years`);
    ctx.note = `${resp.years.filter((y) => y.p_value < 0.05).length} significant years; PNG ${await checkPNG(page, 'moran')}`;
  });

  test('neighbour exposure: the summary and the countries behind it, a profile from the table, CSV and PNG', async ({ page, ctx }) => {
    const first = nextRequest(page, 'neighbours');
    await page.goto(`${BASE}/?view=diffusion`);
    const resp = await answerOf(first);
    await drawn(page, 'exposure');
    const caption = await page.locator('[data-panel=exposure] .figcaption').innerText();
    const pct = (v) => `${(v * 100).toFixed(1)} %`;
    assert(caption.includes(`the ${resp.summary.counted} adopters`) && caption.includes(pct(resp.summary.mean_exposure)) && caption.includes(pct(resp.summary.mean_baseline)),
      `summary "${caption}" against ${JSON.stringify(resp.summary)}`);
    const rows = await tableRows(page, 'exposure', ['iso3', 'exposure', 'before']);
    assert(rows.length === resp.countries.length, `${rows.length} rows for ${resp.countries.length} adopters`);
    resp.countries.forEach((c, k) => {
      const r = rows[k];
      assert(r.iso3 === c.iso3 && r.before === c.adopted_before.join(',') && (c.exposure === null ? r.exposure === '' : Number(r.exposure) === c.exposure), `${c.iso3}: ${JSON.stringify(r)}`);
    });
    const csv = await checkCSV(page, 'exposure', 'iso3,name,adopted,neighbours_assessed,adopted_before,exposure,baseline,neighbours_not_assessed');
    assert(csv.length === resp.countries.length, `${csv.length} CSV rows for ${resp.countries.length} adopters`);
    const png = await checkPNG(page, 'exposure');
    const target = resp.countries[0];
    await page.locator(`[data-panel=exposure] tr[data-iso3=${target.iso3}] button`).click();
    await page.waitForFunction((name) => document.querySelector('#profile-title')?.textContent === name, target.name, { timeout: 20_000 });
    assert(page.url().includes(`country=${target.iso3}`), `URL lacks the country: ${page.url()}`);
    ctx.note = `${resp.countries.length} adopters; PNG ${png}`;
  });

  test('vendor share: the yearly share of sites with a Chinese vendor, CSV and PNG', async ({ page, ctx }) => {
    const first = nextRequest(page, 'flows');
    await page.goto(`${BASE}/?view=diffusion`);
    const resp = await answerOf(first);
    await drawn(page, 'share');
    const rows = await tableRows(page, 'share', ['year', 'vendor', 'sites']);
    assert(rows.length === resp.share.years.length, `${rows.length} rows for ${resp.share.years.length} years`);
    resp.share.years.forEach((y, k) => assert(rows[k].year === String(y.year) && Number(rows[k].vendor) === y.vendor && Number(rows[k].sites) === y.sites, `${y.year}: ${JSON.stringify(rows[k])}`));
    const csv = await checkCSV(page, 'share', 'year,date,sites,vendor_known,vendor,share,share_of_known');
    assert(csv.length === resp.share.years.length, `${csv.length} CSV rows`);
    ctx.note = `PNG ${await checkPNG(page, 'share')}`;
  });

  test('vendor flows on the map: arcs, a popup with the sites and their sources, filters in the URL, the slider', async ({ page, ctx }) => {
    const all = await apiJSON('/api/v1/diffusion/flows');
    const arcsOf = (flows) => flows.filter((f) => !f.domestic).length;
    assert(arcsOf(all.flows) > 0, 'the dataset has no vendor flows between countries');
    await page.goto(`${BASE}/`);
    await waitForColouredMap(page);
    await page.locator('#flows-toggle').check();
    assert(page.url().includes('flows=1'), `URL lacks flows=1: ${page.url()}`);
    const rendered = () => page.evaluate(() => {
      const m = window.__tracker.map;
      const fs = m.getLayer('flows-arc-chn') ? m.queryRenderedFeatures({ layers: ['flows-arc-chn', 'flows-arc-other'] }) : [];
      return [...new Map(fs.map((f) => [f.properties.i, `${f.properties.from}>${f.properties.to}`])).values()].sort();
    });
    const until = (n) => page.waitForFunction(([n]) => {
      const m = window.__tracker.map;
      if (!m.getLayer('flows-arc-chn')) return false;
      const fs = m.queryRenderedFeatures({ layers: ['flows-arc-chn', 'flows-arc-other'] });
      return new Set(fs.map((f) => f.properties.i)).size === n;
    }, [n], { timeout: 30_000 });
    await until(arcsOf(all.flows));
    await page.locator('.sites-legend li[data-kind=flow-chn]').waitFor();

    // Click the middle of an arc: its popup lists the flow's sites with their sources; no profile opens.
    const pt = await page.evaluate(() => {
      const m = window.__tracker.map;
      const r = m.getCanvas().getBoundingClientRect();
      for (const f of m.queryRenderedFeatures({ layers: ['flows-arc-chn'] })) {
        const line = f.geometry.type === 'LineString' ? f.geometry.coordinates : f.geometry.coordinates[0];
        const p = m.project(line[Math.floor(line.length / 2)]);
        const at = { x: r.left + p.x, y: r.top + p.y, i: f.properties.i };
        // Not under the legend or a control, and not where another arc or an end could take the click.
        const hits = m.queryRenderedFeatures([[p.x - 6, p.y - 6], [p.x + 6, p.y + 6]], { layers: ['flows-arc-chn', 'flows-arc-other', 'flows-end'] });
        if (document.elementFromPoint(at.x, at.y) === m.getCanvas() && new Set(hits.map((h) => h.properties.i)).size === 1) return at;
      }
      return null;
    });
    assert(pt, 'no arc can be clicked on its own');
    await page.mouse.click(pt.x, pt.y);
    const popup = page.locator('.maplibregl-popup .flow-popup');
    await popup.waitFor({ timeout: 10_000 });
    const flow = all.flows[pt.i];
    const title = await popup.locator('h3').innerText();
    assert(title === `${flow.from_name} → ${flow.to_name}`, `popup "${title}", clicked ${flow.from} → ${flow.to}`);
    assert((await popup.locator('.flow-sites > li').count()) === flow.sites, `popup lists ${await popup.locator('.flow-sites > li').count()} sites of ${flow.sites}`);
    assert((await popup.locator('.sources .source').count()) >= flow.sites, 'the popup lacks the sites\u2019 sources');
    assert(!page.url().includes('country='), `clicking an arc opened a country: ${page.url()}`);
    await page.keyboard.press('Escape');

    // Filters: one vendor country, then one capability; both in the URL, the arcs as the API filters them.
    await page.locator('#flows-vendor').selectOption('CHN');
    const chn = await apiJSON('/api/v1/diffusion/flows?vendor_country=CHN');
    await until(arcsOf(chn.flows));
    assert((await rendered()).every((a) => a.startsWith('CHN>')), `vendor filter shows ${await rendered()}`);
    const cap = 'surveillance.facial_recognition';
    await page.locator('#flows-capability').selectOption(cap);
    const fr = await apiJSON(`/api/v1/diffusion/flows?vendor_country=CHN&capability=${cap}`);
    await until(arcsOf(fr.flows));
    assert(page.url().includes('flows_vendor=CHN') && page.url().includes(`flows_capability=${cap}`), `URL lacks the filters: ${page.url()}`);

    // The slider: the first year shows only the flows of sites started by then.
    await page.locator('#flows-capability').selectOption('');
    await until(arcsOf(chn.flows));
    const min = Number(await page.locator('#year-slider').getAttribute('min'));
    const early = await apiJSON(`/api/v1/diffusion/flows?vendor_country=CHN&as_of=${min}-12-31`);
    await page.locator('#year-slider').focus();
    await page.keyboard.press('Home');
    await until(arcsOf(early.flows));
    await page.locator('#flows-toggle').uncheck();
    await until(0);
    ctx.note = `${arcsOf(all.flows)} arcs, ${arcsOf(chn.flows)} from China, ${arcsOf(early.flows)} by ${min}`;
  });

  test('a diffusion link with an unknown series keeps the known ones and says so', async ({ page }) => {
    await page.goto(`${BASE}/?view=diffusion&series=bogus.code,surveillance.cctv_network`);
    await drawn(page, 'curves');
    const note = await page.locator('#view-diffusion .recorded-note').innerText();
    assert(/bogus\.code/.test(note), `no notice about the dropped series: "${note}"`);
    const series = await page.locator('[data-panel=curves] thead th').allInnerTexts();
    assert(series.length === 2, `curves show ${series.join(', ')}`);
  });
}
