// The whole view state, kept in the URL query string so any view can be shared.
//
// Only values that differ from the defaults are written, in a fixed order, so
// the same view always yields the same URL. Decoding is forgiving: a bad value
// falls back to its default instead of breaking the page.

export type View = 'map' | 'table' | 'compare' | 'diffusion';
export type SortKey = 'name' | 'region' | 'index' | 'band' | 'coverage';
export type SortDir = 'asc' | 'desc';

export interface MapView {
  lon: number;
  lat: number;
  zoom: number;
}

/** Whom a diffusion statistic counts: the world, a UN M.49 region or subregion, or a list of countries. */
export type DiffusionScope =
  | { kind: 'world' }
  | { kind: 'region' | 'subregion'; name: string }
  | { kind: 'countries'; iso3: string[] };

/** The Diffusion view's choices. */
export interface DiffusionState {
  /** One curve each: capability codes (`surveillance.cctv_network`) and pillar codes (`sanctions`). */
  series: string[];
  scope: DiffusionScope;
  /** The adoption threshold, 1–4. */
  minLevel: number;
  /** How many of a pillar's capabilities make the pillar adopted. */
  k: number;
  /** What Moran's I is computed of: 'index', a pillar or a capability code. */
  moran: string;
  /** The series whose neighbour exposure is shown; null: the first series. */
  exposure: string | null;
}

/** The vendor-flows layer of the map (arcs from vendor home countries to host countries) and its filters. */
export interface FlowsState {
  on: boolean;
  /** Only flows from vendors based in this country (ISO3); null: every vendor country. */
  vendor: string | null;
  /** Only sites of this capability or pillar; null: all. */
  capability: string | null;
}

export interface AppState {
  view: View;
  /** Calendar year shown (valid time); null means "today" (the latest data). */
  year: number | null;
  /**
   * Recorded time: the tracker as it stood on this day (YYYY-MM-DD), sent as
   * `recorded_as_of`; null means "as the tracker stands now".
   */
  recorded: string | null;
  /** 'index', a pillar code ('identity') or a capability code ('sanctions.blacklist'). */
  mode: string;
  /** Non-default weights by pillar or capability code. */
  weights: Record<string, number>;
  reference: string;
  country: string | null;
  compare: string[];
  map: MapView | null;
  sites: boolean;
  sort: { key: SortKey; dir: SortDir };
  diffusion: DiffusionState;
  flows: FlowsState;
}

export const DEFAULT_REFERENCE = 'CHN';
export const MAX_SERIES = 6;
export const MAX_SCOPE_COUNTRIES = 30;
export const DEFAULT_SERIES = ['surveillance.cctv_network', 'sanctions'];
export const MAX_COMPARE = 4;
export const MAX_WEIGHT = 10;

export function defaultState(): AppState {
  return {
    view: 'map',
    year: null,
    recorded: null,
    mode: 'index',
    weights: {},
    reference: DEFAULT_REFERENCE,
    country: null,
    compare: [],
    map: null,
    sites: false,
    sort: { key: 'index', dir: 'desc' },
    diffusion: { series: [...DEFAULT_SERIES], scope: { kind: 'world' }, minLevel: 2, k: 2, moran: 'index', exposure: null },
    flows: { on: false, vendor: null, capability: null },
  };
}

const VIEWS: View[] = ['map', 'table', 'compare', 'diffusion'];
const SORT_KEYS: SortKey[] = ['name', 'region', 'index', 'band', 'coverage'];
const ISO3 = /^[A-Z]{3}$/;
const CODE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written YYYY-MM-DD between 1900 and 2200 (2025-02-30 is not one). */
export function isDate(s: string | null | undefined): s is string {
  const m = DATE.exec(s ?? '');
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2200) return false;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Formats weights the way the API reads them: "identity:2,sanctions:0.5", keys sorted. */
export function encodeWeights(w: Record<string, number>): string {
  return Object.keys(w)
    .sort()
    .map((k) => `${k}:${round(w[k], 3)}`)
    .join(',');
}

