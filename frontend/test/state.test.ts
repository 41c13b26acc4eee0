import { describe, expect, it } from 'vitest';
import { apiParams, asOfForYear, decodeState, defaultState, encodeState, encodeWeights, parseWeights, type AppState } from '../src/state';

describe('URL state', () => {
  it('encodes the default state as an empty query', () => {
    expect(encodeState(defaultState())).toBe('');
  });

  it('round-trips a full state', () => {
    const s: AppState = {
      view: 'compare',
      year: 2019,
      mode: 'sanctions.blacklist',
      weights: { identity: 2, 'rating.private_score': 0.5 },
      reference: 'RUS',
      country: 'VEN',
      compare: ['RUS', 'IRN', 'VEN'],
      map: { lon: 12.346, lat: -4.5, zoom: 3.25 },
      sites: true,
      sort: { key: 'coverage', dir: 'asc' },
    };
    const q = encodeState(s);
    expect(q).toBe(
      'view=compare&year=2019&colour=sanctions.blacklist&weights=identity:2,rating.private_score:0.5&reference=RUS&country=VEN&compare=RUS,IRN,VEN&map=3.25/-4.5/12.346&sites=1&sort=coverage:asc',
    );
    expect(decodeState(`?${q}`)).toEqual(s);
  });

  it('is stable: decode(encode(decode(q))) gives the same query', () => {
    const q = 'country=CHN&year=2010&weights=sanctions:1.5,identity:0';
    const once = encodeState(decodeState(q));
    expect(encodeState(decodeState(once))).toBe(once);
    expect(once).toBe('year=2010&weights=identity:0,sanctions:1.5&country=CHN');
  });

  it('falls back to defaults for bad values', () => {
    const s = decodeState('view=globe&year=abc&colour=DROP%20TABLE&reference=china&country=12&compare=RUS,xx,RUS,IRN,CHN,VEN,ZWE&map=99/500/0&sort=name:sideways&sites=yes');
    const d = defaultState();
    expect(s.view).toBe(d.view);
    expect(s.year).toBeNull();
    expect(s.mode).toBe('index');
    expect(s.reference).toBe('CHN'); // "china" is not a code
    expect(s.country).toBeNull();
    expect(s.compare).toEqual(['RUS', 'IRN', 'CHN', 'VEN']); // deduplicated, invalid dropped, at most 4
    expect(s.map).toBeNull();
    expect(s.sort).toEqual(d.sort);
    expect(s.sites).toBe(false);
  });

  it('upper-cases ISO codes from hand-typed links', () => {
    const s = decodeState('country=ven&compare=rus,irn&reference=rus');
    expect(s.country).toBe('VEN');
    expect(s.compare).toEqual(['RUS', 'IRN']);
    expect(s.reference).toBe('RUS');
  });
});

describe('weights', () => {
  it('parses the API format and drops malformed parts', () => {
    expect(parseWeights('identity:2,sanctions:1,rating.private_score:0.5')).toEqual({ identity: 2, sanctions: 1, 'rating.private_score': 0.5 });
    expect(parseWeights('identity:-1,rating:x,:3,Bad:1,a:b:c,governance:')).toEqual({});
    expect(parseWeights('identity:11')).toEqual({});
    expect(parseWeights(null)).toEqual({});
  });

  it('encodes with sorted keys so equal weights give equal URLs', () => {
    expect(encodeWeights({ sanctions: 1, identity: 2 })).toBe('identity:2,sanctions:1');
    expect(encodeWeights({})).toBe('');
  });
});

describe('API parameters', () => {
  it('uses the last day of a past year and nothing for the current year', () => {
    expect(asOfForYear(2015, 2026)).toBe('2015-12-31');
    expect(asOfForYear(2026, 2026)).toBeNull();
    expect(asOfForYear(null, 2026)).toBeNull();
    expect(asOfForYear(2015, null)).toBe('2015-12-31');
  });

  it('sends only non-default parameters', () => {
    expect(apiParams(defaultState(), 2026)).toEqual({});
    const s = { ...defaultState(), year: 2012, weights: { identity: 2 }, reference: 'RUS' };
    expect(apiParams(s, 2026)).toEqual({ as_of: '2012-12-31', weights: 'identity:2', reference: 'RUS' });
  });
});
