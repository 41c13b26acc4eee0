// Browser tests: recorded time ("the tracker as it stood on …", recorded_as_of)
// beside the year slider, carried by every read, and the corrections made
// since the recorded date on a profile.

import { BASE, apiJSON, assert, recordedDay, waitForColouredMap } from './helpers.mjs';

/** Routes that refuse recorded_as_of (unknown parameter, 400): not bitemporal (geometry, taxonomy, sites). */
const NOT_BITEMPORAL = /^\/api\/v1\/(geo\/|pillars$|capabilities$|sites$)/;

/** Records the path and query of every API request the page makes. */
function apiRequests(page) {
  const seen = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/')) seen.push(u);
  });
  return seen;
}

/** The first recording day of the reference (the control's lower bound) and the server's today. */
async function recordedRange() {
  const hist = await apiJSON('/api/v1/countries/CHN/history');
  const first = hist.assessments.map(recordedDay).sort()[0];
  const today = (await apiJSON('/api/v1/index')).time_range.max;
  return { first, today, hist };
}

export default function register(test) {
  test('the recorded-time control is kept in the URL and every read carries it', async ({ page, ctx }) => {
    const { first } = await recordedRange();
    const seen = apiRequests(page);
    await page.goto(`${BASE}/?recorded_as_of=${first}&country=RUS`);
    await waitForColouredMap(page);
    await page.locator('#profile .corrections').waitFor({ timeout: 20_000 });
    const input = page.locator('#recorded-as-of');
    assert((await input.inputValue()) === first, `control shows ${await input.inputValue()}, want ${first}`);
    assert((await input.getAttribute('min')) === first, `control min ${await input.getAttribute('min')}`);
    assert((await page.locator('label[for=recorded-as-of]').innerText()).includes('as it stood on'), 'the control has no label');
    assert((await page.locator('#meta').innerText()).includes(`as recorded on ${first}`), `meta: ${await page.locator('#meta').innerText()}`);
    assert((await page.locator('#legend').innerText()).includes(`as recorded on ${first}`), 'legend lacks the recorded date');
    // The table's downloads and the comparison ask for the same recorded date.
    await page.locator('.view-nav button[data-view=table]').click();
    const csv = await page.locator('a', { hasText: 'Download index (CSV)' }).getAttribute('href');
    const csvAll = await page.locator('a', { hasText: 'All assessments (CSV)' }).getAttribute('href');
    assert(csv.includes(`recorded_as_of=${first}`) && csvAll.includes(`recorded_as_of=${first}`), `CSV links ${csv} ${csvAll}`);
    await page.goto(`${BASE}/?recorded_as_of=${first}&view=compare&compare=CHN,RUS`);
    await page.locator('.compare-table').waitFor({ timeout: 20_000 });
    // Every read of something recorded carries recorded_as_of, except the history
    // as it stands now, which the profile reads to list the corrections since.
    const missing = seen.filter((u) => !NOT_BITEMPORAL.test(u.pathname) && u.searchParams.get('recorded_as_of') !== first);
    const presentHistory = missing.filter((u) => /^\/api\/v1\/countries\/[A-Z]{3}\/history$/.test(u.pathname) && !u.search);
    assert(missing.length === presentHistory.length, `reads without recorded_as_of=${first}: ${missing.filter((u) => !presentHistory.includes(u)).map((u) => u.pathname + u.search).join(', ')}`);
    for (const path of ['/api/v1/index', '/api/v1/countries/RUS', '/api/v1/countries/RUS/history', '/api/v1/compare']) {
      assert(seen.some((u) => u.pathname === path && u.searchParams.get('recorded_as_of') === first), `no ${path} read with recorded_as_of`);
    }
    // "Now" returns to the present: the parameter leaves the URL and the reads.
    const present = page.waitForRequest((r) => {
      const u = new URL(r.url());
      return u.pathname === '/api/v1/compare' && !u.searchParams.has('recorded_as_of');
    }, { timeout: 20_000 });
    await page.locator('#recorded-now').click();
    await page.waitForFunction(() => window.__tracker.state.recorded === null);
    assert(!page.url().includes('recorded_as_of'), `URL still has recorded_as_of: ${page.url()}`);
    await present;
    ctx.note = `${seen.length} API reads; ${presentHistory.length} of the history as it stands now`;
  });

  test('a recorded date outside the records is moved into them, with a note', async ({ page, ctx }) => {
    const { first } = await recordedRange();
    const failed = [];
    page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
    // Before the first recording: the link is moved to the first day.
    await page.goto(`${BASE}/?recorded_as_of=2001-01-01`);
    await waitForColouredMap(page);
    assert((await page.evaluate(() => window.__tracker.state.recorded)) === first, `state ${await page.evaluate(() => window.__tracker.state.recorded)}`);
    assert(page.url().includes(`recorded_as_of=${first}`), `URL ${page.url()}`);
    const note = await page.locator('#recorded-note').innerText();
    assert(note.includes(first), `note: "${note}"`);
    // A date typed into the control after today becomes "now".
    await page.locator('#recorded-as-of').fill('2199-01-01');
    await page.waitForFunction(() => window.__tracker.state.recorded === null);
    assert(/future/.test(await page.locator('#recorded-note').innerText()), 'no note about the future date');
    assert((await page.locator('#recorded-as-of').inputValue()) === '', 'the control still shows the future date');
    assert(failed.length === 0, `refused requests: ${failed.join(', ')}`);
    ctx.note = note;
  });

  test('a profile lists the corrections made since the recorded date', async ({ page, context, ctx }) => {
    const { first } = await recordedRange();
    const real = await apiJSON('/api/v1/countries/RUS/history');
    // What the data itself says: rows recorded after the date that correct a row the tracker stood by then.
    const byId = new Map(real.assessments.map((a) => [String(a.id), a]));
    const want = new Set(real.assessments
      .filter((a) => a.supersedes !== null && recordedDay(a) > first && recordedDay(byId.get(String(a.supersedes)) ?? a) <= first)
      .map((a) => a.capability));
    await page.goto(`${BASE}/?recorded_as_of=${first}&country=RUS`);
    const section = page.locator('#profile .corrections');
    await section.waitFor({ timeout: 20_000 });
    assert((await section.locator('h3').innerText()) === `Corrections since ${first}`, `heading ${await section.locator('h3').innerText()}`);
    const listed = await section.locator('li[data-capability]').evaluateAll((lis) => lis.map((l) => l.dataset.capability));
    assert(JSON.stringify([...new Set(listed)].sort()) === JSON.stringify([...want].sort()), `listed ${listed}, the data has ${[...want]}`);
    if (!want.size) assert(await section.locator('[data-field=no-corrections]').isVisible(), 'no "no correction" line');

    // The shipped data records real corrections after the first release (the
    // deep profiles of 2026-12-01): each is drawn old level → new level, with
    // its reason and its new sources.
    assert(want.size > 0, 'RUS has no correction after its first recording day in the shipped data');
    const corr = real.assessments.find((a) => a.supersedes !== null && !a.retracted && want.has(a.capability) && a.correction_reason
      && byId.get(String(a.supersedes)).level !== a.level) ?? real.assessments.find((a) => a.supersedes !== null && !a.retracted && want.has(a.capability));
    const old = byId.get(String(corr.supersedes));
    const item = page.locator(`#profile .corrections li[data-capability="${corr.capability}"]`).first();
    await item.waitFor({ timeout: 20_000 });
    const text = await item.innerText();
    assert(text.includes(`level ${old.level} → level`), `correction of ${corr.capability}: "${text}"`);
    if (corr.correction_reason) assert(text.includes(corr.correction_reason.slice(0, 40)), `reason missing: "${text}"`);
    const added = corr.sources.find((s) => !old.sources.some((o) => o.id === s.id));
    if (added) assert(text.includes('New sources') && text.includes(added.title), `new source ${added.title} missing: "${text}"`);
    // The profile above still shows the level as it stood then.
    const row = await page.locator(`#profile .caps tr[data-capability="${old.capability}"]`).innerText();
    assert(row.includes(String(old.level)), `profile row: "${row}"`);
    await section.scrollIntoViewIfNeeded();
    ctx.note = `${want.size} corrected capabilities since ${first}; checked ${corr.capability} ${old.level}→${corr.level}`;
  });
}
