// Browser tests of the partner portal (/portal) against the real binary: the
// users are created with the real CLI (`tracker admin …`, passwords on
// standard input) in the database the server under test uses
// (E2E_DATABASE_URL; scripts/test.sh exports it and TRACKER_BIN).

import { execFileSync } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, apiJSON, assert, waitForColouredMap } from './helpers.mjs';
import { newPage } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = process.env.TRACKER_BIN ?? resolve(here, '../../bin/tracker');
const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const PASSWORD = `portal-e2e-passphrase-${RUN}`;
const COUNTRY = 'KEN';

let accounts = null;

function cli(args, stdin) {
  const db = process.env.E2E_DATABASE_URL;
  if (!db) throw new Error('E2E_DATABASE_URL is not set: the portal tests create their users with `tracker admin` in the server’s database');
  return execFileSync(BIN, ['admin', ...args], { input: stdin ?? '', env: { ...process.env, DATABASE_URL: db }, encoding: 'utf8' });
}

/** Two organisations (A named, B named) with a partner and a reviewer each, and an admin; created once per run. */
export function users() {
  if (accounts) return accounts;
  const orgA = `E2E Partners A ${RUN}`;
  const orgB = `E2E Reviewers B ${RUN}`;
  cli(['create-org', '--name', orgA]);
  cli(['create-org', '--name', orgB]);
  const mk = (key, role, org) => {
    const email = `${key}-${RUN}@e2e.example.org`;
    const name = `${key} ${RUN}`;
    if (role === 'admin') cli(['create-admin', '--email', email, '--name', name], `${PASSWORD}\n`);
    else cli(['create-user', '--email', email, '--name', name, '--role', role, '--org', org], `${PASSWORD}\n`);
    return { email, name, role, org };
  };
  const orgC = `E2E Unnamed C ${RUN}`;
  cli(['create-org', '--name', orgC, '--unnamed']);
  accounts = {
    orgA, orgB, orgC,
    partnerC: mk('partner-c', 'partner', orgC),
    partnerA: mk('partner-a', 'partner', orgA),
    reviewerA: mk('reviewer-a', 'reviewer', orgA),
    reviewerB: mk('reviewer-b', 'reviewer', orgB),
    reviewerB2: mk('reviewer-b2', 'reviewer', orgB),
    admin: mk('admin', 'admin'),
  };
  return accounts;
}

// ---- API helpers for the test's own set-up (a logged-in fetch, as an app would) ----

