// The map view around the lazily loaded map module: loading, status and
// error overlay, tooltip, sites, and the "first coloured map" mark.

import { api, describeError, type SiteCollection } from './api';
import { app, bands, commit, endYear, hook } from './app';
import { modeLabel } from './colours';
import { byId, h } from './dom';
import type { MapController } from './map';
import { sitesAt } from './sites';
import { asOfForYear, type MapView } from './state';
import type { IndexRow } from './types';

let ctl: MapController | null = null;
let sites: SiteCollection | null = null;
let code: Promise<typeof import('./map')> | null = null;
let loading: Promise<void> | null = null;
let firstColourPending = true;

hook.fillLayers = () => ctl?.fillLayers() ?? [];
hook.idle = () => ctl?.idle() ?? Promise.resolve();

const mapModule = () => (code ??= import('./map'));

/** Starts downloading the map code (call with the first paint); the geometry comes as tiles once the map exists. */
export function prefetchMap(): void {
  void mapModule();
}

export function mapController(): MapController | null {
  return ctl;
}

/** A button under a status message: a bare function is "Try again". */
export type StatusAction = (() => void) | { label: string; run: () => void };

/** Shows a spinner with a message, an error with an optional action (retry), or nothing (null). */
export function showMapStatus(message: string | null, error = false, action?: StatusAction): void {
  const el = byId('map-status');
  el.hidden = message === null;
  if (message === null) return;
  el.classList.toggle('is-error', error);
  el.setAttribute('role', error ? 'alert' : 'status');
  const act = typeof action === 'function' ? { label: 'Try again', run: action } : action;
  const button = act ? h('button', { type: 'button' }, act.label) : null;
  if (button && act) button.addEventListener('click', act.run);
  el.replaceChildren(...(error ? [] : [h('div', { class: 'spinner', 'aria-hidden': 'true' })]), h('p', {}, message), ...(button ? [button] : []));
}

/** Creates the map once (idempotent); `onSelect` receives clicked countries. */
export function ensureMap(onSelect: (iso3: string) => void): Promise<void> {
  loading ??= (async () => {
    try {
      const mod = await mapModule();
      performance.mark('map-code-loaded');
      ctl = await mod.createMap(byId('map'), app.state.map, {
        onHover: showTooltip,
        onClick: onSelect,
        onMove: (view: MapView) => commit({ map: view }),
        capabilityName: (code) => app.taxonomy?.capabilities.find((c) => c.code === code)?.name ?? code,
      });
      hook.map = ctl.map;
      performance.mark('map-style-loaded');
      ctl.setSelected(app.state.country);
      if (app.index) paintMap();
    } catch (e) {
      loading = null;
      showMapStatus(`The map could not be drawn: ${describeError(e)}`, true, () => void ensureMap(onSelect));
    }
  })();
  return loading;
}

/** Applies the current colour classes and sites; the first time, records the first coloured map. */
export function paintMap(): void {
  if (!ctl) return;
  ctl.setClasses(app.classes, app.thin);
  updateSites();
  updateFlows();
  if (firstColourPending) {
    firstColourPending = false;
    void ctl.idle().then(() => {
      showMapStatus(null);
      hook.firstColouredAt = performance.now();
      performance.mark('first-coloured-map');
    });
  } else showMapStatus(null);
}

/** Shows the sites existing at the current date when the layer is on. */
export function updateSites(): void {
  if (!ctl) return;
  if (!app.state.sites) {
    ctl.setSites(null);
    return;
  }
  if (sites) {
    ctl.setSites(sitesAt(sites, asOfForYear(app.state.year, endYear())));
    return;
  }
  api.sites().then(
    (fc) => {
      sites = fc;
      updateSites();
    },
    (e) => showMapStatus(`Could not load sites: ${describeError(e)}`, true),
  );
}

let flows: Promise<typeof import('./arcs')> | null = null;

/** Shows or hides the vendor-flows arcs (their code loads the first time they are shown). */
export function updateFlows(): void {
  const map = ctl;
  if (!map || (!app.state.flows.on && !flows)) return;
  flows ??= import('./arcs');
  flows.then((m) => m.updateFlows(map)).catch((e) => {
    flows = null;
    showMapStatus(`Could not show the vendor flows: ${describeError(e)}`, true, () => showMapStatus(null));
  });
}

function showTooltip(iso3: string | null, point: { x: number; y: number } | null): void {
  const tip = byId('tooltip');
  if (!iso3 || !point) {
    tip.hidden = true;
    return;
  }
  const row = app.rows.get(iso3);
  const lines = row?.assessed
    ? [`Index ${row.index?.toFixed(1) ?? '—'} · ${bands().find((b) => b.code === row.band)?.label ?? row.band}`, `Coverage ${Math.round(row.coverage * 100)}%`, modeValue(row),
        app.thin.has(iso3) ? 'Thin evidence: most of what this colour summarises is not yet assessed' : '']
    : ['Not assessed'];
  tip.replaceChildren(h('strong', {}, row?.name ?? iso3), ...lines.filter(Boolean).map((l) => h('div', {}, l)));
  tip.hidden = false;
  const host = byId('view-map').getBoundingClientRect();
  const x = Math.min(point.x + 14, host.width - tip.offsetWidth - 8);
  const y = Math.min(point.y + 14, host.height - tip.offsetHeight - 8);
  tip.style.transform = `translate(${Math.max(4, x)}px, ${Math.max(4, y)}px)`;
}

/** The value behind the colour when the map shows a pillar or a capability. */
function modeValue(row: IndexRow): string {
  const mode = app.state.mode;
  if (mode === 'index') return '';
  const name = modeLabel(mode, app.taxonomy);
  if (mode.includes('.')) {
    const level = row.levels?.[mode];
    return `${name}: ${level === undefined || level === null ? 'not assessed' : `level ${level}`}`;
  }
  const score = row.pillars?.[mode];
  const cov = app.coverage.get(row.iso3);
  if (score === undefined || score === null) return `${name}: not counted`;
  if (cov === 0) return `${name}: not assessed`;
  return `${name}: ${score.toFixed(1)}${cov === null || cov === undefined ? '' : ` (pillar coverage ${Math.round(cov * 100)}%)`}`;
}
