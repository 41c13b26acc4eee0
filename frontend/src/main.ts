// Entry point: wires the URL state to the views. The shell is plain HTML and
// paints at once; MapLibre and Chart.js arrive as lazy chunks.

import './styles.css';
import { ApiError, api, describeError, exportUrl, isReferenceGap } from './api';
import { app, bands, commit, countryName, endYear, hook, params, setState } from './app';
import { todayUTC } from './cite';
import { CompareView } from './compare';
import { firstRecordedDay } from './corrections';
import { CountryList } from './countrylist';
import { byId, h } from './dom';
import { paintClasses, type CoverageContext } from './evidence';
import { renderLegend } from './legend';
import { ensureMap, mapController, paintMap, prefetchMap, showMapStatus, updateSites } from './mapview';
import { downloadChart, downloadMap, openShare } from './outputs';
import { RecordedControl } from './recorded';
import { ProfilePanel } from './profile';
import { byIso, firstAssessedYear, yearsBetween } from './shape';
import { DEFAULT_REFERENCE, MAX_COMPARE, clampRecorded, decodeState, encodeWeights, sanitizeState, type AppState, type Dropped, type PillarCodes, type View } from './state';
import { TableView } from './table';
import { TimeBar } from './timebar';
import { WeightsPanel } from './weights';

let returnFocus: HTMLElement | null = null;
let indexSeq = 0;

// ---- views -----------------------------------------------------------------

const profile = new ProfilePanel(byId('profile'), {
  params,
  recorded: () => app.state.recorded,
  capabilities: () => taxonomyLoaded.then(() => app.taxonomy?.capabilities ?? []),
  downloadChart,
  bands,
  years: () => ({ start: Number(byId<HTMLInputElement>('year-slider').min), end: endYear(), current: app.state.year ?? endYear() }),
  countryName,
  canCompare: (iso) => !app.state.compare.includes(iso) && app.state.compare.length < MAX_COMPARE,
  onClose: () => selectCountry(null),
  onCompare: (iso) => setCompare([...app.state.compare, iso]),
  onSelect: (iso) => selectCountry(iso),
  onZoom: (bbox) => {
    setView('map');
    void ensureMap(selectCountry).then(() => mapController()?.fitBbox(bbox));
  },
});

const table = new TableView(byId('view-table'), {
  onSort: (key, dir) => {
    commit({ sort: { key, dir } });
    renderTable();
  },
  onSelect: (iso) => selectCountry(iso),
});

const compare = new CompareView(byId('view-compare'), {
  params,
  bands,
  countries: () => [...app.rows.values()],
  countryName,
  onChange: (isos) => setCompare(isos),
  onSelect: (iso) => selectCountry(iso),
  downloadChart,
});

/** The Diffusion view, loaded on first use (its code and Chart.js stay out of the first paint). */
let diffusion: Promise<import('./diffusion').DiffusionView> | null = null;

function renderDiffusion(): void {
  diffusion ??= import('./diffusion').then((m) => new m.DiffusionView(byId('view-diffusion'), {
    taxonomy: () => taxonomyLoaded.then(() => app.taxonomy),
    countries: () => app.index?.countries ?? [],
    downloadChart,
    onSelect: (iso) => selectCountry(iso),
    onShowFlows: () => {
      commit({ flows: { ...app.state.flows, on: true } }, true);
      byId<HTMLInputElement>('flows-toggle').checked = true;
      setView('map');
      recolour();
    },
  }));
  diffusion.then((v) => v.render()).catch((e) => {
    diffusion = null;
    byId('view-diffusion').replaceChildren(h('div', { class: 'error', role: 'alert' }, `Could not load the diffusion view. ${describeError(e)}`));
  });
}

const list = new CountryList(byId<HTMLInputElement>('country-search'), byId('country-list'), byId('country-count'), (iso) => selectCountry(iso, true));

const weights = new WeightsPanel(byId('weights-panel'), { onChange: (w, reference) => changeWeights(w, reference) });

