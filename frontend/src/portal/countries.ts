// Country names and the taxonomy, read once from the public API (the same
// cached calls the map uses).

import { api } from '../api';
import type { Capability } from '../types';

export interface ScaleLevel {
  level: number;
  name: string;
  criteria: string;
}

let names: Promise<Map<string, string>> | null = null;

/** ISO3 → name of every country the tracker knows (assessed or not). */
export function countryNames(): Promise<Map<string, string>> {
  names ??= api.index({}).then((ix) => new Map(ix.countries.map((c) => [c.iso3, c.name] as [string, string])).set('CHN', ix.countries.find((c) => c.iso3 === 'CHN')?.name ?? 'China'));
  names.catch(() => (names = null));
  return names;
}

export interface Taxonomy {
  capabilities: Capability[];
  scale: ScaleLevel[];
  pillars: { code: string; name: string; capabilities: string[] }[];
}

let tax: Promise<Taxonomy> | null = null;

export function taxonomy(): Promise<Taxonomy> {
  tax ??= Promise.all([
    api.capabilities() as Promise<{ capabilities: Capability[]; scale?: ScaleLevel[] }>,
    api.pillars(),
  ]).then(([c, p]) => ({ capabilities: c.capabilities, scale: c.scale ?? [], pillars: p.pillars }));
  tax.catch(() => (tax = null));
  return tax;
}

export const nameOf = (m: Map<string, string>, iso3: string) => (m.get(iso3) ? `${m.get(iso3)} (${iso3})` : iso3);
