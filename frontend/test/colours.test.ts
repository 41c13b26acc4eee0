import { describe, expect, it } from 'vitest';
import { DEFAULT_BANDS, NOT_ASSESSED, NOT_ASSESSED_FILL, PALETTE, classFor, classesByIso, colourOf, legendFor, levelClass, modeKind, modeLabel, scoreClass } from '../src/colours';
import type { IndexRow } from '../src/types';

const row = (over: Partial<IndexRow>): IndexRow => ({
  iso3: 'VEN', name: 'Venezuela', region: 'Americas', subregion: 'South America', assessed: true,
  index: 21.4, band: 'isolated', coverage: 0.12, pillars: { identity: 0, integration: 33.3, rating: null },
  levels: { 'integration.credit_platform': 3, 'rating.private_score': null }, ...over,
});

describe('score classes', () => {
  it('follows the band thresholds (min inclusive, last band closed)', () => {
    const cases: [number, number][] = [[0, 0], [9.99, 0], [10, 1], [29.9, 1], [30, 2], [54.9, 2], [55, 3], [79.99, 3], [80, 4], [100, 4]];
    for (const [v, want] of cases) expect(scoreClass(v, DEFAULT_BANDS), `scoreClass(${v})`).toBe(want);
  });

  it('treats null, undefined and NaN as not assessed, never as zero', () => {
    expect(scoreClass(null, DEFAULT_BANDS)).toBe(NOT_ASSESSED);
    expect(scoreClass(undefined, DEFAULT_BANDS)).toBe(NOT_ASSESSED);
    expect(scoreClass(Number.NaN, DEFAULT_BANDS)).toBe(NOT_ASSESSED);
  });

  it('maps capability levels 0..4 and not-assessed', () => {
    expect([0, 1, 2, 3, 4].map(levelClass)).toEqual([0, 1, 2, 3, 4]);
    expect(levelClass(null)).toBe(NOT_ASSESSED);
    expect(levelClass(undefined)).toBe(NOT_ASSESSED);
    expect(levelClass(7)).toBe(4);
  });
});

describe('classFor', () => {
  it('uses the band the API computed for the overall index', () => {
    expect(classFor(row({}), 'index', DEFAULT_BANDS)).toBe(1);
    expect(classFor(row({ band: 'comparable', index: 12 }), 'index', DEFAULT_BANDS)).toBe(4);
  });

  it('falls back to thresholds when the band code is unknown', () => {
    expect(classFor(row({ band: 'mystery', index: 60 }), 'index', DEFAULT_BANDS)).toBe(3);
  });

  it('colours pillars by score and capabilities by level', () => {
    expect(classFor(row({}), 'integration', DEFAULT_BANDS)).toBe(2);
    expect(classFor(row({}), 'identity', DEFAULT_BANDS)).toBe(0); // a real zero stays a colour
    expect(classFor(row({}), 'rating', DEFAULT_BANDS)).toBe(NOT_ASSESSED); // not counted
    expect(classFor(row({}), 'integration.credit_platform', DEFAULT_BANDS)).toBe(3);
    expect(classFor(row({}), 'rating.private_score', DEFAULT_BANDS)).toBe(NOT_ASSESSED);
    expect(classFor(row({}), 'sanctions.blacklist', DEFAULT_BANDS)).toBe(NOT_ASSESSED);
  });

  it('never colours a not-assessed country, whatever its numbers say', () => {
    const fji = row({ iso3: 'FJI', assessed: false, index: null, band: 'not_assessed', pillars: {}, levels: {} });
    for (const mode of ['index', 'identity', 'sanctions.blacklist']) expect(classFor(fji, mode, DEFAULT_BANDS)).toBe(NOT_ASSESSED);
    expect(classFor(undefined, 'index', DEFAULT_BANDS)).toBe(NOT_ASSESSED);
  });

  it('builds a class per country', () => {
    const m = classesByIso([row({}), row({ iso3: 'FJI', assessed: false, index: null, band: 'not_assessed' })], 'index', DEFAULT_BANDS);
    expect([...m]).toEqual([['VEN', 1], ['FJI', NOT_ASSESSED]]);
  });
});

describe('legend and colours', () => {
  it('has one entry per band plus a distinct not-assessed entry', () => {
    const items = legendFor('index', DEFAULT_BANDS);
    expect(items.map((i) => i.label)).toEqual([
      'None (0–10)', 'Isolated (10–30)', 'Emerging (30–55)', 'Substantial (55–80)', 'Comparable (80–100)', 'Not assessed',
    ]);
    expect(items.at(-1)!.colour).toBe(NOT_ASSESSED_FILL);
    expect(PALETTE).not.toContain(NOT_ASSESSED_FILL);
  });

  it('lists levels for capability modes', () => {
    const items = legendFor('sanctions.blacklist', DEFAULT_BANDS);
    expect(items).toHaveLength(6);
    expect(items[4].label).toBe('4 · Nationwide and integrated');
  });

  it('palette is sequential: lightness falls with the class', () => {
    const lum = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const l = PALETTE.map(lum);
    for (let i = 1; i < l.length; i++) expect(l[i]).toBeLessThan(l[i - 1]);
    expect(colourOf(NOT_ASSESSED)).toBe(NOT_ASSESSED_FILL);
  });

  it('names modes', () => {
    const tax = {
      pillars: [{ code: 'rating', name: 'Rating & scoring', description: '', capabilities: [] }],
      capabilities: [{ code: 'rating.private_score', name: 'Private behavioural scores', pillar: 'rating', definition: '', level4_marker: '' }],
    };
    expect(modeKind('index')).toBe('index');
    expect(modeKind('rating')).toBe('pillar');
    expect(modeKind('rating.private_score')).toBe('capability');
    expect(modeLabel('rating', tax)).toBe('Pillar score: Rating & scoring');
    expect(modeLabel('rating.private_score', tax)).toBe('Capability level: Private behavioural scores');
    expect(modeLabel('rating.unknown', null)).toBe('Capability level: rating.unknown');
  });
});