/** New weights or reference (from the panel, or "Reset view"): record them and reload. */
async function changeWeights(w: Record<string, number>, reference: string): Promise<void> {
  const newReference = reference !== app.state.reference;
  commit({ weights: w, reference });
  weights.sync(app.state.weights, app.state.reference);
  // A new reference may start later: know its first year before asking for an index.
  if (newReference && (await loadReferenceStart(reference))) return;
  void refreshTimeDependent();
}

/** "Reset view": back to the default weights and reference and to the tracker as it stands now, keeping the year and the rest. */
function resetView(): void {
  weights.showNotice(null);
  recordedControl.showNote(null);
  if (app.state.recorded !== null) {
    commit({ recorded: null });
    recordedControl.setValue(null);
  }
  void changeWeights({}, DEFAULT_REFERENCE);
}

const recordedControl = new RecordedControl(
  byId<HTMLInputElement>('recorded-as-of'), byId<HTMLButtonElement>('recorded-now'), byId('recorded-note'), byId('recorded-hint'),
  (value) => changeRecorded(value),
);

/** The server's today once /index has answered (its time_range ends today), the browser's UTC day until then. */
const serverToday = (): string => app.index?.time_range.max ?? todayUTC();

/** A new recorded date (the control, or null for now): keep it in range, record it and reload everything that depends on it. */
function changeRecorded(value: string | null): void {
  const { recorded, reason } = clampRecorded(value, firstRecorded, serverToday());
  recordedControl.setValue(recorded);
  recordedControl.showNote(reason);
  if (recorded === app.state.recorded) return;
  commit({ recorded }, true);
  // The reference's first year may differ as the tracker stood then.
  void loadReferenceStart(app.state.reference).then((moved) => moved || void refreshTimeDependent());
}

const timebar = new TimeBar(byId<HTMLInputElement>('year-slider'), byId<HTMLButtonElement>('play'), byId('year-label'), async (year) => {
  commit({ year });
  await refreshTimeDependent();
});

function renderTable(): void {
  if (app.state.view !== 'table') return;
  if (!app.index) {
    table.loading();
    return;
  }
  table.render({
    rows: app.index.countries,
    bands: bands(),
    sort: app.state.sort,
    asOf: app.index.as_of,
    referenceName: countryName(app.index.reference),
    csvIndex: exportUrl('index', params()),
    csvAssessments: exportUrl('assessments', params()),
  });
}

function renderMeta(): void {
  if (!app.index) return;
  const parts = [`Dataset ${app.index.dataset_version}`, `as of ${app.index.as_of}`];
  if (app.state.recorded) parts.push(`as recorded on ${app.state.recorded}`);
  parts.push(`reference: ${countryName(app.index.reference)}`);
  if (encodeWeights(app.state.weights)) parts.push('custom weights');
  byId('meta').textContent = parts.join(' · ');
}

/** What pillar coverage needs: the taxonomy, the weights and the reference's levels at the date shown (null until known). */
function coverageContext(): CoverageContext | null {
  const pillars = pillarCodes();
  const ref = app.index ? app.rows.get(app.index.reference) : undefined;
  return pillars && ref ? { pillars, weights: app.state.weights, referenceLevels: ref.levels ?? {} } : null;
}

/** Recomputes colour classes and thin-evidence marks for the current mode and repaints map, list and legend. */
function recolour(): void {
  if (!app.index) return;
  const painted = paintClasses(app.index.countries, app.state.mode, bands(), coverageContext());
  app.classes = painted.classes;
  app.thin = painted.thin;
  app.coverage = painted.coverage;
  paintMap();
  list.update(app.index.countries, app.classes, app.thin, app.state.country);
  renderLegend(byId('legend'), {
    mode: app.state.mode, bands: bands(), taxonomy: app.taxonomy, asOf: app.index.as_of, recorded: app.state.recorded, sites: app.state.sites,
    flows: app.state.flows.on,
  });
  byId<HTMLButtonElement>('map-png').disabled = false;
}

