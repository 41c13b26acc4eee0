import { describe, expect, it } from 'vitest';
import { DEFAULT_BANDS } from '../src/colours';
import { bandLabel, compareRows, filterRows, firstAssessedYear, seriesYears, fmtCoverage, fmtIndex, historyLanes, sortRows, yearFraction, yearsBetween } from '../src/shape';
import type { CompareResponse, HistoryAssessment, IndexRow } from '../src/types';

const r = (iso3: string, name: string, index: number | null, coverage = 0.5, region = 'Asia', subregion = 'Eastern Asia'): IndexRow => ({
  iso3, name, region, subregion, assessed: index !== null, index,
  band: index === null ? 'not_assessed' : index < 10 ? 'none' : index < 30 ? 'isolated' : index < 55 ? 'emerging' : index < 80 ? 'substantial' : 'comparable',
  coverage: index === null ? 0 : coverage, pillars: {}, levels: {},
});

const rows = [r('FJI', 'Fiji', null), r('VEN', 'Venezuela', 21.4, 0.12, 'Americas', 'South America'), r('CHN', 'China', 100, 1), r('RUS', 'Russia', 40, 0.8, 'Europe', 'Eastern Europe'), r('IRN', 'Iran', 40, 0.6)];
const iso = (xs: IndexRow[]) => xs.map((x) => x.iso3);

describe('sortRows', () => {
  it('sorts by index descending with ties by name and not-assessed last', () => {
    expect(iso(sortRows(rows, 'index', 'desc', DEFAULT_BANDS))).toEqual(['CHN', 'IRN', 'RUS', 'VEN', 'FJI']);
  });
  it('keeps not-assessed last when ascending, too', () => {
    expect(iso(sortRows(rows, 'index', 'asc', DEFAULT_BANDS))).toEqual(['VEN', 'IRN', 'RUS', 'CHN', 'FJI']);
    expect(iso(sortRows(rows, 'coverage', 'asc', DEFAULT_BANDS))).toEqual(['VEN', 'IRN', 'RUS', 'CHN', 'FJI']);
  });
  it('sorts names and regions alphabetically, including not-assessed countries', () => {
    expect(iso(sortRows(rows, 'name', 'asc', DEFAULT_BANDS))).toEqual(['CHN', 'FJI', 'IRN', 'RUS', 'VEN']);
    expect(iso(sortRows(rows, 'name', 'desc', DEFAULT_BANDS))).toEqual(['VEN', 'RUS', 'IRN', 'FJI', 'CHN']);
    expect(iso(sortRows(rows, 'region', 'asc', DEFAULT_BANDS))).toEqual(['VEN', 'CHN', 'FJI', 'IRN', 'RUS']);
  });
  it('sorts bands in band order, not alphabetically', () => {
    expect(iso(sortRows(rows, 'band', 'desc', DEFAULT_BANDS))).toEqual(['CHN', 'IRN', 'RUS', 'VEN', 'FJI']);
  });
  it('does not mutate its input', () => {
    const copy = [...rows];
    sortRows(rows, 'name', 'asc', DEFAULT_BANDS);
    expect(rows).toEqual(copy);
  });
});

describe('filters and formats', () => {
  it('filters by name, exact ISO3 or subregion', () => {
    expect(iso(filterRows(rows, 'ven'))).toEqual(['VEN']);
    expect(iso(filterRows(rows, 'IRN'))).toEqual(['IRN']);
    expect(iso(filterRows(rows, 'eastern asia'))).toEqual(['FJI', 'CHN', 'IRN']);
    expect(filterRows(rows, '  ')).toBe(rows);
  });
  it('formats numbers', () => {
    expect(fmtIndex(21.44)).toBe('21.4');
    expect(fmtIndex(null)).toBe('—');
    expect(fmtCoverage(0.126)).toBe('13%');
    expect(fmtCoverage(undefined)).toBe('—');
    expect(bandLabel('not_assessed', DEFAULT_BANDS)).toBe('Not assessed');
    expect(bandLabel('emerging', DEFAULT_BANDS)).toBe('Emerging');
  });
  it('derives the slider years from the time range', () => {
    expect(yearsBetween('2005-01-01', '2026-11-26')).toEqual({ start: 2005, end: 2026 });
  });
});

