// The vendor-flows layer of the map: arcs from vendor home countries to host
// countries, weighted by the number of sites, with a popup listing each
// flow's sites and their sources, and the layer's filters (vendor country,
// capability) in the sidebar. Loaded on first use, with the map already there.

import './arcs.css';
import { Popup, type GeoJSONSource, type MapLayerMouseEvent, type Map as MapLibreMap } from 'maplibre-gl';
import type { ExpressionSpecification } from '@maplibre/maplibre-gl-style-spec';
import { api, describeError, diffusionCsvUrl } from './api';
import { app, commit, endYear } from './app';
import { FLOW_OTHER as OTHER, SITE_CHN } from './colours';
import { byId, h } from './dom';
import { flowsParams } from './diffusionparams';
import { flowFeatures, flowSummary, flowTitle, vendorCountries } from './flows';
import type { MapController } from './map';
import { siteProvenance } from './sites';
import { sourceList } from './sources';
import type { Flow, FlowsResponse } from './types';

/** The arcs are thin; a wider invisible line under them takes their clicks and hovers. */
const LAYERS = ['flows-hit', 'flows-end'];

let shown: Flow[] = [];
let seq = 0;

const width: ExpressionSpecification = ['interpolate', ['linear'], ['get', 'sites'], 1, 1.6, 3, 3.5, 6, 6];

/** Pale where the arc leaves the vendor's country, full colour where it reaches the host. */
const gradient = (hex: string): ExpressionSpecification => {
  const n = parseInt(hex.slice(1), 16);
  const rgb = `${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}`;
  return ['interpolate', ['linear'], ['line-progress'], 0, `rgba(${rgb}, 0.25)`, 1, `rgba(${rgb}, 1)`];
};

/** Adds the sources and layers once, on top of everything (so the detailed shapes never cover them). */
function ensureLayers(ctl: MapController): void {
  const map = ctl.map;
  if (map.getSource('flows-arcs')) return;
  map.addSource('flows-arcs', { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, lineMetrics: true });
  map.addSource('flows-ends', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({ id: 'flows-hit', type: 'line', source: 'flows-arcs', paint: { 'line-width': 12, 'line-color': 'rgba(0, 0, 0, 0)' } });
  for (const [id, chn] of [['flows-arc-other', false], ['flows-arc-chn', true]] as const) {
    map.addLayer({
      id, type: 'line', source: 'flows-arcs', filter: ['==', ['get', 'chn'], chn],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-width': width, 'line-gradient': gradient(chn ? SITE_CHN : OTHER) },
    });
  }
  map.addLayer({
    id: 'flows-end', type: 'circle', source: 'flows-ends',
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['get', 'sites'], 1, 3.5, 6, 7],
      'circle-color': ['case', ['get', 'domestic'], '#ffffff', ['get', 'chn'], SITE_CHN, OTHER],
      'circle-stroke-color': ['case', ['get', 'domestic'], OTHER, '#ffffff'],
      'circle-stroke-width': ['case', ['get', 'domestic'], 2, 1.2],
    },
  });
  for (const id of LAYERS) {
    ctl.overlays.add(id);
    map.on('click', id, (e) => openPopup(map, e));
    map.on('mouseenter', id, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', id, () => (map.getCanvas().style.cursor = ''));
  }
}

const capabilityName = (code: string): string =>
  app.taxonomy?.capabilities.find((c) => c.code === code)?.name ?? app.taxonomy?.pillars.find((p) => p.code === code)?.name ?? code;

/** The popup of one flow: its sites, each with status, dates, vendor and sources. */
export function flowPopup(f: Flow): HTMLElement {
  return h('div', { class: 'site-popup flow-popup' },
    h('h3', {}, flowTitle(f)),
    h('p', { class: 'muted small' }, flowSummary(f)),
    h('ul', { class: 'flow-sites' }, ...f.site_list.map((s) => h('li', { 'data-site': s.id },
      h('strong', {}, s.name),
      h('div', { class: 'small' }, [capabilityName(s.capability), s.status.replace(/_/g, ' '), s.vendor, `${s.valid_from ?? '?'} – ${s.valid_to ?? 'today'}`].filter(Boolean).join(' · ')),
      siteProvenance(s) ? h('div', { class: 'small muted provenance', 'data-provenance': 'report' }, siteProvenance(s)) : null,
      sourceList(s.sources)))));
}

let popup: Popup | null = null;

function openPopup(map: MapLibreMap, e: MapLayerMouseEvent): void {
  if (map.queryRenderedFeatures(e.point, { layers: ['sites-circle'] }).length) return; // the site's own popup opens
  const click = e.originalEvent as MouseEvent & { flowHandled?: boolean };
  if (click.flowHandled) return; // one popup when an arc and an end overlap
  click.flowHandled = true;
  const f = shown[Number(e.features?.[0]?.properties?.i)];
  if (!f) return;
  popup?.remove();
  popup = new Popup({ maxWidth: '340px', focusAfterOpen: true }).setLngLat(e.lngLat).setDOMContent(flowPopup(f)).addTo(map);
}

