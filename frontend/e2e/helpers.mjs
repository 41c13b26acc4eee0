// Helpers shared by the browser tests (e2e/run.mjs and the test files it loads).

export const BASE = (process.env.BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

export async function apiJSON(path) {
  const res = await fetch(BASE + path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

// ---- page helpers (run inside the page) ----------------------------------------

export async function waitForColouredMap(page) {
  await page.waitForFunction(() => window.__tracker?.firstColouredAt != null, null, { timeout: 45_000 });
}

/** Feature-state colour class of every rendered country (k: 0..4, -1 = not assessed). */
export function renderedClasses(page) {
  return page.evaluate(() => {
    const t = window.__tracker;
    const out = {};
    for (const f of t.map.queryRenderedFeatures({ layers: t.fillLayers() })) {
      if (f.id !== undefined && f.state?.k !== undefined) out[f.id] = f.state.k;
    }
    return out;
  });
}

export function changedCount(a, b) {
  return Object.keys(a).filter((k) => k in b && a[k] !== b[k]).length;
}

export async function waitForRecolour(page, before) {
  await page.waitForFunction((n) => window.__tracker.recolourCount > n, before, { timeout: 30_000 });
}

/** A point (CSS px, page coordinates) inside the rendered shape of `iso3`. */
export async function pointInside(page, iso3, hint) {
  return page.evaluate(
    ({ iso3, hint }) => {
      const t = window.__tracker;
      const m = t.map;
      const rect = m.getCanvas().getBoundingClientRect();
      const hit = (x, y) => m.queryRenderedFeatures([x, y], { layers: t.fillLayers() })[0]?.id === iso3;
      if (hint) {
        const p = m.project(hint);
        if (hit(p.x, p.y)) return { x: rect.left + p.x, y: rect.top + p.y };
      }
      for (let y = 6; y < rect.height; y += 6) {
        for (let x = 6; x < rect.width; x += 6) if (hit(x, y)) return { x: rect.left + x, y: rect.top + y };
      }
      return null;
    },
    { iso3, hint },
  );
}

/** Counts sampled canvas pixels that are exactly one of the palette colours. */
export function palettePixels(page) {
  return page.evaluate(() => {
    const palette = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'].map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
    const src = window.__tracker.map.getCanvas();
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(src, 0, 0);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    const counts = palette.map(() => 0);
    for (let i = 0; i < data.length; i += 4 * 37) {
      palette.forEach((p, j) => {
        if (Math.abs(data[i] - p[0]) < 3 && Math.abs(data[i + 1] - p[1]) < 3 && Math.abs(data[i + 2] - p[2]) < 3) counts[j]++;
      });
    }
    return counts;
  });
}

/** Records every API answer with a status of 400 or more. */
export function failedResponses(page) {
  const failed = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  return failed;
}


/** Feature state of every rendered country: { iso3: { k, t } } (k: class, -1 not assessed; t: thin evidence). */
export function renderedStates(page) {
  return page.evaluate(() => {
    const t = window.__tracker;
    const out = {};
    for (const f of t.map.queryRenderedFeatures({ layers: t.fillLayers() })) {
      if (f.id !== undefined && f.state?.k !== undefined) out[f.id] = { k: f.state.k, t: Boolean(f.state.t) };
    }
    return out;
  });
}

/** Waits until the map has rendered the current state (after a colour-mode change, which fetches nothing). */
export async function settle(page) {
  await page.evaluate(() => window.__tracker.idle());
}

/** The UTC day a history row was recorded on (YYYY-MM-DD). */
export const recordedDay = (row) => new Date(row.recorded_at).toISOString().slice(0, 10);

/** Reads a downloaded PNG's size from its IHDR chunk, after checking the signature. */
export function pngSize(buf) {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (buf.length < 24 || sig.some((b, i) => buf[i] !== b) || buf.toString('ascii', 12, 16) !== 'IHDR') throw new Error('not a PNG file');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/**
 * Decodes a PNG in the page (a data: image, allowed by the CSP) and describes
 * its pixels: size, distinct colours (in steps of 8), the share of the most
 * common colour, how many dark "ink" pixels lie in the top and bottom bands,
 * and how many pixels in the middle fifth are not white.
 */
export function pngStats(page, buf, band = 60) {
  return page.evaluate(async ({ b64, band }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const counts = new Map();
    let inkTop = 0;
    let inkBottom = 0;
    let middle = 0; // pixels that are not white in the middle fifth (the map or chart itself)
    for (let i = 0; i < d.length; i += 4) {
      const key = ((d[i] >> 3) << 10) | ((d[i + 1] >> 3) << 5) | (d[i + 2] >> 3);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const y = Math.floor(i / 4 / c.width);
      const dark = d[i] < 110 && d[i + 1] < 110 && d[i + 2] < 130;
      if (dark && y < band) inkTop++;
      if (dark && y >= c.height - band) inkBottom++;
      if (y >= c.height * 0.4 && y < c.height * 0.6 && d[i] + d[i + 1] + d[i + 2] < 735) middle++;
    }
    const top = Math.max(...counts.values());
    return { width: c.width, height: c.height, colours: counts.size, topShare: top / (d.length / 4), inkTop, inkBottom, middle };
  }, { b64: buf.toString('base64'), band });
}
