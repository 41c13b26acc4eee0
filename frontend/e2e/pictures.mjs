// Browser tests: "Download PNG" of the map view and of each chart. The file
// must be a PNG of the expected size whose picture is neither blank nor one
// colour, with text drawn above and below the image (title and date; legend,
// dataset version and citation).

import { readFile } from 'node:fs/promises';
import { BASE, apiJSON, assert, pngSize, pngStats, waitForColouredMap } from './helpers.mjs';

/** Clicks `button`, waits for the download and returns its name and bytes. */
export async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), button.click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), buf: await readFile(path) };
}

/** Checks a picture composed around a source canvas of `src` device pixels. */
export async function checkPicture(page, buf, src, what) {
  const size = pngSize(buf);
  const scale = src.width / src.cssWidth;
  const wantWidth = Math.max(src.width, Math.round(560 * scale));
  assert(size.width === wantWidth, `${what}: width ${size.width}, want ${wantWidth} (the ${src.width} px image, at least 560 CSS px)`);
  // Title and subtitle above (≥ 40 px), dataset version, citation, attribution and address below (≥ 4 lines).
  assert(size.height >= src.height + 100 * scale, `${what}: height ${size.height} for a ${src.height} px image: no room for title, legend and citation`);
  const stats = await pngStats(page, buf, Math.round(40 * scale));
  assert(stats.width === size.width && stats.height === size.height, `${what}: decoded ${stats.width}×${stats.height}`);
  assert(stats.colours > 40, `${what}: only ${stats.colours} colours (blank?)`);
  assert(stats.topShare < 0.97, `${what}: ${Math.round(stats.topShare * 100)} % of the picture is one colour`);
  assert(stats.inkTop > 50, `${what}: no title drawn at the top (${stats.inkTop} dark pixels)`);
  assert(stats.inkBottom > 50, `${what}: no citation drawn at the bottom (${stats.inkBottom} dark pixels)`);
  assert(stats.middle > 300, `${what}: the middle of the picture is white (${stats.middle} other pixels): no image drawn`);
  return { size, stats };
}

/** Waits until a chart canvas has drawn something. */
export const painted = (locator) => locator.evaluate((c) => new Promise((resolve) => {
  const check = () => {
    const d = c.width && c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    if (d && d.some((v, i) => i % 4 === 3 && v > 0)) resolve(true);
    else requestAnimationFrame(check);
  };
  check();
}));

export const canvasSize = (locator) => locator.evaluate((c) => ({ width: c.width, height: c.height, cssWidth: c.clientWidth }));

export default function register(test) {
  test('Download PNG of the map draws title, legend, date, version and citation into the picture', async ({ page, ctx }) => {
    const index = await apiJSON('/api/v1/index');
    await page.goto(`${BASE}/?sites=1`);
    await waitForColouredMap(page);
    const src = await canvasSize(page.locator('#map canvas'));
    const { name, buf } = await download(page, page.locator('#map-png'));
    assert(name === `scs-tracker-map-index-${index.as_of}.png`, `file name ${name}`);
    const { size, stats } = await checkPicture(page, buf, src, 'map picture');
    // The map itself is in the picture: palette colours are there.
    const palette = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      const colours = ['#ffffcc', '#a1dab4', '#253494'].map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
      return colours.map((p) => {
        let n = 0;
        for (let i = 0; i < d.length; i += 4 * 5) if (Math.abs(d[i] - p[0]) < 3 && Math.abs(d[i + 1] - p[1]) < 3 && Math.abs(d[i + 2] - p[2]) < 3) n++;
        return n;
      });
    }, buf.toString('base64'));
    assert(palette.every((n) => n > 10), `map colours missing from the picture: ${palette}`);
    ctx.note = `${size.width}×${size.height}, ${stats.colours} colours`;
  });

  test('Download PNG of each chart (compare radar and line, profile radar)', async ({ page, ctx }) => {
    const index = await apiJSON('/api/v1/index');
    const two = index.countries.filter((c) => c.assessed).slice(0, 2).map((c) => c.iso3);
    await page.goto(`${BASE}/?view=compare&compare=${two.join(',')}`);
    await page.locator('.compare-charts canvas').first().waitFor({ timeout: 20_000 });
    const sizes = [];
    for (const which of ['compare-radar', 'compare-line']) {
      const button = page.locator(`[data-png=${which}]`);
      const chart = button.locator('xpath=ancestor::figure//canvas');
      await painted(chart);
      const src = await canvasSize(chart);
      const { name, buf } = await download(page, button);
      assert(/^scs-tracker-chart-[a-z0-9.-]+\.png$/.test(name), `file name ${name}`);
      const { size } = await checkPicture(page, buf, src, which);
      sizes.push(`${which} ${size.width}×${size.height}`);
    }
    await page.goto(`${BASE}/?country=CHN`);
    const button = page.locator('[data-png=profile-radar]');
    await button.waitFor({ timeout: 20_000 });
    const canvas = page.locator('#profile .chart.radar canvas');
    await painted(canvas);
    const { buf } = await download(page, button);
    const { size } = await checkPicture(page, buf, await canvasSize(canvas), 'profile radar');
    sizes.push(`profile-radar ${size.width}×${size.height}`);
    ctx.note = sizes.join(', ');
  });
}
