// Shared application state: the URL state, the data shown, and the hook the
// browser tests and the performance script read (window.__tracker).

import { DEFAULT_BANDS } from './colours';
import { yearsBetween } from './shape';
import { apiParams, decodeState, encodeState, type AppState } from './state';
import type { Band, IndexResponse, IndexRow, Taxonomy } from './types';

/** Test and measurement hook (read by e2e/run.mjs and e2e/perf.mjs). */
export interface TrackerHook {
  state: AppState;
  /** The MapLibre map, once created. */
  map: unknown;
  /** performance.now() when the map first showed index colours (index applied, map idle). */
  firstColouredAt: number | null;
  /** The last parameter change: ms until the map was idle again, and until its colours were set. */
  lastRecolour: { year: number | null; ms: number; appliedMs: number } | null;
  /** Increments each time a parameter change has been repainted on the map. */
  recolourCount: number;
  fillLayers(): string[];
  idle(): Promise<void>;
}

declare global {
  interface Window {
    __tracker: TrackerHook;
  }
}

export const app = {
  state: decodeState(location.search),
  /** The /index answer currently shown. */
  index: null as IndexResponse | null,
  rows: new Map<string, IndexRow>(),
  /** Colour class per country for the current mode. */
  classes: new Map<string, number>(),
  /** Countries whose colour rests on thin evidence in the current mode (src/evidence.ts). */
  thin: new Set<string>() as ReadonlySet<string>,
  /** The coverage behind each country's colour in the current mode (null: not known or not assessed). */
  coverage: new Map<string, number | null>(),
  taxonomy: null as Taxonomy | null,
};

export const hook: TrackerHook = {
  state: app.state,
  map: null,
  firstColouredAt: null,
  lastRecolour: null,
  recolourCount: 0,
  fillLayers: () => [],
  idle: () => Promise.resolve(),
};
window.__tracker = hook;

/** Replaces the state without touching the URL (used when the URL changed first). */
export function setState(next: AppState): void {
  app.state = next;
  hook.state = next;
}

/** Updates the state and records it in the URL (a new history entry when `push`). */
export function commit(patch: Partial<AppState>, push = false): void {
  setState({ ...app.state, ...patch });
  const q = encodeState(app.state);
  const url = `${location.pathname}${q ? `?${q}` : ''}`;
  if (url === `${location.pathname}${location.search}`) return;
  history[push ? 'pushState' : 'replaceState'](null, '', url);
}

export const bands = (): Band[] => app.index?.bands ?? DEFAULT_BANDS;

/** The slider's last year: the dataset's current year (this calendar year until /index answers). */
export const endYear = (): number =>
  app.index ? yearsBetween(app.index.time_range.min, app.index.time_range.max).end : new Date().getFullYear();

/** as_of, recorded_as_of, weights and reference for API calls. */
export const params = () => apiParams(app.state, endYear());

export const countryName = (iso3: string): string => app.rows.get(iso3)?.name ?? iso3;
