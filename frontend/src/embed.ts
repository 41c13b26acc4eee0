// The /embed page: the map or one compare chart without the app's chrome,
// with its legend, date, dataset version, attribution and a link back to the
// full view. Everything comes from this origin, like the app.

import './styles.css';
import { api, describeError, type Params } from './api';
import { hook } from './app';
import { compareLine, compareRadar } from './charts';
import { ATTRIBUTION, citationLine, todayUTC } from './cite';
import { DEFAULT_BANDS, modeLabel } from './colours';
import { byId, h } from './dom';
import { paintClasses } from './evidence';
import { dateLine, renderLegend } from './legend';
import { sitesAt } from './sites';
import { apiParams, decodeEmbed, encodeState, encodeWeights, type AppState, type EmbedChart } from './state';
import type { Taxonomy } from './types';

const { state, chart } = decodeEmbed(location.search);
hook.state = state;

/** The API parameters; the current year (as_of omitted, "today") until /index says which year is current. */
const params = (): Params => apiParams(state, new Date().getUTCFullYear());

function status(message: string | null, error = false): void {
  const el = byId('embed-status');
  el.hidden = message === null;
  if (message === null) return;
  el.classList.toggle('is-error', error);
  el.setAttribute('role', error ? 'alert' : 'status');
  el.replaceChildren(...(error ? [] : [h('div', { class: 'spinner', 'aria-hidden': 'true' })]), h('p', {}, message));
}

/** Title, date line, dataset version, attribution and citation around the picture. */
function describe(title: string, sub: string, version: string, asOf: string, what: string): void {
  byId('embed-title').textContent = title;
  byId('embed-sub').textContent = sub;
  document.title = `${title} · SCS Diffusion Tracker`;
  byId('embed-meta').replaceChildren(
    `Dataset version ${version}. ${ATTRIBUTION} `,
    h('span', { class: 'muted' }, `Cite as: ${citationLine({ what, datasetVersion: version, asOf, recorded: state.recorded, retrieved: todayUTC() })}`),
  );
}

async function taxonomy(): Promise<Taxonomy | null> {
  try {
    const [p, c] = await Promise.all([api.pillars(), api.capabilities()]);
    return { pillars: p.pillars, capabilities: c.capabilities };
  } catch {
    return null; // labels fall back to codes; pillar coverage is not marked
  }
}

async function drawMap(): Promise<void> {
  const [mod, index, tax] = await Promise.all([import('./map'), api.index(params()), taxonomy()]);
  const mapEl = byId('map');
  mapEl.hidden = false;
  const names = new Map(index.countries.map((r) => [r.iso3, r.name]));
  const ctl = await mod.createMap(mapEl, state.map, {
    onHover: () => {},
    onClick: () => {},
    onMove: () => {},
    capabilityName: (code) => tax?.capabilities.find((c) => c.code === code)?.name ?? code,
  });
  hook.map = ctl.map;
  hook.fillLayers = () => ctl.fillLayers();
  hook.idle = () => ctl.idle();
  const ref = index.countries.find((r) => r.iso3 === index.reference);
  const pillars = tax?.pillars.map((p) => ({ code: p.code, capabilities: p.capabilities })) ?? null;
  const painted = paintClasses(index.countries, state.mode, index.bands ?? DEFAULT_BANDS, pillars && ref ? { pillars, weights: state.weights, referenceLevels: ref.levels ?? {} } : null);
  ctl.setClasses(painted.classes, painted.thin);
  if (state.sites) ctl.setSites(sitesAt(await api.sites(), params().as_of ?? null));
  const legend = byId('legend');
  legend.hidden = false;
  renderLegend(legend, { mode: state.mode, bands: index.bands ?? DEFAULT_BANDS, taxonomy: tax, asOf: index.as_of, recorded: state.recorded, sites: state.sites });
  const refName = names.get(index.reference) ?? index.reference;
  const weights = encodeWeights(state.weights);
  describe(`${modeLabel(state.mode, tax)} (reference: ${refName})`,
    `${dateLine(index.as_of, state.recorded)}${weights ? ` · custom weights ${weights}` : ''}`,
    index.dataset_version, index.as_of, 'resemblance index');
  await ctl.idle();
  status(null);
  hook.firstColouredAt = performance.now();
}

async function drawChart(kind: Exclude<EmbedChart, 'map'>): Promise<void> {
  if (state.compare.length < 2) {
    status('This embed compares two to four countries; its link names fewer.', true);
    return;
  }
  const resp = await api.compare(state.compare, params());
  const refName = resp.countries.find((c) => c.iso3 === resp.reference)?.name ?? resp.reference;
  const names = resp.countries.map((c) => c.name).join(', ');
  const canvas = h('canvas', { role: 'img', 'aria-label': kind === 'line' ? `Line chart of the resemblance index over time for ${names}` : `Radar chart of pillar scores for ${names}` });
  const box = h('div', { class: `chart ${kind === 'line' ? 'line' : 'radar'} embed-chart` }, canvas);
  byId('embed-figure').prepend(box);
  await (kind === 'line' ? compareLine(canvas, resp) : compareRadar(canvas, resp, refName));
  describe(kind === 'line' ? `Resemblance index over time: ${names}` : `Pillar scores: ${names}`,
    `Resemblance to ${refName} (0–100). ${dateLine(resp.as_of, state.recorded)}${kind === 'line' ? '. Gaps: not assessed.' : ''}`,
    resp.dataset_version, resp.as_of, 'resemblance index');
  status(null);
  hook.firstColouredAt = performance.now();
}

/** The full view this embed shows, in the app. */
function fullView(s: AppState, kind: EmbedChart): string {
  const q = encodeState({ ...s, view: kind === 'map' ? 'map' : 'compare' });
  return `${location.origin}/${q ? `?${q}` : ''}`;
}

async function main(): Promise<void> {
  byId<HTMLAnchorElement>('embed-link').href = fullView(state, chart);
  try {
    if (chart === 'map') await drawMap();
    else await drawChart(chart);
  } catch (e) {
    status(`This view cannot be shown: ${describeError(e)}`, true);
  }
}

void main();