function setView(view: View, push = true): void {
  if (view !== app.state.view) commit({ view }, push);
  for (const v of ['map', 'table', 'compare', 'diffusion'] as View[]) byId(`view-${v}`).hidden = v !== view;
  document.querySelectorAll<HTMLButtonElement>('.view-nav button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.view === view)));
  if (view === 'map') void ensureMap(selectCountry).then(() => mapController()?.resize());
  if (view === 'table') renderTable();
  if (view === 'compare') void compare.render(app.state.compare);
  if (view === 'diffusion') renderDiffusion();
}

function selectCountry(iso3: string | null, focus = false): void {
  if (iso3 === app.state.country && iso3 !== null) {
    if (focus) byId('profile').focus();
    return;
  }
  if (iso3 && !profile.current) returnFocus = document.activeElement as HTMLElement | null;
  commit({ country: iso3 }, true);
  mapController()?.setSelected(iso3);
  if (iso3) void profile.show(iso3, focus);
  else {
    profile.hide();
    if (returnFocus?.isConnected) returnFocus.focus();
    returnFocus = null;
  }
  if (app.index) list.update(app.index.countries, app.classes, app.thin, app.state.country);
}

function setCompare(isos: string[]): void {
  commit({ compare: [...new Set(isos)].slice(0, MAX_COMPARE) }, true);
  if (app.state.view !== 'compare') setView('compare');
  else void compare.render(app.state.compare);
}

// ---- data ------------------------------------------------------------------

/** Loads /index for the current parameters and recolours everything that shows it. */
async function loadIndex(): Promise<boolean> {
  const seq = ++indexSeq;
  try {
    const resp = await api.index(params());
    if (seq !== indexSeq) return false;
    const first = app.index === null;
    app.index = resp;
    app.rows = byIso(resp.countries);
    if (applyRange()) return false; // the year was moved into range; a new load is on its way
    if (first) weights.setCountries(resp.countries);
    if (first) recordedControl.setBounds(firstRecorded, serverToday());
    if (first && app.state.view === 'compare') void compare.render(app.state.compare); // names, not codes
    recolour();
    renderMeta();
    renderTable();
    return true;
  } catch (e) {
    if (seq === indexSeq) void showIndexError(e, seq);
    return false;
  }
}

async function showIndexError(e: unknown, seq: number): Promise<void> {
  if (isReferenceGap(e)) {
    // Before the reference's first assessment there is no index: move the year there when it is known.
    const known = referenceStart?.reference === app.state.reference && referenceStart.recorded === app.state.recorded;
    if (!known && knownReferences?.has(app.state.reference) !== false) {
      await loadReferenceStart(app.state.reference);
    }
    if (seq !== indexSeq) return; // loading the reference's first year started a new load
    if (clampToReference()) {
      showMapStatus(`No index for this date. ${e.detail} Moving to the first year with one…`);
      void refreshTimeDependent();
      return;
    }
  }
  if (e instanceof ApiError && e.status === 400) {
    // The API refused this view (weights, reference, date): retrying cannot help, resetting can.
    showRefused(e);
    return;
  }
  showMapStatus(`The tracker API did not answer: ${describeError(e)}`, true, () => void refreshTimeDependent());
  byId('meta').textContent = 'Data unavailable';
  if (app.state.view === 'table') {
    byId('view-table').replaceChildren(h('div', { class: 'error', role: 'alert' }, `Could not load the table. ${describeError(e)}`));
  }
}

/** A 400 from /index: the problem's detail and a "Reset view" button that clears weights and reference. */
function showRefused(e: ApiError): void {
  const ref = app.state.reference;
  const knownRef = app.rows.get(ref)?.assessed || knownReferences?.has(ref);
  const hint = isReferenceGap(e) && knownRef ? ' Move the slider to a later year or pick another reference.' : '';
  const message = `This view cannot be shown: ${e.detail || describeError(e)}${hint}`;
  showMapStatus(message, true, { label: 'Reset view', run: resetView });
  byId('meta').textContent = 'Data unavailable';
  if (app.state.view === 'table') {
    const button = h('button', { type: 'button' }, 'Reset view');
    button.addEventListener('click', resetView);
    byId('view-table').replaceChildren(h('div', { class: 'error', role: 'alert' }, h('p', {}, message), button));
  }
}

/** Year, weights or reference changed: recolour and refresh open panels. Resolves when the map has repainted. */
async function refreshTimeDependent(): Promise<void> {
  const t0 = performance.now();
  performance.mark('recolour-start');
  const ok = await loadIndex();
  const map = mapController();
  if (ok && map && app.state.view === 'map') {
    const applied = performance.now() - t0; // data in hand, feature states set
    await map.idle();
    performance.mark('recolour-end');
    performance.measure('recolour', 'recolour-start', 'recolour-end');
    hook.lastRecolour = { year: app.state.year, ms: performance.now() - t0, appliedMs: applied };
    hook.recolourCount++;
  }
  if (app.state.country) reloadProfile();
  if (app.state.view === 'compare') void compare.render(app.state.compare);
  if (app.state.view === 'diffusion') renderDiffusion();
}

let profileTimer: ReturnType<typeof setTimeout> | undefined;
function reloadProfile(): void {
  const iso = app.state.country;
  profile.updateFromIndex(iso ? app.rows.get(iso) : undefined);
  clearTimeout(profileTimer);
  profileTimer = setTimeout(() => iso && app.state.country === iso && void profile.show(iso), 250);
}

// ---- time range --------------------------------------------------------------

/**
 * First year the reference country has an assessment, as the tracker stood on
 * the recorded date shown (the index is undefined before it).
 */
let referenceStart: { reference: string; recorded: string | null; year: number | null } | null = null;
/** The first day the tracker recorded an assessment of the reference (the recorded control's lower bound). */
let firstRecorded: string | null = null;

const referenceStartYear = (): number | null =>
  referenceStart?.reference === app.state.reference && referenceStart.recorded === app.state.recorded ? referenceStart.year : null;

/**
 * Learns the reference's first year (as recorded on the date shown) and its
 * first recording day; returns true when that moved the year (and a reload started).
 */
async function loadReferenceStart(reference: string): Promise<boolean> {
  const recorded = app.state.recorded;
  let year: number | null = null;
  const [now, then] = await Promise.all([
    api.history(reference, null).catch(() => null),
    recorded ? api.history(reference, recorded).catch(() => null) : Promise.resolve(null),
  ]);
  if (now) year = firstAssessedYear((then ?? now).assessments); // unknown: fall back to the dataset's time range
  if (reference !== app.state.reference || recorded !== app.state.recorded) return false;
  if (now) {
    firstRecorded = firstRecordedDay(now.assessments);
    recordedControl.setBounds(firstRecorded, serverToday());
  }
  referenceStart = { reference, recorded, year };
  return applyRange();
}

/** Moves a recorded date from a link into the recorded range; true when it changed. */
function clampRecordedLink(): boolean {
  const { recorded, reason } = clampRecorded(app.state.recorded, firstRecorded, serverToday());
  recordedControl.setValue(recorded);
  if (recorded === app.state.recorded) return false;
  commit({ recorded });
  recordedControl.showNote(reason ? `From the link: ${reason}.` : null);
  return true;
}

/** Moves a year before the reference's first assessed year up to it; true when it moved. */
function clampToReference(): boolean {
  const first = referenceStartYear();
  if (first === null || app.state.year === null || app.state.year >= first) return false;
  commit({ year: first });
  timebar.setYear(first);
  return true;
}

/**
 * Sets the slider to the years with an index: from the later of the dataset's
 * first year and the reference's first assessed year, to the current year.
 * Returns true when the shown year was outside and has been moved (a reload follows).
 */
function applyRange(): boolean {
  if (!app.index) return false;
  const range = yearsBetween(app.index.time_range.min, app.index.time_range.max);
  const refYear = referenceStartYear();
  const start = Math.min(range.end, Math.max(range.start, refYear ?? range.start));
  timebar.setRange(start, range.end);
  const year = app.state.year;
  if (year !== null && year < start) {
    commit({ year: start });
    timebar.setYear(start);
    void refreshTimeDependent();
    return true;
  }
  timebar.setYear(year !== null && year < range.end ? year : null);
  return false;
}

// ---- checking a shared link ----------------------------------------------------

/** Countries that can be the reference (assessed today), once known. */
let knownReferences: ReadonlySet<string> | null = null;

const pillarCodes = (): PillarCodes[] | null =>
  app.taxonomy?.pillars.map((p) => ({
    code: p.code,
    capabilities: [...new Set([...p.capabilities, ...app.taxonomy!.capabilities.filter((c) => c.pillar === p.code).map((c) => c.code)])],
  })) ?? null;

/** The assessed countries, from today's index with the default parameters (the map's own first request when the link falls back to them). */
async function loadReferences(): Promise<ReadonlySet<string> | null> {
  try {
    const resp = await api.index({});
    knownReferences = new Set(resp.countries.filter((r) => r.assessed).map((r) => r.iso3));
  } catch {
    // unknown: the API's answer will tell
  }
  return knownReferences;
}

function describeDropped(d: Dropped): string {
  if (d.param === 'weights') return `weight ${d.value} (${d.reason})`;
  if (d.param === 'colour') return `colour ${d.value} (${d.reason})`;
  return `reference ${d.value} (${d.reason})`;
}

/** Drops what the API would refuse from the state, rewriting the URL (replaceState) when anything changed. */
function sanitize(s: AppState): Dropped[] {
  const { state, dropped } = sanitizeState(s, { pillars: pillarCodes(), references: knownReferences });
  if (!dropped.length) return dropped;
  commit({ weights: state.weights, reference: state.reference, mode: state.mode });
  weights.sync(app.state.weights, app.state.reference);
  byId<HTMLSelectElement>('mode-select').value = app.state.mode;
  return dropped;
}

/**
 * A link with weights or a reference is checked against the taxonomy and the
 * country list before any request depends on them, so a bad link gives the
 * default view instead of a refused request.
 */
async function checkLink(taxonomy: Promise<void>): Promise<void> {
  const s = app.state;
  const hasWeights = encodeWeights(s.weights) !== '';
  const hasReference = s.reference !== DEFAULT_REFERENCE;
  if (!hasWeights && !hasReference) return;
  await Promise.all([hasWeights ? taxonomy : null, hasReference ? loadReferences() : null]);
  const dropped = sanitize(app.state);
  if (dropped.length) weights.showNotice(`Ignored from the link: ${dropped.map(describeDropped).join('; ')}.`);
}

// ---- taxonomy, controls, URL -------------------------------------------------

/** The taxonomy, loaded once at start (the profile waits for it: its definitions). */
let taxonomyLoaded: Promise<void> = Promise.resolve();

async function loadTaxonomy(): Promise<void> {
  try {
    const [p, c] = await Promise.all([api.pillars(), api.capabilities()]);
    app.taxonomy = { pillars: p.pillars, capabilities: c.capabilities };
  } catch {
    return; // the map still works with the overall index
  }
  const tax = app.taxonomy;
  const select = byId<HTMLSelectElement>('mode-select');
  select.replaceChildren(
    h('option', { value: 'index' }, 'Resemblance index'),
    h('optgroup', { label: 'Pillar score' }, ...tax.pillars.map((p) => h('option', { value: p.code }, p.name))),
    ...tax.pillars.map((p) =>
      h('optgroup', { label: `Capability level: ${p.name}` },
        ...tax.capabilities.filter((c) => c.pillar === p.code).map((c) => h('option', { value: c.code }, c.name)))),
  );
  select.value = app.state.mode;
  if (select.value !== app.state.mode) commit({ mode: 'index' });
  weights.build(tax.pillars);
  weights.sync(app.state.weights, app.state.reference);
  if (app.index) weights.setCountries(app.index.countries);
  recolour();
}

function disclosure(button: HTMLElement, panel: HTMLElement, useHidden: boolean): void {
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    if (useHidden) panel.hidden = !open;
    panel.classList.toggle('open', open);
  });
}

