// Browser tests: the Share dialog (link and embed snippet, keyboard and
// screen-reader use) and the /embed page, framed by another site's page.

import { BASE, apiJSON, assert, waitForColouredMap } from './helpers.mjs';

const HOST = 'http://article.test/post.html';

/** The id (or tag) of the focused element. */
const focused = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName.toLowerCase());

export default function register(test) {
  test('the Share dialog gives the link and an embed snippet, by keyboard', async ({ page, context, ctx }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
    await page.goto(`${BASE}/?year=2020&colour=sanctions`);
    await waitForColouredMap(page);
    await page.locator('#share-open').focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('#share-dialog');
    await dialog.waitFor({ state: 'visible' });
    assert(await dialog.evaluate((d) => d.open && d.matches(':modal')), 'the dialog is not modal');
    const label = await dialog.evaluate((d) => document.getElementById(d.getAttribute('aria-labelledby'))?.textContent);
    assert(label === 'Share this view', `dialog label "${label}"`);
    assert((await focused(page)) === 'share-url', `focus starts on ${await focused(page)}`);
    const url = await page.locator('#share-url').inputValue();
    assert(url === page.url(), `link ${url}, page ${page.url()}`);
    assert((await page.locator('label[for=share-url]').innerText()).length > 0, 'the link field has no label');

    // Focus order through the dialog.
    const order = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused(page));
    }
    const want = ['share-copy-url', 'share-embed-map', 'share-embed', 'share-copy-embed', 'share-preview'];
    assert(JSON.stringify(order) === JSON.stringify(want), `focus order ${order}, want ${want}`);
    await page.keyboard.press('Tab');
    assert((await focused(page)) === 'share-close', `after the preview link, focus on ${await focused(page)}`);

    // Copy buttons put the texts on the clipboard.
    await page.locator('#share-copy-url').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('share-status')?.textContent === 'Link copied.');
    assert((await page.evaluate(() => navigator.clipboard.readText())) === url, 'the clipboard does not hold the link');
    const snippet = await page.locator('#share-embed').inputValue();
    // The map's view (year, colour, position) without the app's own state.
    const query = new URL(page.url()).search.slice(1).replace(/&/g, '&amp;');
    assert(query.startsWith('year=2020&amp;colour=sanctions'), `page query ${query}`);
    assert(snippet.startsWith(`<iframe src="${BASE}/embed?${query}"`), `snippet ${snippet}`);
    assert(/title="[^"]+"/.test(snippet) && !/<script/i.test(snippet), `snippet ${snippet}`);
    await page.locator('#share-copy-embed').click();
    await page.waitForFunction(() => document.getElementById('share-status')?.textContent === 'HTML copied.');
    assert((await page.evaluate(() => navigator.clipboard.readText())) === snippet, 'the clipboard does not hold the snippet');

    await ctx.shot('dialog open');
    // Escape closes it and focus goes back to the Share button.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert((await focused(page)) === 'share-open', `after Escape, focus on ${await focused(page)}`);
    ctx.note = snippet;
  });

  test('the Share dialog of a comparison offers its charts', async ({ page }) => {
    const index = await apiJSON('/api/v1/index');
    const two = index.countries.filter((c) => c.assessed).slice(0, 2).map((c) => c.iso3);
    await page.goto(`${BASE}/?view=compare&compare=${two.join(',')}`);
    await page.locator('.compare-table').waitFor({ timeout: 20_000 });
    await page.locator('#share-open').click();
    await page.locator('#share-dialog').waitFor({ state: 'visible' });
    assert(await page.locator('#share-embed-line').isChecked(), 'the line chart is not offered first in the compare view');
    let snippet = await page.locator('#share-embed').inputValue();
    assert(snippet.includes(`compare=${two.join(',')}&amp;chart=line`), `snippet ${snippet}`);
    await page.locator('#share-embed-radar').check();
    snippet = await page.locator('#share-embed').inputValue();
    assert(snippet.includes('chart=radar'), `snippet ${snippet}`);
    await page.locator('#share-close').click();
    await page.locator('#share-dialog').waitFor({ state: 'hidden' });
  });

  test('an embed framed by another site shows the map, legend, date, version and a link back; the app refuses to be framed', async ({ page, ctx }) => {
    const index = await apiJSON('/api/v1/index');
    await page.goto(HOST);
    await page.waitForFunction(() => [...document.querySelectorAll('iframe')].length === 2);
    const embed = page.frames().find((f) => f.url().startsWith(`${BASE}/embed`));
    assert(embed, `no embed frame: ${page.frames().map((f) => f.url())}`);
    await embed.waitForFunction(() => window.__tracker?.firstColouredAt != null, null, { timeout: 45_000 });
    const states = await embed.evaluate(() => {
      const t = window.__tracker;
      return t.map.queryRenderedFeatures({ layers: t.fillLayers() }).filter((f) => f.state?.k >= 0).length;
    });
    assert(states > 10, `only ${states} coloured countries in the embed`);
    const legend = await embed.locator('#legend').innerText();
    assert(/Not assessed/.test(legend) && /Thin evidence/.test(legend), `embed legend: ${legend}`);
    assert((await embed.locator('#embed-sub').innerText()).includes(`As of ${index.as_of}`), 'embed lacks its date');
    const meta = await embed.locator('#embed-meta').innerText();
    assert(meta.includes(`Dataset version ${index.dataset_version}`) && /Natural Earth/.test(meta) && /CC BY 4\.0/.test(meta), `embed meta: ${meta}`);
    const link = embed.locator('#embed-link');
    const href = await link.getAttribute('href');
    assert(href === `${BASE}/?colour=surveillance` && (await link.getAttribute('target')) === '_blank', `link back ${href}`);
    assert((await embed.locator('.masthead, .sidebar, .timebar').count()) === 0, 'the embed shows the app chrome');
    // The app itself in a frame: refused (frame-ancestors 'none').
    const app = page.frames().find((f) => f !== page.mainFrame() && f !== embed);
    assert(app && (await app.$('#map')) === null, 'the app was rendered inside another site\'s frame');
    ctx.note = `${states} countries coloured in the embed`;
  }, {
    pages: {
      [HOST]: `<!doctype html><html><head><title>An article</title></head><body><h1>An article that embeds the tracker</h1>
<iframe src="${BASE}/embed?colour=surveillance" title="embed" width="900" height="560" style="border:0"></iframe>
<iframe src="${BASE}/" title="app" width="400" height="200"></iframe></body></html>`,
    },
    allowConsoleErrors: /frame-ancestors|Refused to (display|frame)/,
  });

  test('an embedded compare chart shows the chart, its date and a link back', async ({ page, ctx }) => {
    const index = await apiJSON('/api/v1/index');
    const two = index.countries.filter((c) => c.assessed).slice(0, 2);
    await page.goto(`${BASE}/embed?compare=${two.map((c) => c.iso3).join(',')}&chart=line`);
    await page.waitForFunction(() => window.__tracker?.firstColouredAt != null, null, { timeout: 30_000 });
    const painted = await page.locator('.embed-chart canvas').evaluate((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
    assert(painted > 500, `the chart canvas is empty (${painted} pixels)`);
    const title = await page.locator('#embed-title').innerText();
    for (const c of two) assert(title.includes(c.name), `title "${title}" lacks ${c.name}`);
    assert((await page.locator('#embed-meta').innerText()).includes(index.dataset_version), 'no dataset version');
    const href = await page.locator('#embed-link').getAttribute('href');
    assert(href === `${BASE}/?view=compare&compare=${two.map((c) => c.iso3).join(',')}`, `link back ${href}`);
    assert(!(await page.evaluate(() => Boolean(window.__tracker?.map))), 'a chart embed drew a map');
    ctx.note = title;
  });
}
