// Pure data shaping between API responses and what the views draw.

import type { Band, CompareResponse, HistoryAssessment, IndexRow } from './types';
import type { SortDir, SortKey } from './state';

export function fmtIndex(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : v.toFixed(1);
}

export function fmtCoverage(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${Math.round(v * 100)}%`;
}

export function bandLabel(code: string, bands: Band[]): string {
  if (code === 'not_assessed') return 'Not assessed';
  return bands.find((b) => b.code === code)?.label ?? code;
}

/** Rows keyed by ISO3. */
export function byIso(rows: IndexRow[]): Map<string, IndexRow> {
  return new Map(rows.map((r) => [r.iso3, r]));
}

/**
 * Sorts index rows for the table. Not-assessed countries always come last
 * (whatever the direction), then ties break by name so the order is stable.
 */
export function sortRows(rows: IndexRow[], key: SortKey, dir: SortDir, bands: Band[]): IndexRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  const bandRank = (code: string) => {
    const i = bands.findIndex((b) => b.code === code);
    return i < 0 ? -1 : i;
  };
  const value = (r: IndexRow): number | string => {
    switch (key) {
      case 'name':
        return r.name;
      case 'region':
        return `${r.region ?? ''}\u0000${r.subregion ?? ''}`;
      case 'index':
        return r.index ?? 0;
      case 'band':
        return bandRank(r.band);
      case 'coverage':
        return r.coverage ?? 0;
    }
  };
  const byName = (a: IndexRow, b: IndexRow) => a.name.localeCompare(b.name);
  return [...rows].sort((a, b) => {
    const aNa = !a.assessed && key !== 'name' && key !== 'region';
    const bNa = !b.assessed && key !== 'name' && key !== 'region';
    if (aNa !== bNa) return aNa ? 1 : -1;
    const va = value(a);
    const vb = value(b);
    const c = typeof va === 'string' ? va.localeCompare(vb as string) : va - (vb as number);
    return c !== 0 ? sign * c : byName(a, b);
  });
}

/** Filters rows by a search text against name, ISO3 and region. */
export function filterRows(rows: IndexRow[], q: string): IndexRow[] {
  const needle = q.trim().toLowerCase();
  if (!needle) return rows;
  return rows.filter(
    (r) =>
      r.name.toLowerCase().includes(needle) ||
      r.iso3.toLowerCase() === needle ||
      (r.subregion ?? '').toLowerCase().includes(needle),
  );
}

export interface CompareRow {
  code: string;
  name: string;
  pillar: string;
  reference: number | null;
  levels: (number | null)[];
  /** True when the compared countries do not all share one level (not-assessed counts as a value). */
  differs: boolean;
  /** Per country: true where this level is the row's highest (only when the row differs). */
  highest: boolean[];
}

/** Capability rows for the compare table, in the order of `isos`, with differences flagged. */
export function compareRows(resp: CompareResponse, isos: string[]): CompareRow[] {
  return resp.capabilities.map((c) => {
    const levels = isos.map((i) => (c.levels[i] === undefined ? null : c.levels[i]));
    const differs = new Set(levels.map((l) => (l === null ? 'na' : String(l)))).size > 1;
    const max = Math.max(...levels.map((l) => l ?? -1));
    return {
      code: c.code,
      name: c.name,
      pillar: c.pillar,
      reference: c.reference_level,
      levels,
      differs,
      highest: levels.map((l) => differs && l !== null && l === max),
    };
  });
}

export interface Segment {
  from: number; // fractional year
  to: number;
  level: number;
}

export interface Lane {
  capability: string;
  segments: Segment[];
  superseded: HistoryAssessment[];
}

/** A date "YYYY[-MM[-DD]]" as a fractional year. */
export function yearFraction(date: string): number {
  const [y, m = 1, d = 1] = date.split('-').map(Number);
  return y + ((m - 1) * 30.44 + (d - 1)) / 365.25;
}

/**
 * History lanes for the timeline: one lane per capability with the current
 * (not superseded) assessments as segments clipped to [start, end], and the
 * superseded rows kept aside so the page can show what was corrected.
 */
export function historyLanes(rows: HistoryAssessment[], start: number, end: number): Lane[] {
  const lanes = new Map<string, Lane>();
  for (const a of rows) {
    let lane = lanes.get(a.capability);
    if (!lane) {
      lane = { capability: a.capability, segments: [], superseded: [] };
      lanes.set(a.capability, lane);
    }
    if (a.superseded_by || a.retracted) {
      lane.superseded.push(a);
      continue;
    }
    const from = Math.max(start, yearFraction(a.valid_from));
    const to = Math.min(end, a.valid_to ? yearFraction(a.valid_to) : end);
    if (to > from) lane.segments.push({ from, to, level: a.level });
  }
  for (const lane of lanes.values()) lane.segments.sort((a, b) => a.from - b.from);
  return [...lanes.values()];
}

/**
 * The first year whose end falls inside a current (not superseded, not
 * retracted) assessment's validity: before it, a country used as the reference
 * has nothing to resemble. Null when there is no such assessment.
 */
export function firstAssessedYear(rows: HistoryAssessment[]): number | null {
  let first: number | null = null;
  for (const a of rows) {
    if (a.superseded_by || a.retracted) continue;
    const year = Number(a.valid_from.slice(0, 4));
    // valid_to is exclusive: a row that ends on or before 31 December of its first year covers no year end.
    if (a.valid_to !== null && a.valid_to <= `${year}-12-31`) continue;
    if (Number.isFinite(year) && (first === null || year < first)) first = year;
  }
  return first;
}

/** Years from the first year of the time range to the last, inclusive. */
export function yearsBetween(min: string, max: string): { start: number; end: number } {
  const start = Number(min.slice(0, 4));
  const end = Number(max.slice(0, 4));
  return { start, end: Math.max(start, end) };
}

/** Years of the compare line chart: from the first year any compared country is assessed (all years if none is). */
export function seriesYears(resp: CompareResponse): number[] {
  const years = [...new Set(resp.countries.flatMap((c) => c.series.map((s) => s.year)))].sort((a, b) => a - b);
  const assessed = resp.countries.flatMap((c) => c.series.filter((s) => s.assessed).map((s) => s.year));
  if (!assessed.length) return years;
  const first = Math.min(...assessed);
  return years.filter((y) => y >= first);
}
