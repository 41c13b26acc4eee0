// Colour scales. Every colour mode maps a country to one of five ordered
// classes (0..4) or to NOT_ASSESSED; the map paints classes, so a slider step
// changes feature state only, never the style or the geometry.

import type { Band, IndexRow, Taxonomy } from './types';

/** ColorBrewer YlGnBu, 5 classes: sequential and colour-blind safe. */
export const PALETTE = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'] as const;

/** Class of a country with no assessment for what is shown. */
export const NOT_ASSESSED = -1;
/** Neutral grey under a hatch pattern: visibly "no data", never mistaken for a low score. */
export const NOT_ASSESSED_FILL = '#d9d9d9';
export const NOT_ASSESSED_HATCH = '#9a9a9a';

/** The default index bands (the API sends its own; these are used until it answers). */
export const DEFAULT_BANDS: Band[] = [
  { code: 'none', label: 'None', min: 0, max: 10 },
  { code: 'isolated', label: 'Isolated', min: 10, max: 30 },
  { code: 'emerging', label: 'Emerging', min: 30, max: 55 },
  { code: 'substantial', label: 'Substantial', min: 55, max: 80 },
  { code: 'comparable', label: 'Comparable', min: 80, max: 100 },
];

export const LEVEL_LABELS = [
  'None',
  'Proposed or planned',
  'Pilot or local',
  'Partial national',
  'Nationwide and integrated',
];

export type ModeKind = 'index' | 'pillar' | 'capability';

export function modeKind(mode: string): ModeKind {
  if (mode === 'index') return 'index';
  return mode.includes('.') ? 'capability' : 'pillar';
}

/** Class 0..4 of a 0–100 score by band thresholds (min inclusive, the last band closed). */
export function scoreClass(value: number | null | undefined, bands: Band[]): number {
  if (value === null || value === undefined || !Number.isFinite(value)) return NOT_ASSESSED;
  for (let i = 0; i < bands.length; i++) {
    if (value < bands[i].max) return Math.min(i, PALETTE.length - 1);
  }
  return Math.min(bands.length, PALETTE.length) - 1;
}

/** Class 0..4 of a capability level (0..4); null or missing is not assessed. */
export function levelClass(level: number | null | undefined): number {
  if (level === null || level === undefined || !Number.isInteger(level)) return NOT_ASSESSED;
  return Math.max(0, Math.min(4, level));
}

/**
 * The class of one /index row under a colour mode. For a pillar,
 * `pillarCoverage` 0 (none of its counted capabilities assessed) makes it not
 * assessed: its score of 0 is missing evidence, not a measurement.
 */
export function classFor(row: IndexRow | undefined, mode: string, bands: Band[], pillarCoverage?: number | null): number {
  if (!row || !row.assessed) return NOT_ASSESSED;
  switch (modeKind(mode)) {
    case 'index': {
      const byBand = bands.findIndex((b) => b.code === row.band);
      return byBand >= 0 ? Math.min(byBand, PALETTE.length - 1) : scoreClass(row.index, bands);
    }
    case 'pillar':
      return pillarCoverage === 0 ? NOT_ASSESSED : scoreClass(row.pillars?.[mode], bands);
    case 'capability':
      return levelClass(row.levels?.[mode]);
  }
}

export function colourOf(cls: number): string {
  return cls === NOT_ASSESSED ? NOT_ASSESSED_FILL : PALETTE[cls];
}

/** Classes for every country in an /index response. */
export function classesByIso(rows: IndexRow[], mode: string, bands: Band[]): Map<string, number> {
  return new Map(rows.map((r) => [r.iso3, classFor(r, mode, bands)]));
}

export interface LegendItem {
  cls: number;
  colour: string;
  label: string;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** Legend entries for a mode, always ending with the "Not assessed" entry. */
export function legendFor(mode: string, bands: Band[]): LegendItem[] {
  const items: LegendItem[] =
    modeKind(mode) === 'capability'
      ? LEVEL_LABELS.map((label, i) => ({ cls: i, colour: PALETTE[i], label: `${i} · ${label}` }))
      : bands.slice(0, PALETTE.length).map((b, i) => ({
          cls: i,
          colour: PALETTE[i],
          label: `${b.label} (${fmt(b.min)}–${fmt(b.max)})`,
        }));
  items.push({ cls: NOT_ASSESSED, colour: NOT_ASSESSED_FILL, label: 'Not assessed' });
  return items;
}

/** A readable name for a colour mode, e.g. "Pillar: Rating & scoring". */
export function modeLabel(mode: string, tax: Taxonomy | null): string {
  if (mode === 'index') return 'Resemblance index';
  if (modeKind(mode) === 'pillar') {
    return `Pillar score: ${tax?.pillars.find((p) => p.code === mode)?.name ?? mode}`;
  }
  return `Capability level: ${tax?.capabilities.find((c) => c.code === mode)?.name ?? mode}`;
}

/** Okabe–Ito colours for up to four compared countries (colour-blind safe). */
export const SERIES_COLOURS = ['#E69F00', '#0072B2', '#009E73', '#CC79A7'] as const;
export const REFERENCE_COLOUR = '#7f7f7f';
/** Sites: Chinese vendor (vermilion fill) vs any other vendor (dark ring). */
export const SITE_CHN = '#D55E00';
export const SITE_OTHER = '#222222';
/** Vendor flows (arcs) from a vendor based elsewhere than China. */
export const FLOW_OTHER = '#3b4a5a';