/** Parses "identity:2,sanctions:0.5"; drops malformed or out-of-range parts. */
export function parseWeights(s: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  if (!s) return out;
  for (const part of s.split(',')) {
    const [k, v, extra] = part.split(':');
    const n = Number(v);
    if (extra !== undefined || !CODE.test(k ?? '') || v === '' || !Number.isFinite(n)) continue;
    if (n < 0 || n > MAX_WEIGHT) continue;
    out[k] = n;
  }
  return out;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function encodeMap(m: MapView): string {
  return `${round(m.zoom, 2)}/${round(m.lat, 3)}/${round(m.lon, 3)}`;
}

function decodeMap(s: string | null): MapView | null {
  if (!s) return null;
  const parts = s.split('/').map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) return null;
  const [zoom, lat, lon] = parts;
  if (zoom < 0 || zoom > 22 || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { zoom, lat, lon };
}

function decodeIsoList(s: string | null, max = MAX_COMPARE): string[] {
  if (!s) return [];
  const list = s.toUpperCase().split(',').filter((c) => ISO3.test(c));
  return [...new Set(list)].slice(0, max);
}

/** A region or subregion name as the data spells them: letters, spaces, hyphens and apostrophes. */
const PLACE = /^[\p{L}][\p{L} '-]{0,63}$/u;

/** "region:Africa", "subregion:Eastern Africa", "countries:KEN,UGA"; "" for the world. */
export function encodeScope(scope: DiffusionScope): string {
  if (scope.kind === 'world') return '';
  return scope.kind === 'countries' ? `countries:${scope.iso3.join(',')}` : `${scope.kind}:${scope.name}`;
}

export function decodeScope(s: string | null): DiffusionScope {
  const i = (s ?? '').indexOf(':');
  const kind = i > 0 ? s!.slice(0, i) : '';
  const rest = i > 0 ? s!.slice(i + 1).trim() : '';
  if ((kind === 'region' || kind === 'subregion') && PLACE.test(rest)) return { kind, name: rest };
  if (kind === 'countries') {
    const iso3 = decodeIsoList(rest, MAX_SCOPE_COUNTRIES);
    if (iso3.length) return { kind, iso3 };
  }
  return { kind: 'world' };
}

function decodeDiffusion(p: URLSearchParams): DiffusionState {
  const d = defaultState().diffusion;
  const codes = (p.get('series') ?? '').split(',').filter((c) => CODE.test(c));
  const level = Number(p.get('min_level'));
  const k = Number(p.get('k'));
  const moran = p.get('moran');
  const exposure = p.get('exposure');
  return {
    series: p.has('series') && codes.length ? [...new Set(codes)].slice(0, MAX_SERIES) : d.series,
    scope: decodeScope(p.get('scope')),
    minLevel: Number.isInteger(level) && level >= 1 && level <= 4 ? level : d.minLevel,
    k: Number.isInteger(k) && k >= 1 && k <= 9 ? k : d.k,
    moran: moran && CODE.test(moran) ? moran : d.moran,
    exposure: exposure && CODE.test(exposure) ? exposure : null,
  };
}

function encodeDiffusion(p: URLSearchParams, s: DiffusionState): void {
  const d = defaultState().diffusion;
  if (s.series.join(',') !== d.series.join(',')) p.set('series', s.series.join(','));
  const scope = encodeScope(s.scope);
  if (scope) p.set('scope', scope);
  if (s.minLevel !== d.minLevel) p.set('min_level', String(s.minLevel));
  if (s.k !== d.k) p.set('k', String(s.k));
  if (s.moran !== d.moran) p.set('moran', s.moran);
  if (s.exposure) p.set('exposure', s.exposure);
}

/** Encodes the state as a query string (without "?"), omitting defaults. */
export function encodeState(s: AppState): string {
  const d = defaultState();
  const p = new URLSearchParams();
  if (s.view !== d.view) p.set('view', s.view);
  if (s.year !== null) p.set('year', String(s.year));
  if (s.recorded !== null) p.set('recorded_as_of', s.recorded);
  if (s.mode !== d.mode) p.set('colour', s.mode);
  const w = encodeWeights(s.weights);
  if (w) p.set('weights', w);
  if (s.reference !== d.reference) p.set('reference', s.reference);
  if (s.country) p.set('country', s.country);
  if (s.compare.length) p.set('compare', s.compare.join(','));
  if (s.map) p.set('map', encodeMap(s.map));
  if (s.sites) p.set('sites', '1');
  if (s.sort.key !== d.sort.key || s.sort.dir !== d.sort.dir) p.set('sort', `${s.sort.key}:${s.sort.dir}`);
  encodeDiffusion(p, s.diffusion);
  if (s.flows.on) p.set('flows', '1');
  if (s.flows.vendor) p.set('flows_vendor', s.flows.vendor);
  if (s.flows.capability) p.set('flows_capability', s.flows.capability);
  // Keep ":" and "," readable in shared links; both are legal in a query.
  return p.toString().replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%2F/g, '/');
}

/** Decodes a query string (with or without "?") into a full state. */
export function decodeState(search: string): AppState {
  const p = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const s = defaultState();
  const view = p.get('view') as View | null;
  if (view && VIEWS.includes(view)) s.view = view;
  const year = Number(p.get('year'));
  if (p.has('year') && Number.isInteger(year) && year >= 1900 && year <= 2200) s.year = year;
  const recorded = p.get('recorded_as_of');
  if (isDate(recorded)) s.recorded = recorded;
  const mode = p.get('colour');
  if (mode && (mode === 'index' || CODE.test(mode))) s.mode = mode;
  s.weights = parseWeights(p.get('weights'));
  const ref = p.get('reference')?.toUpperCase();
  if (ref && ISO3.test(ref)) s.reference = ref;
  const country = p.get('country')?.toUpperCase();
  if (country && ISO3.test(country)) s.country = country;
  s.compare = decodeIsoList(p.get('compare'));
  s.map = decodeMap(p.get('map'));
  s.sites = p.get('sites') === '1';
  const [key, dir] = (p.get('sort') ?? '').split(':');
  if (SORT_KEYS.includes(key as SortKey) && (dir === 'asc' || dir === 'desc')) {
    s.sort = { key: key as SortKey, dir };
  }
  s.diffusion = decodeDiffusion(p);
  const vendor = p.get('flows_vendor')?.toUpperCase();
  const flowsCap = p.get('flows_capability');
  s.flows = { on: p.get('flows') === '1', vendor: vendor && ISO3.test(vendor) ? vendor : null, capability: flowsCap && CODE.test(flowsCap) ? flowsCap : null };
  return s;
}

/** The API query parameters (as_of, recorded_as_of, weights, reference) for a state. */
export function apiParams(s: AppState, endYear: number | null): Record<string, string> {
  const out: Record<string, string> = {};
  const asOf = asOfForYear(s.year, endYear);
  if (asOf) out.as_of = asOf;
  if (s.recorded) out.recorded_as_of = s.recorded;
  const w = encodeWeights(s.weights);
  if (w) out.weights = w;
  if (s.reference !== DEFAULT_REFERENCE) out.reference = s.reference;
  return out;
}

/**
 * The as_of date for a year: the last day of that year, or nothing (the
 * server's "today") for the current year, whose end lies in the future.
 */
export function asOfForYear(year: number | null, endYear: number | null): string | null {
  if (year === null || (endYear !== null && year >= endYear)) return null;
  return `${year}-12-31`;
}

// ---- checking a decoded state against what the server knows -------------------

/** A pillar and its capability codes, as /api/v1/pillars lists them. */
export interface PillarCodes {
  code: string;
  capabilities: string[];
}

/** What the server knows, for sanitizeState. A null field is not known (yet) and is not checked. */
export interface KnownCodes {
  /** The taxonomy: every pillar with its capabilities. */
  pillars: PillarCodes[] | null;
  /** Countries that can be the reference (those with an assessment). */
  references: ReadonlySet<string> | null;
}

/** One value sanitizeState dropped, and why. */
export interface Dropped {
  param: 'weights' | 'reference' | 'colour';
  value: string;
  reason: string;
}

const usable = (v: number | undefined): number => (v !== undefined && Number.isFinite(v) && v > 0 ? v : 0);

/**
 * True when the weights give every capability an effective weight of 0, the
 * API's "weights: all weights zero" (resemblance.ParseWeights): a capability
 * weight replaces its share, otherwise the pillar weight (default 1) is split
 * among the pillar's capabilities. An empty taxonomy cannot be judged (false).
 */
export function weightsAllZero(w: Record<string, number>, pillars: PillarCodes[]): boolean {
  if (!pillars.some((p) => p.capabilities.length > 0)) return false;
  for (const p of pillars) {
    const share = p.code in w ? usable(w[p.code]) : 1;
    for (const c of p.capabilities) {
      if ((c in w ? usable(w[c]) : share) > 0) return false;
    }
  }
  return true;
}

/**
 * Checks a state decoded from a link against the taxonomy and the country
 * list, so no request is sent that the API would refuse: weight keys that are
 * not pillar or capability codes and negative or non-finite weights are
 * dropped, weights that would all be zero fall back to the defaults, an
 * unknown colour mode falls back to the index and a reference without
 * assessments falls back to DEFAULT_REFERENCE. Pure; `dropped` lists what changed.
 */
export function sanitizeState(s: AppState, known: KnownCodes): { state: AppState; dropped: Dropped[] } {
  const dropped: Dropped[] = [];
  const out: AppState = { ...s };
  if (known.pillars) {
    const codes = new Set(known.pillars.flatMap((p) => [p.code, ...p.capabilities]));
    const weights: Record<string, number> = {};
    for (const [k, v] of Object.entries(s.weights)) {
      if (!codes.has(k)) dropped.push({ param: 'weights', value: k, reason: 'not a pillar or capability' });
      else if (!Number.isFinite(v) || v < 0) dropped.push({ param: 'weights', value: `${k}:${v}`, reason: 'not a finite, non-negative number' });
      else weights[k] = v;
    }
    if (Object.keys(weights).length && weightsAllZero(weights, known.pillars)) {
      dropped.push({ param: 'weights', value: encodeWeights(weights), reason: 'every weight would be zero; the default weights apply' });
      out.weights = {};
    } else out.weights = weights;
    if (s.mode !== 'index' && !codes.has(s.mode)) {
      dropped.push({ param: 'colour', value: s.mode, reason: 'not a pillar or capability' });
      out.mode = 'index';
    }
  }
  if (known.references && s.reference !== DEFAULT_REFERENCE && !known.references.has(s.reference)) {
    dropped.push({ param: 'reference', value: s.reference, reason: `not an assessed country; ${DEFAULT_REFERENCE} is the reference` });
    out.reference = DEFAULT_REFERENCE;
  }
  return { state: dropped.length ? out : s, dropped };
}

// ---- recorded time --------------------------------------------------------------

/**
 * Keeps a recorded date inside what the tracker can answer: not before its
 * first recording (`first`, null when unknown) and not after today (`today`,
 * null when unknown). A date after today becomes "now" (null), one before
 * the first recording becomes that first day. Pure.
 */
export function clampRecorded(recorded: string | null, first: string | null, today: string | null): { recorded: string | null; reason: string | null } {
  if (recorded === null) return { recorded, reason: null };
  if (today !== null && recorded > today) {
    return { recorded: null, reason: `${recorded} is in the future; showing the tracker as it stands now` };
  }
  if (first !== null && recorded < first) {
    return { recorded: first, reason: `the tracker recorded its first assessments on ${first}; showing it as it stood then` };
  }
  return { recorded, reason: null };
}

// ---- embeds -------------------------------------------------------------------------

/** What an embed shows: the map, or one chart of the comparison. */
export type EmbedChart = 'map' | 'line' | 'radar';
export const EMBED_CHARTS: EmbedChart[] = ['map', 'line', 'radar'];

/**
 * The query of /embed for a view: the parameters that decide what is drawn
 * (year, recorded date, colour, weights, reference, map position, sites for
 * the map; the compared countries for a chart) and `chart` when it is not
 * the map. The app's other state (view, open profile, table sort) is left out.
 */
export function embedQuery(s: AppState, chart: EmbedChart): string {
  const d = defaultState();
  const keep: AppState = {
    ...d,
    year: s.year,
    recorded: s.recorded,
    weights: s.weights,
    reference: s.reference,
    ...(chart === 'map' ? { mode: s.mode, map: s.map, sites: s.sites } : { compare: s.compare }),
  };
  const q = encodeState(keep);
  return chart === 'map' ? q : [q, `chart=${chart}`].filter(Boolean).join('&');
}

/** Decodes an /embed query: the state plus which picture (unknown or missing `chart` is the map). */
export function decodeEmbed(search: string): { state: AppState; chart: EmbedChart } {
  const p = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const chart = p.get('chart') as EmbedChart | null;
  return { state: decodeState(search), chart: chart && EMBED_CHARTS.includes(chart) ? chart : 'map' };
}