async function session(user) {
  const res = await fetch(`${BASE}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: user.email, password: PASSWORD }) });
  assert(res.ok, `login of ${user.email}: HTTP ${res.status}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  return async (method, path, body, headers = {}) => {
    const r = await fetch(BASE + path, { method, headers: { Cookie: cookie, 'Content-Type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, etag: r.headers.get('etag'), body: text && text.startsWith('{') ? JSON.parse(text) : text };
  };
}

/** A capability KEN has no published level for (so an accepted level 2 changes the profile). */
async function freeCapability() {
  const p = await apiJSON(`/api/v1/countries/${COUNTRY}`);
  const free = p.capabilities.filter((c) => c.level === null);
  assert(free.length > 0, `${COUNTRY} has every capability assessed`);
  return free[Math.floor(Math.random() * free.length)];
}

function reportBody(capability, title) {
  return {
    country: COUNTRY, period: { from: '2020-01-01', to: '2024-12-31' }, narrative: `E2E report ${RUN}`,
    assessments: [{ capability, level: 2, valid_from: '2021-03-01', valid_to: null, confidence: 'M', summary: 'From the e2e test.', sources: [{ url: `https://example.org/e2e/${RUN}/${encodeURIComponent(title)}`, title, publisher: 'E2E Publisher', published: '2021-02-01' }] }],
    sites: [], constraints: [],
  };
}

/** A submitted report of partner A (or another partner), made through the API. */
async function submittedReport(title, partner = users().partnerA) {
  const as = await session(partner);
  const cap = await freeCapability();
  const created = await as('POST', '/api/v1/reports', reportBody(cap.code, title));
  assert(created.status === 201, `create: ${created.status} ${JSON.stringify(created.body)}`);
  const sub = await as('POST', `/api/v1/reports/${created.body.id}/submit`, {}, { 'If-Match': created.etag });
  assert(sub.status === 200, `submit: ${sub.status} ${JSON.stringify(sub.body)}`);
  return sub.body;
}

// ---- page helpers -------------------------------------------------------------------

async function ready(page) {
  await page.waitForFunction(() => window.__portal?.ready === true, null, { timeout: 20_000 });
}

async function login(page, user, hash = '') {
  await page.goto(`${BASE}/portal${hash}`);
  await page.locator('#login-form').waitFor();
  await page.locator('#login-email').fill(user.email);
  await page.locator('#login-password').fill(PASSWORD);
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('#whoami-text').waitFor();
  await ready(page);
}

async function go(page, hash) {
  if ((await page.evaluate(() => location.hash)) === hash) {
    await page.reload(); // the same route: load it again, as a person would
    await ready(page);
    return;
  }
  const n = await page.evaluate(() => window.__portal.renders);
  await page.evaluate((h) => (location.hash = h), hash);
  await page.waitForFunction((k) => window.__portal.renders > k && window.__portal.ready, n);
}

/** Fills the first assessment of the open report form. */
async function fillAssessment(page, cap, title) {
  await page.locator('#add-assessments').click();
  await page.locator('#f-assessments-0-capability').selectOption(cap.code);
  await page.locator('#f-assessments-0-level').selectOption('2');
  await page.locator('#f-assessments-0-valid_from').fill('2021-03-01');
  await page.locator('#f-assessments-0-confidence').selectOption('M');
  await page.locator('#f-assessments-0-summary').fill('A national blacklist, from the e2e test.');
  await page.locator('#f-assessments-0-sources').getByRole('button', { name: 'Add a new source' }).click();
  await page.locator('#f-assessments-0-sources-0-title').fill(title);
  await page.locator('#f-assessments-0-sources-0-publisher').fill('E2E Publisher');
  await page.locator('#f-assessments-0-sources-0-url').fill(`https://example.org/e2e-source/${RUN}/${cap.code}`);
  await page.locator('#f-assessments-0-sources-0-published').fill('2021-02-01');
}

async function startReport(page) {
  await go(page, '#/reports/new');
  await page.locator('#f-country').selectOption(COUNTRY);
  await page.locator('#f-period-from').fill('2020-01-01');
  await page.locator('#f-period-to').fill('2024-12-31');
  await page.locator('#f-narrative').fill(`Narrative typed by the e2e test ${RUN}`);
}

/** Page coordinates of a lon/lat on the site map. */
async function onSiteMap(page, lon, lat) {
  await page.waitForFunction(() => window.__portalMap?.loaded?.(), null, { timeout: 20_000 });
  return page.evaluate(([x, y]) => {
    const m = window.__portalMap;
    const p = m.project([x, y]);
    const r = m.getCanvas().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, [lon, lat]);
}

async function errorOn(page, id) {
  const err = page.locator(`#${id}-err`);
  await err.waitFor({ state: 'visible', timeout: 10_000 });
  const invalid = await page.locator(`#${id}`).getAttribute('aria-invalid');
  assert(invalid === 'true', `#${id} is not marked invalid`);
  return err.innerText();
}

export default function register(register) {
  // The portal asks /me first: a 401 there (not logged in yet) is how it knows to show the login.
  const test = (name, fn, opts = {}) => register(name, fn, { ...opts, allowConsoleErrors: opts.allowConsoleErrors ?? /Failed to load resource.*401/ });
  test('portal: login shows who and for which organisation; a wrong password is refused', async ({ page, ctx }) => {
    const { partnerA, orgA } = users();
    await page.goto(`${BASE}/portal`);
    await page.locator('#login-form').waitFor();
    await page.locator('#login-email').fill(partnerA.email);
    await page.locator('#login-password').fill('not-the-password-at-all');
    await page.locator('#login-form button[type=submit]').click();
    await page.locator('#login-status .notice-error').waitFor();
    assert(/Wrong email or password/.test(await page.locator('#login-status').innerText()), 'no refusal message');
    await ctx.shot('refused');
    await page.locator('#login-password').fill(PASSWORD);
    await page.locator('#login-form button[type=submit]').click();
    await page.locator('#whoami-text').waitFor();
    const who = await page.locator('#whoami-text').innerText();
    assert(who.includes(partnerA.name) && who.includes(orgA) && who.includes('partner'), `header says "${who}"`);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + location.href);
    assert(!stored.includes(PASSWORD), 'the password is kept in storage or the URL');
    await page.locator('#logout').click();
    await page.locator('#login-form').waitFor();
    const me = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.status));
    assert(me === 401, `after logout /me answers ${me}`);
  }, { allowConsoleErrors: /Failed to load resource.*401/ });

  test('portal: the whole loop (draft, field errors, site, submit, changes requested, resubmit, accept, published)', async ({ page, context, ctx }) => {
    const { partnerA, reviewerB, orgA } = users();
    const cap = await freeCapability();
    const title = `E2E source ${RUN} ${cap.code}`;
    await login(page, partnerA);
    await startReport(page);
    await fillAssessment(page, cap, title);
    // A live check: low confidence above level 1 is refused on the confidence field before anything is sent.
    await page.locator('#f-assessments-0-confidence').selectOption('L');
    const confErr = await errorOn(page, 'f-assessments-0-confidence');
    assert(/never ship above level 1/.test(confErr), `confidence error: "${confErr}"`);
    await ctx.shot('live-error');
    await page.locator('#f-assessments-0-confidence').selectOption('M');
    await page.locator('#f-assessments-0-confidence-err').waitFor({ state: 'hidden' });
    // A site placed by clicking inside Kenya (Nairobi, away from the dataset's site at 36.82, -1.29,
    // so that the public map's popup below is this one's).
    await page.locator('#add-sites').click();
    await page.locator('#f-sites-0-name').fill(`Nairobi camera network (e2e ${RUN})`);
    await page.locator('#f-sites-0-capability').selectOption('surveillance.cctv_network');
    const pt = await onSiteMap(page, 36.88, -1.25);
    await page.mouse.click(pt.x, pt.y);
    await page.waitForFunction(() => document.querySelector('#f-sites-0-lon')?.value !== '');
    const lon = Number(await page.locator('#f-sites-0-lon').inputValue());
    const lat = Number(await page.locator('#f-sites-0-lat').inputValue());
    assert(Math.abs(lon - 36.88) < 0.2 && Math.abs(lat + 1.25) < 0.2, `site placed at ${lon}, ${lat}`);
    await page.locator('#f-sites-0-sources').getByRole('button', { name: 'Add a new source' }).click();
    await page.locator('#f-sites-0-sources-0-title').fill(`Site source ${RUN}`);
    await page.locator('#f-sites-0-sources-0-publisher').fill('E2E Publisher');
    await page.locator('#f-sites-0-sources-0-url').fill(`https://example.org/e2e-site/${RUN}`);
    await page.locator('#f-sites-0-summary').fill(`Cameras at the junctions, seen by the e2e test ${RUN}.`);
    await page.locator('#save-draft').click();
    await page.locator('#save-status .notice-ok').waitFor();
    await page.waitForFunction(() => /^#\/reports\/\d+$/.test(location.hash));
    const id = Number((await page.evaluate(() => location.hash)).split('/').pop());
    await ctx.shot('draft-saved');
    await page.locator('#submit-report').click();
    await page.locator('.report-meta .status-submitted').waitFor();
    // Reviewer B asks for changes with a comment on the assessment.
    const { context: rb, page: rpage, problems } = await newPage(context.browser(), BASE);
    await login(rpage, reviewerB, '#/review');
    await rpage.locator(`#queue-list tr[data-report="${id}"] a`).click();
    await rpage.locator('.decisions').waitFor();
    await rpage.locator('.side-by-side[data-pointer="/assessments/0"] .col.current .level').waitFor();
    await rpage.locator('.side-by-side[data-pointer="/assessments/0"] textarea').fill('Please say which agency keeps the list.');
    await rpage.locator('#decide-request-changes').click();
    await rpage.locator('#decision-status .notice-ok').waitFor();
    await rpage.screenshot({ path: ctx.path('reviewer-requested-changes') });
    await ctx.shot('partner-submitted');
    // Partner A sees it, edits, resubmits.
    await go(page, '#/reports?status=changes_requested');
    const row = page.locator(`#report-list tr[data-report="${id}"]`);
    await row.waitFor();
    assert(/which agency/.test(await row.innerText()), `my reports do not show the comment: ${await row.innerText()}`);
    await row.locator('a').click();
    await page.locator('#f-assessments-0-summary').waitFor();
    assert(/which agency/.test(await page.locator('#f-assessments .item-comment').first().innerText()), 'the item comment is not on the item');
    await page.locator('#f-assessments-0-summary').fill('A national blacklist kept by the e2e agency.');
    await ctx.shot('changes-requested');
    await page.locator('#submit-report').click();
    await page.locator('.report-meta .status-submitted').waitFor();
    // Reviewer B accepts.
    await go(rpage, `#/review/${id}`);
    const ifAccepted = rpage.locator('#index-preview tr[data-row="index"] .if-accepted');
    await ifAccepted.waitFor();
    const previewed = Number.parseFloat(await ifAccepted.innerText());
    await rpage.locator('#decide-accept').click();
    await rpage.locator('#decision-status .notice').waitFor();
    await rpage.screenshot({ path: ctx.path('reviewer-accepted') });
    const decided = await rpage.locator('#decision-status').innerText();
    assert(/Accepted/.test(decided), `accepting: "${decided}"`);
    await rb.close();
    const own = problems.filter((p) => !/Failed to load resource/.test(p));
    assert(own.length === 0, `reviewer's page: ${own.join('; ')}`);
    // The public side shows the new level and cites the new source, with the organisation named.
    let profile = null;
    for (let i = 0; i < 50; i++) {
      profile = await apiJSON(`/api/v1/countries/${COUNTRY}`);
      if (profile.capabilities.find((c) => c.code === cap.code)?.level === 2) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const now = profile.capabilities.find((c) => c.code === cap.code);
    assert(profile.index.toFixed(1) === previewed.toFixed(1), `the reviewer's preview said ${previewed}, the published index is ${profile.index}`);
    assert(now?.level === 2, `${cap.code} is ${now?.level} on the public profile`);
    assert(now.sources.some((s) => s.title === title), `the profile does not cite "${title}"`);
    await page.goto(`${BASE}/?country=${COUNTRY}`);
    await waitForColouredMap(page);
    const capRow = page.locator(`#profile .caps tr[data-capability="${cap.code}"]`);
    await capRow.waitFor({ timeout: 20_000 });
    assert((await capRow.innerText()).includes(title), 'the profile page does not cite the new source on the capability');
    const ix = await apiJSON('/api/v1/index');
    const kenya = ix.countries.find((c) => c.iso3 === COUNTRY);
    assert(kenya.levels[cap.code] === 2, `/index (the map's data) has ${cap.code} at ${kenya.levels[cap.code]}`);
    await capRow.scrollIntoViewIfNeeded();
    const prov = await capRow.locator('.provenance').innerText();
    assert(prov.includes(orgA), `the profile does not name ${orgA}: "${prov}"`);
    await ctx.shot('published');
    const hist = await apiJSON(`/api/v1/countries/${COUNTRY}/history`);
    const mine = hist.assessments.find((a) => a.capability === cap.code && a.provenance === 'report');
    assert(mine, 'history has no row with provenance "report"');
    assert(!('organisation' in mine) || mine.organisation === orgA || mine.organisation?.name === orgA, `organisation on the row: ${JSON.stringify(mine.organisation)}`);
    // The report's site is on the public map, its popup saying where it came from (a fresh
    // context: the site list is cached for five minutes).
    const sites = await apiJSON(`/api/v1/sites?country=${COUNTRY}`);
    const site = sites.features.find((f) => f.properties.name === `Nairobi camera network (e2e ${RUN})`);
    assert(site, 'the accepted site is not in /api/v1/sites');
    assert(site.properties.provenance === 'report' && site.properties.report_id === id && site.properties.organisation === orgA,
      `the site's provenance: ${JSON.stringify(site.properties)}`);
    const [slon, slat] = site.geometry.coordinates;
    const { context: mc, page: mpage } = await newPage(context.browser(), BASE);
    await mpage.goto(`${BASE}/?sites=1&map=14/${slat}/${slon}`);
    await waitForColouredMap(mpage);
    await mpage.waitForFunction((sid) => window.__tracker.map.queryRenderedFeatures({ layers: ['sites-circle'] })
      .some((f) => String(f.properties?.id) === String(sid)), site.id, { timeout: 20_000 });
    const spt = await mpage.evaluate((sid) => {
      const m = window.__tracker.map;
      const f = m.queryRenderedFeatures({ layers: ['sites-circle'] }).find((g) => String(g.properties?.id) === String(sid));
      const p = m.project(f.geometry.coordinates);
      const r = m.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    }, site.id);
    await mpage.mouse.click(spt.x, spt.y);
    const popup = mpage.locator('.maplibregl-popup .site-popup');
    await popup.waitFor({ timeout: 5000 });
    const ptext = await popup.innerText();
    assert(ptext.includes(`#${id}`) && ptext.includes(orgA) && ptext.includes(`seen by the e2e test ${RUN}`), `the site popup: "${ptext}"`);
    await mpage.screenshot({ path: ctx.path('site-popup-provenance') });
    await mc.close();
    ctx.note = `report ${id}: ${cap.code} → 2`;
  }, { allowConsoleErrors: /Failed to load resource/ });

  test('portal: a server refusal (422) is shown on its field and keeps what was typed', async ({ page, ctx }) => {
    const { partnerA } = users();
    await login(page, partnerA, '#/reports/new');
    const cap = await freeCapability();
    // The tab's unsaved copy cites a source by an id that does not exist (say, from a stale note):
    // only the server knows. The form restores the copy and lets the server decide.
    await page.evaluate(([capability, run]) => {
      sessionStorage.setItem('tracker.portal.draft.new', JSON.stringify({ version: null, saved_at: 'earlier', input: {
        country: 'KEN', period: { from: '2020-01-01', to: '2024-12-31' }, narrative: `Narrative typed by the e2e test ${run}`,
        assessments: [{ capability, level: 1, valid_from: '2021-03-01', valid_to: null, confidence: 'M', summary: 'From a stale note.', sources: [{ id: 999999999 }] }],
        sites: [], constraints: [] } }));
    }, [cap.code, RUN]);
    await page.reload();
    await page.locator('#f-assessments-0-capability').waitFor();
    assert(/Restored what you typed/.test(await page.locator('#portal-main').innerText()), 'no word about the restored copy');
    await page.locator('#save-draft').click();
    await page.locator('#save-status .notice-error').waitFor();
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'));
    assert(focused === 'true', 'the focus is not on an invalid field');
    const reason = await errorOn(page, 'f-assessments-0-sources-0-id');
    assert(/no such source/.test(reason), `reason: "${reason}"`);
    assert((await page.locator('#error-summary').innerText()).includes('no such source'), 'the summary lacks the error');
    const narrative = await page.locator('#f-narrative').inputValue();
    assert(narrative.includes(RUN), `narrative lost: "${narrative}"`);
    assert(await page.locator('#f-assessments-0-capability').inputValue() === cap.code, 'capability lost');
    await ctx.shot('server-error');
  }, { allowConsoleErrors: /Failed to load resource.*(401|422|404)/ });

  test('portal: a site clicked outside the country is refused with the reason', async ({ page }) => {
    const { partnerA } = users();
    await login(page, partnerA);
    await startReport(page);
    await page.locator('#add-sites').click();
    const pt = await onSiteMap(page, 41.5, -3.5); // the Indian Ocean, off Kenya's coast
    await page.mouse.click(pt.x, pt.y);
    await page.locator('#site-map-refusal').waitFor({ state: 'visible' });
    const text = await page.locator('#site-map-refusal').innerText();
    assert(/outside Kenya/.test(text), `refusal: "${text}"`);
    assert(await page.locator('#f-sites-0-lon').inputValue() === '', 'the point was placed anyway');
    // Typed coordinates outside are refused on the field too.
    await page.locator('#f-sites-0-lon').fill('20');
    await page.locator('#f-sites-0-lat').fill('10');
    await page.locator('#f-sites-0-lat').blur();
    assert(/outside KEN/.test(await errorOn(page, 'f-sites-0-lon')), 'typed point outside not refused');
  });

  test('portal: an expired session brings the login back and keeps the work', async ({ page, context, ctx }) => {
    const { partnerA } = users();
    await login(page, partnerA);
    await startReport(page);
    await page.locator('#f-narrative').fill(`Typed before the session ended ${RUN}`);
    await context.clearCookies(); // the session is gone, as after its expiry
    await page.locator('#save-draft').click();
    await page.locator('#login-form').waitFor();
    assert(/session has ended/i.test(await page.locator('#portal-main').innerText()), 'no word about the ended session');
    await ctx.shot('login-again');
    await page.locator('#login-email').fill(partnerA.email);
    await page.locator('#login-password').fill(PASSWORD);
    await page.locator('#login-form button[type=submit]').click();
    await page.locator('#f-narrative').waitFor();
    assert((await page.locator('#f-narrative').inputValue()) === `Typed before the session ended ${RUN}`, 'the narrative was lost');
    await page.locator('#save-draft').click();
    await page.locator('#save-status .notice-ok').waitFor();
    const id = Number((await page.evaluate(() => location.hash)).split('/').pop());
    const saved = await page.evaluate((i) => fetch(`/api/v1/reports/${i}`).then((r) => r.json()), id);
    assert(saved.narrative === `Typed before the session ended ${RUN}`, `saved narrative "${saved.narrative}"`);
    const left = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('tracker.portal.draft')).length);
    assert(left === 0, `${left} unsaved copies left after the save`);
  }, { allowConsoleErrors: /Failed to load resource.*401/ });

  test('portal: a decision after someone else decided first shows the 412 with a reload', async ({ page, context, ctx }) => {
    const { reviewerB, reviewerB2 } = users();
    const r = await submittedReport(`E2E 412 ${RUN}`);
    await login(page, reviewerB, `#/review/${r.id}`);
    await page.locator('#decide-reject').waitFor();
    const other = await session(reviewerB2);
    const first = await other('POST', `/api/v1/reports/${r.id}/reject`, { comment: 'first' }, { 'If-Match': `"${r.version}"` });
    assert(first.status === 200, `the other reviewer's decision: ${first.status}`);
    await page.locator('#decide-accept').click();
    await page.locator('#decision-status .notice-error').waitFor();
    const text = await page.locator('#decision-status').innerText();
    assert(/Someone else decided first/.test(text), `message: "${text}"`);
    await ctx.shot('412');
    await page.locator('#reload-review').click();
    await page.locator('.report-meta .status-rejected').waitFor();
    assert((await page.locator('#decide-accept').count()) === 0, 'decision buttons still offered on a decided report');
    void context;
  }, { allowConsoleErrors: /Failed to load resource.*(401|412)/ });

  test('portal: an accept refused at decision time (a site name that exists already) is shown on the site', async ({ page, ctx }) => {
    const { partnerA, reviewerB } = users();
    const site = `E2E camera network ${RUN}`;
    const withSite = async (title) => {
      const as = await session(partnerA);
      const body = reportBody((await freeCapability()).code, title);
      body.sites = [{ name: site, capability: 'surveillance.cctv_network', status: 'active', lon: 36.82, lat: -1.29, vendor: 'E2E Vendor', vendor_country: null,
        valid_from: '2021-01-01', valid_to: null, confidence: 'M', summary: '', sources: [{ url: `https://example.org/e2e/${RUN}/site/${encodeURIComponent(title)}`, title: `${title} (site)`, publisher: 'E2E Publisher', published: '2021-02-01' }] }];
      const created = await as('POST', '/api/v1/reports', body);
      assert(created.status === 201, `create: ${created.status} ${JSON.stringify(created.body)}`);
      const sub = await as('POST', `/api/v1/reports/${created.body.id}/submit`, {}, { 'If-Match': created.etag });
      assert(sub.status === 200, `submit: ${sub.status} ${JSON.stringify(sub.body)}`);
      return sub.body;
    };
    const first = await withSite(`E2E site first ${RUN}`);
    const reviewer = await session(reviewerB);
    const accepted = await reviewer('POST', `/api/v1/reports/${first.id}/accept`, {}, { 'If-Match': `"${first.version}"` });
    assert(accepted.status === 200, `accept of the first report: ${accepted.status} ${JSON.stringify(accepted.body)}`);
    const second = await withSite(`E2E site second ${RUN}`);
    await login(page, reviewerB, `#/review/${second.id}`);
    await page.locator('#decide-accept').click();
    await page.locator('#decision-status .notice-error').waitFor();
    const err = page.locator('section[data-pointer="/sites/0"] .item-error');
    await err.waitFor();
    assert(/already exists/.test(await err.innerText()), `the site's error: "${await err.innerText()}"`);
    assert((await page.locator('section[data-pointer^="/assessments/"] .item-error').count()) === 0, 'the assessment is marked too');
    const focused = await page.evaluate(() => document.activeElement?.dataset?.pointer);
    assert(focused === '/sites/0', `the focus is on ${focused}, not on the site`);
    const still = await reviewer('GET', `/api/v1/reports/${second.id}`);
    assert(still.body.status === 'submitted', `the refused report is ${still.body.status}`);
    await ctx.shot('accept-422-on-site');
  }, { allowConsoleErrors: /Failed to load resource.*(401|422)/ });

  test('portal: an accepted report of an unnamed organisation shows on the profile without its name', async ({ page }) => {
    const { partnerC, reviewerB, orgC } = users();
    const title = `E2E unnamed ${RUN}`;
    const r = await submittedReport(title, partnerC);
    const code = r.assessments[0].capability;
    await login(page, reviewerB, `#/review/${r.id}`);
    await page.locator('#decide-accept').click();
    await page.locator('#decision-status .notice-ok').waitFor();
    await page.goto(`${BASE}/?country=${COUNTRY}`);
    const row = page.locator(`#profile .caps tr[data-capability="${code}"]`);
    await row.locator('.provenance').waitFor({ timeout: 20_000 });
    const text = await row.innerText();
    assert(text.includes(title), 'the new source is not cited');
    assert(/stays unnamed/.test(text) && !text.includes(orgC), `provenance: "${text}"`);
  });

  test('portal: a partner withdraws a submitted report back to draft and edits it', async ({ page }) => {
    const { partnerA } = users();
    const r = await submittedReport(`E2E withdraw ${RUN}`);
    await login(page, partnerA, `#/reports/${r.id}`);
    await page.locator('.report-meta .status-submitted').waitFor();
    assert((await page.locator('#f-narrative').count()) === 0, 'a submitted report is editable');
    await page.locator('#withdraw-report').click();
    await page.locator('#f-narrative').waitFor();
    await page.locator('#f-narrative').fill(`Withdrawn and edited ${RUN}`);
    await page.locator('#save-draft').click();
    await page.locator('#save-status .notice-ok').waitFor();
    const saved = await page.evaluate((i) => fetch(`/api/v1/reports/${i}`).then((x) => x.json()), r.id);
    assert(saved.status === 'draft' && saved.narrative === `Withdrawn and edited ${RUN}`, `report ${saved.status}: "${saved.narrative}"`);
  });

  test('portal: a reviewer cannot decide on their own organisation’s report', async ({ page }) => {
    const { reviewerA } = users();
    const r = await submittedReport(`E2E own ${RUN}`);
    await login(page, reviewerA, `#/review/${r.id}`);
    await page.locator('.notice-info', { hasText: 'your own organisation' }).waitFor();
    assert((await page.locator('#decide-accept').count()) === 0, 'accept offered to a reviewer of the same organisation');
    await go(page, '#/review');
    assert((await page.locator(`#queue-list tr[data-report="${r.id}"]`).count()) === 0, 'own report in the queue');
    const as = await session(reviewerA);
    const tried = await as('POST', `/api/v1/reports/${r.id}/accept`, {}, { 'If-Match': `"${r.version}"` });
    assert(tried.status === 403, `the server let reviewer A decide: ${tried.status}`);
  });

  test('portal: a CSV with one bad row lists its row and column and imports nothing', async ({ page, ctx }) => {
    const { partnerA } = users();
    await login(page, partnerA);
    await startReport(page);
    await page.locator('#save-draft').click();
    await page.locator('#save-status .notice-ok').waitFor();
    const id = Number((await page.evaluate(() => location.hash)).split('/').pop());
    await page.locator('#csv-file').waitFor();
    const template = await page.evaluate(() => fetch('/api/v1/reports/template.csv').then((r) => r.text()));
    const header = template.split(/\r?\n/)[0].split(',');
    const row = (vals) => header.map((c) => vals[c] ?? '').join(',');
    const good = { kind: 'assessment', capability: 'sanctions.blacklist', level: '1', valid_from: '2021-03-01', confidence: 'M', summary: 'ok', source_url: 'https://example.org/csv', source_title: 'CSV source', source_publisher: 'P', source_published: '2021-01-01' };
    const csv = [header.join(','), row(good), row({ ...good, level: '9' })].join('\n') + '\n';
    await page.locator('#csv-file').setInputFiles({ name: 'report.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('#csv-upload').click();
    await page.locator('#csv-errors').waitFor();
    const cells = await page.locator('#csv-errors tbody tr').first().locator('td').allInnerTexts();
    assert(cells[0] === '3' && cells[1] === 'level', `listed ${JSON.stringify(cells)}`);
    const saved = await page.evaluate((i) => fetch(`/api/v1/reports/${i}`).then((r) => r.json()), id);
    assert(saved.assessments.length === 0, `${saved.assessments.length} assessments imported`);
    await ctx.shot('csv-errors');
  }, { allowConsoleErrors: /Failed to load resource.*(401|422)/ });

  test('portal: keyboard only: log in, start a report, a live error is announced and focusable', async ({ page }) => {
    const { partnerA } = users();
    await page.goto(`${BASE}/portal`);
    await page.locator('#login-form').waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'login-email');
    await page.keyboard.type(partnerA.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.locator('#whoami-text').waitFor();
    await ready(page);
    await page.locator('#new-report').focus();
    await page.keyboard.press('Enter');
    await page.locator('#f-country').waitFor();
    await page.locator('#f-period-from').focus();
    await page.keyboard.type('01012030'); // a date in the future, typed into the date field
    await page.keyboard.press('Tab');
    const reason = await errorOn(page, 'f-period-from');
    assert(/in the future/.test(reason), `reason "${reason}"`);
    const describedBy = await page.locator('#f-period-from').getAttribute('aria-describedby');
    assert(describedBy.includes('f-period-from-err'), 'the error is not tied to its field for screen readers');
    await page.locator('#submit-report').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
    const live = await page.locator('#portal-announce').getAttribute('aria-live');
    assert(live === 'assertive', 'no live region for announcements');
    await page.waitForFunction(() => /Not submitted/.test(document.querySelector('#portal-announce')?.textContent ?? ''));
  });

  test('portal: phone width (360 px, narrower than the 375 px asked) has no horizontal overflow', async ({ page }) => {
    const { partnerA } = users();
    await submittedReport(`E2E phone ${RUN}`); // so that the list has a row to lay out
    await login(page, partnerA);
    await startReport(page);
    await page.locator('#add-assessments').click();
    await page.locator('#add-sites').click();
    await page.locator('#f-assessments-0-capability').selectOption('sanctions.blacklist');
    await page.waitForFunction(() => window.__portalMap?.loaded?.(), null, { timeout: 20_000 });
    await page.locator('#save-draft').click(); // refused (incomplete items) or saved: either way the layout must hold
    await page.locator('#save-status .notice').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 360, `the form is ${width}px wide`);
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('#portal-main input, #portal-main select, #portal-main textarea')]
      .filter((el) => el.type !== 'hidden' && el.labels.length === 0 && !el.getAttribute('aria-label')).map((el) => el.id || el.outerHTML.slice(0, 60)));
    assert(unlabelled.length === 0, `controls without a label: ${unlabelled.join(', ')}`);
    await go(page, '#/reports');
    await page.locator('#report-list tr[data-report]').first().waitFor();
    const w2 = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(w2 <= 360, `my reports are ${w2}px wide`);
  }, { viewport: { width: 360, height: 740 }, allowConsoleErrors: /Failed to load resource.*(401|422)/ });

  test('portal: the admin creates an organisation and a user who can then log in; the audit log, filtered by the server, lists it', async ({ page, context, ctx }) => {
    const { admin } = users();
    await login(page, admin, '#/admin/organisations');
    const org = `E2E Org via UI ${RUN}`;
    await page.locator('#org-name').fill(org);
    await page.locator('#org-form button[type=submit]').click();
    await page.locator('#org-table tr', { hasText: org }).waitFor();
    await go(page, '#/admin/users');
    const email = `ui-partner-${RUN}@e2e.example.org`;
    await page.locator('#user-email').fill(email);
    await page.locator('#user-name').fill('UI Partner');
    await page.locator('#user-role').selectOption('partner');
    await page.locator('#user-organisation_id').selectOption({ label: org });
    await page.locator('#user-password').fill('short');
    await page.locator('#user-form button[type=submit]').click();
    const refused = page.locator('#user-password-err');
    await refused.waitFor({ state: 'visible' });
    assert((await refused.innerText()).length > 0, 'a short password is not refused on its field');
    await page.locator('#user-password').fill(PASSWORD);
    await page.locator('#user-form button[type=submit]').click();
    await page.locator(`#user-table tr[data-user="${email}"]`).waitFor();
    await go(page, '#/admin/audit');
    await page.locator('#audit-table tbody tr').first().waitFor();
    // The filter goes to the server: the list is what it answers for the filter.
    await page.locator('#audit-action').selectOption('user.create');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/admin/audit?') && new URL(r.url()).searchParams.get('action') === 'user.create'),
      page.locator('#audit-form button[type=submit]').click(),
    ]);
    assert(answer.ok(), `filtered audit request: HTTP ${answer.status()}`);
    const served = (await answer.json()).items.map((e) => String(e.id));
    await page.waitForFunction((n) => document.querySelectorAll('#audit-table tbody tr').length === n
      && [...document.querySelectorAll('#audit-table tbody tr')].every((tr) => tr.cells[2].textContent === 'user.create'), served.length);
    const shown = await page.locator('#audit-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.audit));
    assert(JSON.stringify(shown) === JSON.stringify(served), `rows ${shown} are not the server's answer ${served}`);
    const rows = await page.locator('#audit-table tbody tr').allInnerTexts();
    assert(rows.some((r) => r.includes(email) && r.includes('user.create')), 'the audit log does not list the new user');
    assert((await page.evaluate(() => location.hash)).includes('action=user.create'), 'the filter is not kept in the address');
    // With a page of one entry, "Older entries" follows the server's next link with the same filter.
    const as = await session(admin);
    const logins = (await as('GET', '/api/v1/admin/audit?action=login&limit=3')).body.items.map((e) => String(e.id));
    assert(logins.length >= 2, `only ${logins.length} logins in the log`);
    await go(page, '#/admin/audit?action=login&limit=1');
    await page.waitForFunction(() => document.querySelectorAll('#audit-table tbody tr').length === 1);
    await page.locator('#audit-more').click();
    await page.waitForFunction(() => document.querySelectorAll('#audit-table tbody tr').length === 2);
    const paged = await page.locator('#audit-table tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.dataset.audit, tr.cells[2].textContent]));
    assert(JSON.stringify(paged.map((p) => p[0])) === JSON.stringify(logins.slice(0, 2)) && paged.every((p) => p[1] === 'login'),
      `paged rows ${JSON.stringify(paged)}, want the logins ${logins.slice(0, 2)}`);
    // A bad value is refused by the server on its field.
    await page.locator('#audit-since').fill('2026-03-02');
    await page.locator('#audit-until').fill('2026-03-01');
    await page.locator('#audit-form button[type=submit]').click();
    await page.locator('#audit-until-err').waitFor({ state: 'visible' });
    assert(!(await page.locator('#audit-more').isVisible()), '"Older entries" is offered after a refused filter');
    assert((await page.locator('#audit-table tbody tr').count()) === 0, 'rows of the previous filter are still listed');
    await ctx.shot('admin-audit-filtered');
    const { page: p2, context: c2 } = await newPage(context.browser(), BASE);
    await login(p2, { email }, '');
    assert((await p2.locator('#whoami-text').innerText()).includes(org), 'the new user is not shown with the new organisation');
    await c2.close();
  }, { allowConsoleErrors: /Failed to load resource.*(400|401|422)/ });

  test('portal: the admin creates a key and sees its token once', async ({ page, ctx }) => {
    const { admin, orgA } = users();
    page.on('dialog', (d) => void d.accept());
    await login(page, admin, '#/admin/keys');
    await page.locator('#key-form').waitFor();
    const name = `e2e key ${RUN}`;
    await page.locator('#key-name').fill(name);
    await page.locator('#key-organisation_id').selectOption({ label: orgA });
    await page.locator('#key-role').selectOption('partner');
    await page.locator('#key-form button[type=submit]').click();
    await page.locator('#new-token').waitFor();
    const token = (await page.locator('#new-token').innerText()).trim();
    assert(token.length >= 20, `token "${token}"`);
    await ctx.shot('token-once');
    const me = await fetch(`${BASE}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    assert(me.status === 200, `the new key's token gets ${me.status} from /me`);
    await page.reload();
    await page.locator('#key-table').waitFor();
    const row = page.locator('#key-table tr', { hasText: name });
    await row.waitFor();
    assert(!(await page.locator('body').innerText()).includes(token), 'the token is shown again');
    await row.getByRole('button', { name: /Revoke/ }).click();
    await page.locator('#key-table tr', { hasText: name }).filter({ hasText: 'revoked' }).waitFor();
    const after = await fetch(`${BASE}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    assert(after.status === 401, `a revoked key gets ${after.status}`);
  }, { allowConsoleErrors: /Failed to load resource.*401/ });
}
