// The query parameters of the diffusion API for the app's state. Pure.
//
// The statistics follow the time slider (as_of) and recorded time
// (recorded_as_of), but not the weights or the reference: they use the
// default index. Sites have no recorded history, so flows take as_of only.

import type { Params } from './api';
import { asOfForYear, type AppState, type DiffusionScope } from './state';

/** A capability code has a dot (`sanctions.blacklist`); a pillar code has none. */
export const isCapability = (code: string): boolean => code.includes('.');

function timeParams(s: AppState, endYear: number | null, recorded = true): Params {
  const out: Params = {};
  const asOf = asOfForYear(s.year, endYear);
  if (asOf) out.as_of = asOf;
  if (recorded && s.recorded) out.recorded_as_of = s.recorded;
  return out;
}

export function scopeParams(scope: DiffusionScope): Params {
  if (scope.kind === 'region') return { region: scope.name };
  if (scope.kind === 'subregion') return { subregion: scope.name };
  if (scope.kind === 'countries') return { iso3: scope.iso3.join(',') };
  return {};
}

/** capability=…&pillar=… for a list of series codes. */
export function seriesParams(codes: string[]): Params {
  const out: Params = {};
  const caps = codes.filter(isCapability);
  const pillars = codes.filter((c) => !isCapability(c));
  if (caps.length) out.capability = caps.join(',');
  if (pillars.length) out.pillar = pillars.join(',');
  return out;
}

/** min_level and min_capabilities when they differ from the API's defaults (min_capabilities only with a pillar). */
function thresholdParams(s: AppState, codes: string[]): Params {
  const out: Params = {};
  if (s.diffusion.minLevel !== 2) out.min_level = String(s.diffusion.minLevel);
  if (s.diffusion.k !== 2 && codes.some((c) => !isCapability(c))) out.min_capabilities = String(s.diffusion.k);
  return out;
}

export function curvesParams(s: AppState, endYear: number | null): Params {
  const codes = s.diffusion.series;
  return { ...seriesParams(codes), ...thresholdParams(s, codes), ...scopeParams(s.diffusion.scope), ...timeParams(s, endYear) };
}

/** The series whose exposure is shown: the one chosen if it is still a series, else the first. */
export function exposureCode(s: AppState): string | null {
  const d = s.diffusion;
  return d.exposure && d.series.includes(d.exposure) ? d.exposure : (d.series[0] ?? null);
}

export function exposureParams(s: AppState, endYear: number | null): Params | null {
  const code = exposureCode(s);
  if (!code) return null;
  return { ...seriesParams([code]), ...thresholdParams(s, [code]), ...scopeParams(s.diffusion.scope), ...timeParams(s, endYear) };
}

export function moranParams(s: AppState, endYear: number | null): Params {
  const v = s.diffusion.moran;
  return { ...(v === 'index' ? {} : seriesParams([v])), ...scopeParams(s.diffusion.scope), ...timeParams(s, endYear) };
}

/** The vendor share of the Diffusion view: the view's scope, every vendor (the share is China's). */
export function shareParams(s: AppState, endYear: number | null): Params {
  return { ...scopeParams(s.diffusion.scope), ...timeParams(s, endYear, false) };
}

/** The map's arcs: the whole world, with the layer's own filters. */
export function flowsParams(s: AppState, endYear: number | null): Params {
  const out: Params = timeParams(s, endYear, false);
  if (s.flows.vendor) out.vendor_country = s.flows.vendor;
  if (s.flows.capability) Object.assign(out, seriesParams([s.flows.capability]));
  return out;
}
