// Browser tests: coverage made visible (thin evidence on the map in every
// colour mode, coverage in the country list, the profile's not-assessed
// capabilities, and the methodology's example from the data).

import { BASE, apiJSON, assert, renderedStates, settle, waitForColouredMap } from './helpers.mjs';

const THRESHOLD = 0.5; // docs/methodology.md, "Thin evidence"

/**
 * Counts canvas pixels that lie between a palette colour and the stripes' dark
 * grey (a band colour darkened by the thin-evidence pattern): neither borders
 * (palette towards white) nor the not-assessed hatch (greys) are on that line.
 */
function stripePixels(page) {
  return page.evaluate(() => {
    const palette = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'].map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
    const grey = [40, 40, 40]; // src/patterns.ts
    const src = window.__tracker.map.getCanvas();
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(src, 0, 0);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4 * 3) {
      const px = [data[i], data[i + 1], data[i + 2]];
      const hit = palette.some((p) => {
        const dir = grey.map((g, j) => g - p[j]);
        const len2 = dir.reduce((a, v) => a + v * v, 0);
        const t = dir.reduce((a, v, j) => a + v * (px[j] - p[j]), 0) / len2;
        if (t < 0.15 || t > 0.7) return false;
        const off = Math.hypot(...px.map((v, j) => v - (p[j] + t * dir[j])));
        return off < 6;
      });
      if (hit) n++;
    }
    return n;
  });
}

async function chooseMode(page, mode) {
  await page.locator('#mode-select').selectOption(mode);
  await page.waitForFunction((m) => window.__tracker.state.mode === m, mode);
  await settle(page);
}