/** The capability filter's options: every pillar, then its capabilities (once the taxonomy is known). */
function capabilityOptions(select: HTMLSelectElement): void {
  if (!app.taxonomy || select.options.length > 1) return;
  for (const p of app.taxonomy.pillars) {
    select.append(h('optgroup', { label: p.name }, h('option', { value: p.code }, `${p.name} (the whole pillar)`),
      ...app.taxonomy.capabilities.filter((c) => c.pillar === p.code).map((c) => h('option', { value: c.code }, c.name))));
  }
}

/** The sidebar's filters, built once. */
function ensureFilters(): { vendor: HTMLSelectElement; capability: HTMLSelectElement; status: HTMLElement; csv: HTMLAnchorElement } {
  const box = byId('flows-filters');
  if (!box.childElementCount) {
    const vendor = h('select', { id: 'flows-vendor' }, h('option', { value: '' }, 'Every vendor country'));
    const capability = h('select', { id: 'flows-capability' }, h('option', { value: '' }, 'Every capability'));
    vendor.addEventListener('change', () => {
      commit({ flows: { ...app.state.flows, vendor: vendor.value || null } });
      void refresh();
    });
    capability.addEventListener('change', () => {
      commit({ flows: { ...app.state.flows, capability: capability.value || null } });
      void refresh();
    });
    box.append(
      h('label', { for: 'flows-vendor' }, 'Vendor based in'), vendor,
      h('label', { for: 'flows-capability' }, 'Capability'), capability,
      h('p', { id: 'flows-status', class: 'muted small', role: 'status' }),
      h('a', { id: 'flows-csv', class: 'small', download: '' }, 'Download the flows (CSV)'));
  }
  const capability = byId<HTMLSelectElement>('flows-capability');
  capabilityOptions(capability);
  return { vendor: byId<HTMLSelectElement>('flows-vendor'), capability, status: byId('flows-status'), csv: byId<HTMLAnchorElement>('flows-csv') };
}

let controller: MapController | null = null;

/** Shows the flows for the current state (as of the slider's year, with the filters), or hides them. */
export async function updateFlows(ctl: MapController): Promise<void> {
  controller = ctl;
  await refresh();
}

async function refresh(): Promise<void> {
  const ctl = controller;
  if (!ctl) return;
  ensureLayers(ctl);
  const box = byId('flows-filters');
  const on = app.state.flows.on;
  box.hidden = !on;
  const my = ++seq;
  if (!on) {
    shown = [];
    draw(ctl, []);
    return;
  }
  const ui = ensureFilters();
  // Every vendor country's flows: the filter's options; the vendor filter itself applies here.
  const everyVendor = flowsParams({ ...app.state, flows: { ...app.state.flows, vendor: null } }, endYear());
  try {
    const resp = await api.diffusion<FlowsResponse>('flows', everyVendor);
    if (my !== seq) return;
    const vendors = vendorCountries(resp.flows);
    ui.vendor.replaceChildren(h('option', { value: '' }, 'Every vendor country'),
      ...vendors.map((v) => h('option', { value: v.iso3 }, `${v.name} (${v.sites})`)));
    const want = app.state.flows.vendor;
    if (want && !vendors.some((v) => v.iso3 === want)) ui.vendor.append(h('option', { value: want }, `${want} (no sites)`));
    ui.vendor.value = want ?? '';
    ui.capability.value = app.state.flows.capability ?? '';
    shown = want ? resp.flows.filter((f) => f.from === want) : resp.flows;
    draw(ctl, shown);
    const sites = shown.reduce((n, f) => n + f.sites, 0);
    ui.status.textContent = `${shown.length} ${shown.length === 1 ? 'flow' : 'flows'}, ${sites} ${sites === 1 ? 'site' : 'sites'} (of ${resp.totals.sites} sites by ${resp.as_of}, ${resp.totals.vendor_known} with a known vendor country).`;
    ui.csv.href = diffusionCsvUrl('flows', flowsParams(app.state, endYear()));
  } catch (e) {
    if (my === seq) ui.status.textContent = `Could not load the flows: ${describeError(e)}`;
  }
}

function draw(ctl: MapController, flows: Flow[]): void {
  const { arcs, ends } = flowFeatures(flows);
  (ctl.map.getSource('flows-arcs') as GeoJSONSource).setData(arcs);
  (ctl.map.getSource('flows-ends') as GeoJSONSource).setData(ends);
  popup?.remove();
}
