// Typed access to the tracker API on the page's own origin, with small
// in-memory caches so time travel and view switches never refetch the same data.

import type {
  Capability,
  CompareResponse,
  CountryProfile,
  HistoryResponse,
  IndexResponse,
  Pillar,
  SiteProperties,
} from './types';
import { fixAntimeridian } from './geometry';
import type { FeatureCollection, Geometry, Point } from 'geojson';

/** An API failure, carrying the RFC 9457 problem fields when the server sent them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: { field: string; reason: string }[] = [],
  ) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiError';
  }
}

/** Builds "/path?a=1&b=2" with keys in a stable order (which also keys the caches). */
export function buildUrl(path: string, params: Record<string, string | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const k of Object.keys(params).sort()) {
    const v = params[k];
    if (v !== undefined && v !== '') p.set(k, v);
  }
  const q = p.toString().replace(/%3A/g, ':').replace(/%2C/g, ',');
  return q ? `${path}?${q}` : path;
}

async function problemOf(res: Response): Promise<ApiError> {
  let title = res.statusText || `HTTP ${res.status}`;
  let detail = '';
  let errors: { field: string; reason: string }[] = [];
  try {
    const body = await res.json();
    title = body.title ?? title;
    detail = body.detail ?? '';
    errors = Array.isArray(body.errors) ? body.errors : [];
  } catch {
    // not a problem document; keep the status line
  }
  return new ApiError(res.status, title, detail, errors);
}

/** GETs JSON from the API; throws ApiError on a non-2xx answer or a network failure. */
export async function getJSON<T>(url: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new ApiError(0, 'Network error', `Could not reach the tracker API (${(e as Error).message}).`);
  }
  if (!res.ok) throw await problemOf(res);
  return (await res.json()) as T;
}

/** A promise cache that forgets failures, so a retry asks again. */
class Cache<T> {
  private entries = new Map<string, Promise<T>>();
  constructor(private readonly limit = 64) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.entries.get(key);
    if (!p) {
      p = load();
      p.catch(() => this.entries.delete(key));
      this.entries.set(key, p);
      if (this.entries.size > this.limit) {
        this.entries.delete(this.entries.keys().next().value as string);
      }
    }
    return p;
  }

  clear(): void {
    this.entries.clear();
  }
}

const cached = new Cache<unknown>(256);

function once<T>(url: string): Promise<T> {
  return cached.get(url, () => getJSON<T>(url)) as Promise<T>;
}

export type Params = Record<string, string>;
export type CountryGeo = FeatureCollection<Geometry, { iso3: string; name: string }>;
export type SiteCollection = FeatureCollection<Point, SiteProperties>;

export const api = {
  pillars: () => once<{ dataset_version: string; pillars: Pillar[] }>('/api/v1/pillars'),
  capabilities: () => once<{ dataset_version: string; capabilities: Capability[] }>('/api/v1/capabilities'),
  index: (p: Params) => once<IndexResponse>(buildUrl('/api/v1/index', p)),
  geo: (resolution: '110m' | '50m') => {
    const url = buildUrl('/api/v1/geo/countries.geojson', { resolution });
    return cached.get(`fixed:${url}`, () => getJSON<CountryGeo>(url).then(fixAntimeridian)) as Promise<CountryGeo>;
  },
  country: (iso3: string, p: Params) =>
    once<CountryProfile>(buildUrl(`/api/v1/countries/${encodeURIComponent(iso3)}`, p)),
  /**
   * Every assessment row of a country as the tracker stood on `recorded`
   * (YYYY-MM-DD), or as it stands now (null): the one read that takes only
   * recorded time. The profile also reads it for now, to list the
   * corrections made since the recorded date.
   */
  history: (iso3: string, recorded: string | null) =>
    once<HistoryResponse>(buildUrl(`/api/v1/countries/${encodeURIComponent(iso3)}/history`, { recorded_as_of: recorded ?? undefined })),
  compare: (isos: string[], p: Params) =>
    once<CompareResponse>(buildUrl('/api/v1/compare', { ...p, iso3: isos.join(',') })),
  sites: () => once<SiteCollection>('/api/v1/sites'),
  /** One of the diffusion statistics (src/diffusion.ts builds the parameters). */
  diffusion: <T>(route: DiffusionRoute, p: Params) => once<T>(buildUrl(`/api/v1/diffusion/${route}`, p)),
  clear: () => cached.clear(),
};

/**
 * The CSV download URL for the current parameters: the index with all of
 * them; every assessment (all valid times) as the tracker stood on the
 * recorded date.
 */
export function exportUrl(kind: 'index' | 'assessments', p: Params): string {
  return buildUrl(`/api/v1/export/${kind}.csv`, kind === 'index' ? p : { recorded_as_of: p.recorded_as_of });
}

export type DiffusionRoute = 'curves' | 'neighbours' | 'moran' | 'flows';

/** The CSV download of a diffusion statistic for the same parameters as its JSON. */
export function diffusionCsvUrl(route: DiffusionRoute, p: Params): string {
  return buildUrl(`/api/v1/diffusion/${route}.csv`, p);
}

/** True for the API's answer that the reference country has no assessment at the date asked. */
export function isReferenceGap(e: unknown): e is ApiError {
  return e instanceof ApiError && e.status === 400 && e.errors.some((f) => f.field === 'reference');
}

/** A short, human message for any error thrown while loading. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.errors
      .filter((f) => !e.detail.includes(f.reason))
      .map((f) => `${f.field}: ${f.reason}`)
      .join('; ');
    return [e.status ? `${e.title} (HTTP ${e.status})` : e.title, e.detail, fields].filter(Boolean).join('. ');
  }
  return e instanceof Error ? e.message : String(e);
}
