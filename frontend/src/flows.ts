// Vendor flows as map features: arcs from vendor home countries to host
// countries (GET /api/v1/diffusion/flows), drawn on the flat map. Pure.

import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import type { Flow } from './types';

export type LonLat = [number, number];

/**
 * A curved line from `from` to `to` on the flat (longitude, latitude) plane:
 * a quadratic Bézier whose control point lies off the midpoint, to the left
 * of the direction of travel, by a fifth of the distance. Arcs are not great
 * circles: they stay in one piece on a map that does not wrap, and two arcs
 * between the same countries in opposite directions bend apart.
 */
export function arc(from: LonLat, to: LonLat, steps = 32): LonLat[] {
  const [x0, y0] = from;
  const [x2, y2] = to;
  const dx = x2 - x0;
  const dy = y2 - y0;
  const cx = (x0 + x2) / 2 - dy * 0.2;
  const cy = (y0 + y2) / 2 + dx * 0.2;
  const out: LonLat[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    const a = (1 - t) * (1 - t);
    const b = 2 * (1 - t) * t;
    const c = t * t;
    const lat = a * y0 + b * cy + c * y2;
    out.push([a * x0 + b * cx + c * x2, Math.max(-85, Math.min(85, lat))]);
  }
  return out;
}

export interface ArcProps {
  /** The flow's position in the answer (to find it again on click). */
  i: number;
  from: string;
  to: string;
  sites: number;
  /** The vendor is based in China. */
  chn: boolean;
  domestic: boolean;
}

/**
 * The arcs (one LineString per flow between two countries) and the ends (one
 * Point per flow at the host country; a domestic flow is only an end).
 */
export function flowFeatures(flows: Flow[]): { arcs: FeatureCollection<LineString, ArcProps>; ends: FeatureCollection<Point, ArcProps> } {
  const arcs: Feature<LineString, ArcProps>[] = [];
  const ends: Feature<Point, ArcProps>[] = [];
  flows.forEach((f, i) => {
    const props: ArcProps = { i, from: f.from, to: f.to, sites: f.sites, chn: f.from === 'CHN', domestic: f.domestic };
    if (!f.domestic) arcs.push({ type: 'Feature', properties: props, geometry: { type: 'LineString', coordinates: arc(f.from_point, f.to_point) } });
    ends.push({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: f.to_point } });
  });
  return { arcs: { type: 'FeatureCollection', features: arcs }, ends: { type: 'FeatureCollection', features: ends } };
}

/** The vendor countries that appear in the flows, most sites first (for the filter). */
export function vendorCountries(flows: Flow[]): { iso3: string; name: string; sites: number }[] {
  const by = new Map<string, { iso3: string; name: string; sites: number }>();
  for (const f of flows) {
    const v = by.get(f.from) ?? { iso3: f.from, name: f.from_name, sites: 0 };
    v.sites += f.sites;
    by.set(f.from, v);
  }
  return [...by.values()].sort((a, b) => b.sites - a.sites || a.name.localeCompare(b.name));
}

/** "China → Ecuador" or "Kazakhstan (domestic vendor)". */
export function flowTitle(f: Flow): string {
  return f.domestic ? `${f.to_name} (domestic vendor)` : `${f.from_name} → ${f.to_name}`;
}

/** "2 sites · from 2015 · active 1, planned 1". */
export function flowSummary(f: Flow): string {
  const statuses = Object.entries(f.statuses)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([s, n]) => `${s.replace(/_/g, ' ')} ${n}`)
    .join(', ');
  return [`${f.sites} ${f.sites === 1 ? 'site' : 'sites'}`, f.first_year ? `from ${f.first_year}` : 'start not known', statuses].join(' · ');
}