function bindControls(): void {
  document.querySelectorAll<HTMLButtonElement>('.view-nav button').forEach((b) =>
    b.addEventListener('click', () => setView(b.dataset.view as View)));
  byId<HTMLSelectElement>('mode-select').addEventListener('change', (e) => {
    commit({ mode: (e.target as HTMLSelectElement).value });
    recolour();
  });
  const sitesBox = byId<HTMLInputElement>('sites-toggle');
  sitesBox.checked = app.state.sites;
  sitesBox.addEventListener('change', () => {
    commit({ sites: sitesBox.checked });
    updateSites();
    recolour();
  });
  const flowsBox = byId<HTMLInputElement>('flows-toggle');
  flowsBox.checked = app.state.flows.on;
  flowsBox.addEventListener('change', () => {
    commit({ flows: { ...app.state.flows, on: flowsBox.checked } });
    recolour(); // repaints the map: the arcs and the legend
  });
  disclosure(byId('weights-toggle'), byId('weights-panel'), true);
  disclosure(byId('sidebar-toggle'), byId('sidebar-panel'), false);
  if (encodeWeights(app.state.weights) || app.state.reference !== DEFAULT_REFERENCE) byId('weights-toggle').click();
  recordedControl.setValue(app.state.recorded);
  const share = byId<HTMLButtonElement>('share-open');
  share.addEventListener('click', () => void openShare(share));
  byId('map-png').addEventListener('click', () => void downloadMap());
  window.addEventListener('popstate', () => applyUrl());
}