export default function register(test) {
  test('thin evidence is marked on the map in every colour mode, with its own legend entry', async ({ page, ctx }) => {
    const index = await apiJSON('/api/v1/index');
    const rows = new Map(index.countries.map((c) => [c.iso3, c]));
    await page.goto(`${BASE}/`);
    await waitForColouredMap(page);

    // Index: a country is striped exactly when it is assessed with coverage below the threshold.
    let states = await renderedStates(page);
    let thin = 0;
    for (const [iso, s] of Object.entries(states)) {
      const r = rows.get(iso);
      if (!r) continue;
      const want = r.assessed && r.coverage < THRESHOLD;
      assert(s.t === want, `index mode: ${iso} (coverage ${r.coverage}) thin=${s.t}, want ${want}`);
      if (s.t) thin++;
    }
    assert(thin > 0, 'no country is marked as resting on thin evidence');
    assert(states.CHN && !states.CHN.t && states.CHN.k >= 0, 'China (full coverage) is marked thin or not coloured');
    const stripes = await stripePixels(page);
    assert(stripes > 30, `the canvas shows no thin-evidence stripes (${stripes} pixels)`);
    const legend = page.locator('#legend [data-kind=thin]');
    assert(/coverage below 50 %/.test(await legend.innerText()), `legend entry: ${await legend.innerText()}`);

    // Pillar: the pillar's own coverage as the API computes it on profiles; none assessed = not assessed, never 0.
    const pillar = 'sanctions';
    await chooseMode(page, pillar);
    states = await renderedStates(page);
    const checked = [];
    for (const iso of ['RUS', 'BRA', 'USA', 'KAZ', 'CHN', 'ARG', 'VEN']) {
      if (!states[iso] || !rows.get(iso)?.assessed) continue;
      const p = (await apiJSON(`/api/v1/countries/${iso}`)).pillars.find((x) => x.code === pillar);
      const wantNa = p.coverage === 0;
      assert((states[iso].k === -1) === wantNa, `pillar mode: ${iso} class ${states[iso].k}, pillar coverage ${p.coverage}`);
      assert(states[iso].t === (!wantNa && p.coverage < THRESHOLD), `pillar mode: ${iso} thin=${states[iso].t}, pillar coverage ${p.coverage}`);
      checked.push(`${iso} ${Math.round(p.coverage * 100)}%`);
    }
    assert(checked.length >= 4, `too few countries checked in pillar mode: ${checked}`);
    assert(/pillar coverage below 50 %/.test(await legend.innerText()), `pillar legend entry: ${await legend.innerText()}`);

    // Capability: a level is one assessment; the stripes mark the country's coverage.
    const cap = 'surveillance.cctv_network';
    await chooseMode(page, cap);
    states = await renderedStates(page);
    let capThin = 0;
    for (const [iso, s] of Object.entries(states)) {
      const r = rows.get(iso);
      if (!r) continue;
      const assessed = r.levels?.[cap] !== undefined && r.levels?.[cap] !== null;
      assert((s.k === -1) === !assessed, `capability mode: ${iso} class ${s.k}, level ${r.levels?.[cap]}`);
      assert(s.t === (assessed && r.coverage < THRESHOLD), `capability mode: ${iso} thin=${s.t}`);
      if (s.t) capThin++;
    }
    assert(capThin > 0, 'capability mode marks no thin evidence');
    assert(/Country coverage below 50 %/.test(await legend.innerText()), `capability legend entry: ${await legend.innerText()}`);
    ctx.note = `${thin} countries thin by index (${stripes} stripe pixels sampled); pillar ${checked.join(', ')}; ${capThin} in ${cap}`;
  });

  test('the country list shows coverage beside the index', async ({ page, ctx }) => {
    const index = await apiJSON('/api/v1/index');
    const thin = index.countries.find((c) => c.assessed && c.coverage < THRESHOLD);
    const full = index.countries.find((c) => c.assessed && c.coverage >= THRESHOLD);
    await page.goto(`${BASE}/`);
    await waitForColouredMap(page);
    for (const c of [thin, full]) {
      const button = page.locator(`#country-list button[data-iso3=${c.iso3}]`);
      const cov = `${Math.round(c.coverage * 100)}%`;
      assert((await button.locator('.value').innerText()) === c.index.toFixed(1), `${c.iso3}: index shown ${await button.locator('.value').innerText()}`);
      assert((await button.locator('.coverage').innerText()) === cov, `${c.iso3}: coverage shown ${await button.locator('.coverage').innerText()}, want ${cov}`);
      const label = await button.getAttribute('aria-label');
      assert(label.includes(`coverage ${cov}`), `${c.iso3}: aria-label "${label}"`);
      assert(label.includes('thin evidence') === (c === thin), `${c.iso3}: aria-label "${label}"`);
      const striped = await button.locator('.swatch').evaluate((el) => el.classList.contains('swatch-thin'));
      assert(striped === (c === thin), `${c.iso3}: swatch striped=${striped}`);
    }
    // The table sorts by coverage.
    await page.locator('.view-nav button[data-view=table]').click();
    await page.locator('[data-sort-key=coverage]').click();
    await page.waitForFunction(() => document.querySelector('[data-sort-key=coverage]')?.closest('th')?.getAttribute('aria-sort') === 'descending');
    const covs = await page.$$eval('#ranking tbody tr:not(.not-assessed) td:nth-child(6)', (tds) => tds.map((t) => parseInt(t.textContent, 10)));
    assert(covs.length > 1 && covs.every((v, i) => i === 0 || v <= covs[i - 1]), `coverage column not descending: ${covs.slice(0, 10)}`);
    ctx.note = `${thin.iso3} thin, ${full.iso3} not`;
  });

  test('a profile lists the capabilities not assessed, with definitions and an invitation', async ({ page, context, ctx }) => {
    const index = await apiJSON('/api/v1/index');
    const target = index.countries.find((c) => c.iso3 === 'RUS' && c.assessed && c.coverage < THRESHOLD)
      ?? index.countries.find((c) => c.assessed && c.coverage < THRESHOLD);
    const profile = await apiJSON(`/api/v1/countries/${target.iso3}`);
    const { capabilities } = await apiJSON('/api/v1/capabilities');
    const defs = new Map(capabilities.map((c) => [c.code, c.definition]));
    const missing = profile.capabilities.filter((c) => c.level === null);
    assert(missing.length > 0, `${target.iso3} has every capability assessed`);
    // The taxonomy answers after the profile (as on a slow link): the definitions must still be there.
    await context.route((url) => url.pathname === '/api/v1/capabilities', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await page.goto(`${BASE}/?country=${target.iso3}`);
    const list = page.locator('#profile .not-assessed-list');
    await list.waitFor({ timeout: 20_000 });
    const heading = await list.locator('h3').innerText();
    assert(heading.includes(`${missing.length} of ${profile.capabilities.length}`), `heading "${heading}"`);
    const shown = await list.locator('dt').evaluateAll((dts) => dts.map((d) => [d.dataset.capability, d.nextElementSibling?.textContent ?? '']));
    assert(JSON.stringify(shown.map((s) => s[0])) === JSON.stringify(missing.map((c) => c.code)), `listed ${shown.map((s) => s[0])}`);
    for (const [code, def] of shown) assert(def === defs.get(code), `${code}: definition "${def}"`);
    for (const c of missing) {
      assert((await page.locator(`#profile .caps tr[data-capability="${c.code}"]`).count()) === 0, `${c.code} is in the table of assessed capabilities`);
    }
    const invite = await list.locator('.contribute').innerText();
    assert(/partner portal/.test(invite), `invitation: "${invite}"`);
    const portalLink = await list.locator('.contribute a.contribute-link').getAttribute('href');
    assert(portalLink === '/portal', `the invitation links to ${portalLink}, want /portal`);
    const note = await page.locator('#profile [data-field=thin]').innerText();
    assert(note.includes('not yet known') && note.includes(`${missing.length} of ${profile.capabilities.length}`), `thin note: "${note}"`);
    // A pillar with no assessed capability reads "not assessed", never a score.
    const empty = profile.pillars.find((p) => p.score !== null && p.coverage === 0);
    if (empty) {
      const row = page.locator('#profile table.compact tr', { hasText: empty.name });
      assert(/not assessed/.test(await row.innerText()), `pillar ${empty.code}: "${await row.innerText()}"`);
    }
    await list.scrollIntoViewIfNeeded();
    ctx.note = `${target.iso3}: ${missing.length} not assessed`;
  });

  test('a profile flags the levels that are judgement calls of the research', async ({ page, ctx }) => {
    const profile = await apiJSON('/api/v1/countries/RUS');
    const flagged = profile.capabilities.filter((c) => c.level !== null && c.level_judgement === true).map((c) => c.code);
    const plain = profile.capabilities.filter((c) => c.level !== null && c.level_judgement !== true).map((c) => c.code);
    assert(flagged.length > 0 && plain.length > 0, `RUS: ${flagged.length} flagged, ${plain.length} not`);
    await page.goto(`${BASE}/?country=RUS`);
    await page.locator('#profile .caps').waitFor({ timeout: 20_000 });
    const badged = await page.locator('#profile .caps tr[data-capability]').evaluateAll((rows) =>
      rows.filter((r) => [...r.querySelectorAll('.badge')].some((b) => b.textContent === 'level judgement')).map((r) => r.dataset.capability));
    assert(JSON.stringify([...badged].sort()) === JSON.stringify([...flagged].sort()), `badges on ${badged}, the API flags ${flagged}`);
    ctx.note = `RUS: ${flagged.length} of ${flagged.length + plain.length} assessed levels flagged`;
  });

  test('the methodology explains thin evidence with an example from the data', async ({ page, ctx }) => {
    await page.goto(`${BASE}/methodology`);
    const text = await page.locator('main').innerText();
    const section = text.slice(text.indexOf('Thin evidence'));
    assert(text.includes('Thin evidence') && /below 50 %/.test(section), 'no "Thin evidence" section naming the 50 % threshold');
    // The example names a country and the figures the API gave for it as recorded on a
    // date (thin: below the threshold), and what it gives now; both must agree.
    const m = /Example \(the tracker as recorded on (\d{4}-\d{2}-\d{2})\): ([^(]+) \(([A-Z]{3})\)[^]*?index of \*?\*?([\d.]+)[^]*?coverage \*?\*?([\d.]+) %[^]*?now stands at \*?\*?([\d.]+)\*?\*? with coverage\s+\*?\*?([\d.]+) %/.exec(section);
    assert(m, 'the section has no "Example (the tracker as recorded on …): Country (ISO) … index of … coverage … % … now stands at … with coverage … %" paragraph');
    const [, version, , iso3, idx, cov, nowIdx, nowCov] = m;
    for (const [query, wantIdx, wantCov, thin] of [[`?recorded_as_of=${version}`, idx, cov, true], ['', nowIdx, nowCov, false]]) {
      const data = await apiJSON(`/api/v1/index${query}`);
      const row = data.countries.find((c) => c.iso3 === iso3);
      assert(Math.abs(row.index - Number(wantIdx)) < 0.01 && Math.abs(row.coverage * 100 - Number(wantCov)) < 0.05,
        `the example gives ${iso3} index ${wantIdx}, coverage ${wantCov} % for /api/v1/index${query}; the API: ${row.index}, ${(row.coverage * 100).toFixed(1)} %: update docs/methodology.md ("Thin evidence")`);
      assert((row.coverage < THRESHOLD) === thin, `${iso3} for /api/v1/index${query} is ${thin ? 'not ' : ''}below the threshold`);
    }
    ctx.note = `${iso3}: index ${idx}, coverage ${cov} % as recorded on ${version}; now ${nowIdx}, ${nowCov} %`;
  });
}