describe('compareRows', () => {
  const resp: CompareResponse = {
    dataset_version: 'x', as_of: '2026-11-26', reference: 'CHN', countries: [],
    capabilities: [
      { code: 'a.same', name: 'Same', pillar: 'a', reference_level: 4, levels: { RUS: 3, IRN: 3 } },
      { code: 'a.diff', name: 'Diff', pillar: 'a', reference_level: 4, levels: { RUS: 1, IRN: 3 } },
      { code: 'b.na', name: 'Partly assessed', pillar: 'b', reference_level: 2, levels: { RUS: null, IRN: 0 } },
      { code: 'b.none', name: 'Nobody', pillar: 'b', reference_level: 0, levels: { RUS: null, IRN: null } },
    ],
  };
  it('flags rows where levels differ and marks the highest', () => {
    const got = compareRows(resp, ['RUS', 'IRN']);
    expect(got.map((x) => [x.code, x.differs, x.highest])).toEqual([
      ['a.same', false, [false, false]],
      ['a.diff', true, [false, true]],
      ['b.na', true, [false, true]], // not assessed differs from an assessed 0
      ['b.none', false, [false, false]],
    ]);
    expect(got[1].levels).toEqual([1, 3]);
  });
  it('follows the requested country order and tolerates missing keys', () => {
    expect(compareRows(resp, ['IRN', 'RUS'])[1].levels).toEqual([3, 1]);
    expect(compareRows(resp, ['IRN', 'XXX'])[0].levels).toEqual([3, null]);
  });
});

describe('historyLanes', () => {
  const a = (over: Partial<HistoryAssessment>): HistoryAssessment => ({
    id: 'x', capability: 'rating.risk_profiling', level: 2, valid_from: '2014-01-01', valid_to: null,
    recorded_at: '2026-11-20T10:00:00Z', superseded_by: null, confidence: 'H', summary: '', provenance: '', sources: [], ...over,
  });
  it('builds one lane per capability from current rows, clipped to the range', () => {
    const lanes = historyLanes([
      a({ id: '1', valid_from: '2000-01-01', valid_to: '2014-01-01', level: 1 }),
      a({ id: '2', valid_from: '2014-01-01', valid_to: '2020-02-05', level: 3 }),
      a({ id: '3', level: 4, superseded_by: '2' }),
      a({ id: '4', capability: 'sanctions.blacklist', valid_from: '2030', level: 2 }),
    ], 2005, 2027);
    expect(lanes.map((l) => l.capability)).toEqual(['rating.risk_profiling', 'sanctions.blacklist']);
    const [risk, black] = lanes;
    expect(risk.segments.map((s) => [s.from, s.level])).toEqual([[2005, 1], [2014, 3]]);
    expect(risk.segments[1].to).toBeCloseTo(yearFraction('2020-02-05'));
    expect(risk.superseded.map((s) => s.id)).toEqual(['3']);
    expect(black.segments).toEqual([]); // starts after the range
  });
  it('reads partial dates', () => {
    expect(yearFraction('2017')).toBe(2017);
    expect(yearFraction('2017-07')).toBeCloseTo(2017.5, 1);
  });
});

describe('firstAssessedYear', () => {
  const a = (valid_from: string, over: Partial<HistoryAssessment> = {}): HistoryAssessment => ({
    id: valid_from, capability: 'x', level: 2, valid_from, valid_to: null, recorded_at: '', superseded_by: null,
    confidence: 'H', summary: '', provenance: '', sources: [], ...over,
  });
  it('takes the earliest current row', () => {
    expect(firstAssessedYear([a('2015-10-01'), a('2012-12-28'), a('2013-01-01')])).toBe(2012);
  });
  it('ignores superseded and retracted rows', () => {
    expect(firstAssessedYear([a('2015-10-01'), a('2001-01-01', { superseded_by: 7 }), a('2002-01-01', { retracted: true })])).toBe(2015);
  });
  it('skips a row that ends before the end of its first year', () => {
    expect(firstAssessedYear([a('2010-01-01', { valid_to: '2010-06-01' }), a('2014-01-01')])).toBe(2014);
    expect(firstAssessedYear([a('2010-01-01', { valid_to: '2011-06-01' }), a('2014-01-01')])).toBe(2010);
  });
  it('is null without assessments', () => {
    expect(firstAssessedYear([])).toBeNull();
  });
});

describe('seriesYears', () => {
  const c = (iso3: string, first: number) => ({
    iso3, name: iso3, assessed: true, index: 1, band: 'none', coverage: 1, pillars: [],
    series: [2003, 2004, 2005, 2006].map((year) => ({ year, index: year >= first ? 1 : null, assessed: year >= first })),
  });
  it('starts at the first year any country is assessed', () => {
    expect(seriesYears({ dataset_version: '', as_of: '', reference: 'CHN', capabilities: [], countries: [c('A', 2005), c('B', 2004)] })).toEqual([2004, 2005, 2006]);
  });
  it('keeps every year when nobody is assessed', () => {
    expect(seriesYears({ dataset_version: '', as_of: '', reference: 'CHN', capabilities: [], countries: [c('A', 3000)] })).toEqual([2003, 2004, 2005, 2006]);
  });
});