/** Re-applies the whole state from the URL (back/forward). */
function applyUrl(): void {
  const prev = app.state;
  setState(decodeState(location.search));
  sanitize(app.state);
  const s = app.state;
  byId<HTMLInputElement>('sites-toggle').checked = s.sites;
  byId<HTMLInputElement>('flows-toggle').checked = s.flows.on;
  byId<HTMLSelectElement>('mode-select').value = s.mode;
  weights.sync(s.weights, s.reference);
  recordedControl.setValue(s.recorded);
  recordedControl.showNote(null);
  setView(s.view, false);
  if (s.country) void profile.show(s.country);
  else profile.hide();
  const map = mapController();
  map?.setSelected(s.country);
  if (s.map && map && prev.map !== s.map) map.map.jumpTo({ center: [s.map.lon, s.map.lat], zoom: s.map.zoom });
  if (prev.year !== s.year || encodeWeights(prev.weights) !== encodeWeights(s.weights) || prev.reference !== s.reference || prev.recorded !== s.recorded) {
    if (prev.reference !== s.reference || prev.recorded !== s.recorded) void loadReferenceStart(s.reference).then((moved) => moved || void refreshTimeDependent());
    else void refreshTimeDependent();
  } else recolour();
}

async function boot(): Promise<void> {
  prefetchMap(); // start the map code download with the first paint (index.html preloads it too)
  taxonomyLoaded = loadTaxonomy();
  bindControls();
  timebar.setYear(app.state.year);
  await checkLink(taxonomyLoaded);
  const start = () => {
    void loadIndex();
    setView(app.state.view, false);
    if (app.state.country) void profile.show(app.state.country);
    if (app.state.view !== 'map') showMapStatus('Loading the map…');
  };
  if (app.state.year === null && app.state.recorded === null) {
    start();
    void loadReferenceStart(app.state.reference);
  } else {
    // A shared link with a year or a recorded date: first make sure the
    // tracker had recorded something by then and the reference existed then
    // (there is no index before it), so no request is sent that must fail.
    void loadReferenceStart(app.state.reference).then(async () => {
      if (clampRecordedLink()) await loadReferenceStart(app.state.reference);
      clampToReference();
      start();
    });
  }
}

void boot();
