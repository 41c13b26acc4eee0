import { describe, expect, it } from 'vitest';
import {
  apiParams,
  asOfForYear,
  clampRecorded,
  decodeEmbed,
  decodeScope,
  decodeState,
  encodeScope,
  embedQuery,
  isDate,
  defaultState,
  encodeState,
  encodeWeights,
  parseWeights,
  sanitizeState,
  weightsAllZero,
  type AppState,
  type DiffusionScope,
  type KnownCodes,
} from '../src/state';

describe('diffusion URL state', () => {
  it('keeps the default series, scope and threshold out of the URL', () => {
    const s = defaultState();
    expect(s.diffusion.series).toEqual(['surveillance.cctv_network', 'sanctions']);
    s.view = 'diffusion';
    expect(encodeState(s)).toBe('view=diffusion');
    expect(decodeState('view=diffusion').diffusion).toEqual(defaultState().diffusion);
  });

  it('decodes each kind of scope and refuses malformed ones', () => {
    expect(decodeScope('region:Africa')).toEqual({ kind: 'region', name: 'Africa' });
    expect(decodeScope("subregion:Côte d'Ivoire-ish")).toEqual({ kind: 'subregion', name: "Côte d'Ivoire-ish" });
    expect(decodeScope('countries:ken,UGA,KEN,x')).toEqual({ kind: 'countries', iso3: ['KEN', 'UGA'] });
    for (const bad of ['', 'world', 'region:', 'region:<script>', 'countries:', 'countries:1,2', 'planet:Earth', 'region:' + 'a'.repeat(80)]) {
      expect(decodeScope(bad)).toEqual({ kind: 'world' });
    }
    const scopes: DiffusionScope[] = [{ kind: 'region', name: 'Americas' }, { kind: 'countries', iso3: ['KAZ', 'KGZ'] }];
    for (const scope of scopes) {
      expect(decodeScope(encodeScope(scope))).toEqual(scope);
    }
  });

  it('falls back to defaults for bad diffusion values', () => {
    const d = decodeState('series=DROP,,&min_level=7&k=0&moran=x%20y&exposure=%3Cb%3E&flows=yes&flows_vendor=china&flows_capability=A.B');
    expect(d.diffusion).toEqual(defaultState().diffusion);
    expect(d.flows).toEqual({ on: false, vendor: null, capability: null });
  });

  it('keeps at most six series, once each', () => {
    const d = decodeState('series=a.a,b,a.a,c,d,e,f,g,h');
    expect(d.diffusion.series).toEqual(['a.a', 'b', 'c', 'd', 'e', 'f']);
  });
});

describe('URL state', () => {
  it('encodes the default state as an empty query', () => {
    expect(encodeState(defaultState())).toBe('');
  });

  it('round-trips a full state', () => {
    const s: AppState = {
      view: 'compare',
      year: 2019,
      recorded: '2026-01-15',
      mode: 'sanctions.blacklist',
      weights: { identity: 2, 'rating.private_score': 0.5 },
      reference: 'RUS',
      country: 'VEN',
      compare: ['RUS', 'IRN', 'VEN'],
      map: { lon: 12.346, lat: -4.5, zoom: 3.25 },
      sites: true,
      sort: { key: 'coverage', dir: 'asc' },
      diffusion: { series: ['sanctions.blacklist', 'surveillance'], scope: { kind: 'subregion', name: 'Eastern Africa' }, minLevel: 3, k: 1, moran: 'sanctions', exposure: 'surveillance' },
      flows: { on: true, vendor: 'CHN', capability: 'surveillance.cctv_network' },
    };
    const q = encodeState(s);
    expect(q).toBe(
      'view=compare&year=2019&recorded_as_of=2026-01-15&colour=sanctions.blacklist&weights=identity:2,rating.private_score:0.5&reference=RUS&country=VEN&compare=RUS,IRN,VEN&map=3.25/-4.5/12.346&sites=1&sort=coverage:asc' +
        '&series=sanctions.blacklist,surveillance&scope=subregion:Eastern+Africa&min_level=3&k=1&moran=sanctions&exposure=surveillance' +
        '&flows=1&flows_vendor=CHN&flows_capability=surveillance.cctv_network',
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

describe('recorded time in the URL (recorded_as_of)', () => {
  it('is absent by default and written right after the year', () => {
    expect(defaultState().recorded).toBeNull();
    expect(encodeState({ ...defaultState(), recorded: '2026-03-01' })).toBe('recorded_as_of=2026-03-01');
    expect(encodeState({ ...defaultState(), year: 2018, recorded: '2026-03-01', country: 'RUS' })).toBe('year=2018&recorded_as_of=2026-03-01&country=RUS');
  });

  it('round-trips through the URL, independently of the year (valid time)', () => {
    const s = decodeState('?recorded_as_of=2025-12-31');
    expect(s.recorded).toBe('2025-12-31');
    expect(s.year).toBeNull();
    expect(decodeState(`?${encodeState(s)}`)).toEqual(s);
  });

  it.each([
    ['not a date', 'yesterday'],
    ['no day', '2026-03'],
    ['a day that does not exist', '2025-02-30'],
    ['month 13', '2025-13-01'],
    ['a time as well', '2026-03-01T10:00'],
    ['too early', '1899-12-31'],
    ['empty', ''],
    ['spaces', ' 2026-03-01'],
  ])('ignores %s (%j)', (_name, value) => {
    expect(decodeState(`recorded_as_of=${encodeURIComponent(value)}`).recorded).toBeNull();
  });

  it('accepts leap days only in leap years', () => {
    expect(isDate('2024-02-29')).toBe(true);
    expect(isDate('2025-02-29')).toBe(false);
    expect(isDate('2000-02-29')).toBe(true);
    expect(isDate('1900-02-29')).toBe(false);
  });

  it('keeps the first value when the parameter is repeated', () => {
    expect(decodeState('recorded_as_of=2026-01-02&recorded_as_of=2026-01-03').recorded).toBe('2026-01-02');
  });

  it('is sent to the API as recorded_as_of, beside as_of', () => {
    expect(apiParams({ ...defaultState(), recorded: '2026-02-01' }, 2026)).toEqual({ recorded_as_of: '2026-02-01' });
    expect(apiParams({ ...defaultState(), year: 2019, recorded: '2026-02-01' }, 2026)).toEqual({ as_of: '2019-12-31', recorded_as_of: '2026-02-01' });
  });
});

describe('clampRecorded', () => {
  it.each([
    ['now stays now', null, '2026-01-10', '2026-12-01', null, false],
    ['a date in range is kept', '2026-05-01', '2026-01-10', '2026-12-01', '2026-05-01', false],
    ['the first day is kept', '2026-01-10', '2026-01-10', '2026-12-01', '2026-01-10', false],
    ['today is kept', '2026-12-01', '2026-01-10', '2026-12-01', '2026-12-01', false],
    ['before the first recording moves to it', '2020-01-01', '2026-01-10', '2026-12-01', '2026-01-10', true],
    ['the future becomes now', '2027-01-01', '2026-01-10', '2026-12-01', null, true],
    ['unknown bounds keep the date', '2020-01-01', null, null, '2020-01-01', false],
  ] as [string, string | null, string | null, string | null, string | null, boolean][])('%s', (_name, value, first, today, want, hasReason) => {
    const out = clampRecorded(value, first, today);
    expect(out.recorded).toBe(want);
    expect(out.reason !== null).toBe(hasReason);
  });
});

describe('embed query', () => {
  const s = decodeState('view=compare&year=2019&recorded_as_of=2026-01-15&colour=sanctions&weights=identity:2&reference=RUS&country=VEN&compare=RUS,IRN&map=3/10/20&sites=1&sort=name:asc');

  it('keeps what the map draws and drops the app chrome (view, profile, sort)', () => {
    expect(embedQuery(s, 'map')).toBe('year=2019&recorded_as_of=2026-01-15&colour=sanctions&weights=identity:2&reference=RUS&map=3/10/20&sites=1');
  });

  it('keeps the compared countries for a chart, not the map', () => {
    expect(embedQuery(s, 'line')).toBe('year=2019&recorded_as_of=2026-01-15&weights=identity:2&reference=RUS&compare=RUS,IRN&chart=line');
    expect(embedQuery(defaultState(), 'radar')).toBe('chart=radar');
    expect(embedQuery(defaultState(), 'map')).toBe('');
  });

  it('decodes back to the same picture', () => {
    for (const chart of ['map', 'line', 'radar'] as const) {
      const back = decodeEmbed(`?${embedQuery(s, chart)}`);
      expect(back.chart).toBe(chart);
      expect(back.state.recorded).toBe('2026-01-15');
      expect(back.state.year).toBe(2019);
      expect(back.state.reference).toBe('RUS');
    }
    expect(decodeEmbed('chart=pie').chart).toBe('map');
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

// A small taxonomy in the shape of /api/v1/pillars.
const PILLARS = [
  { code: 'identity', capabilities: ['identity.biometric_id', 'identity.real_name_online'] },
  { code: 'rating', capabilities: ['rating.private_score'] },
  { code: 'sanctions', capabilities: ['sanctions.blacklist'] },
];
const REFERENCES = new Set(['CHN', 'RUS', 'VEN']);
const KNOWN: KnownCodes = { pillars: PILLARS, references: REFERENCES };

describe('weightsAllZero', () => {
  it.each([
    ['default weights', {}, false],
    ['one pillar left', { identity: 0, rating: 0 }, false],
    ['every pillar zero', { identity: 0, rating: 0, sanctions: 0 }, true],
    ['every pillar and a capability zero', { identity: 0, rating: 0, sanctions: 0, 'rating.private_score': 0 }, true],
    ['a capability weight keeps a zeroed pillar', { identity: 0, rating: 0, sanctions: 0, 'identity.biometric_id': 0.5 }, false],
    ['every capability zero', { 'identity.biometric_id': 0, 'identity.real_name_online': 0, 'rating.private_score': 0, 'sanctions.blacklist': 0 }, true],
    ['negative and non-finite count as zero', { identity: -1, rating: Number.NaN, sanctions: Number.POSITIVE_INFINITY }, true],
  ])('%s', (_name, w, want) => {
    expect(weightsAllZero(w, PILLARS)).toBe(want);
  });

  it('cannot judge an empty taxonomy', () => {
    expect(weightsAllZero({ identity: 0 }, [])).toBe(false);
  });
});

describe('sanitizeState', () => {
  const state = (q: string) => decodeState(q);
  it.each([
    // [name, query, known, want query after sanitizing, dropped params]
    ['a valid state is kept', 'weights=identity:2,rating.private_score:0.5&reference=RUS&colour=sanctions', KNOWN, 'colour=sanctions&weights=identity:2,rating.private_score:0.5&reference=RUS', []],
    ['an unknown weight key is dropped', 'weights=constructor:1', KNOWN, '', ['weights']],
    ['only the unknown keys are dropped', 'weights=constructor:1,identity:2', KNOWN, 'weights=identity:2', ['weights']],
    ['an unknown capability is dropped', 'weights=sanctions.nope:3,sanctions:0', KNOWN, 'weights=sanctions:0', ['weights']],
    ['weights that would all be zero fall back to the defaults', 'weights=identity:0,rating:0,sanctions:0', KNOWN, '', ['weights']],
    ['all zero after dropping unknown keys', 'weights=identity:0,rating:0,sanctions:0,constructor:5', KNOWN, '', ['weights', 'weights']],
    ['an unknown reference falls back to CHN', 'reference=ZZZ&year=2015', KNOWN, 'year=2015', ['reference']],
    ['an unknown colour falls back to the index', 'colour=constructor', KNOWN, '', ['colour']],
    ['the default reference is never dropped', '', { pillars: PILLARS, references: new Set(['RUS']) }, '', []],
    ['nothing is checked before anything is known', 'weights=constructor:1&reference=ZZZ', { pillars: null, references: null }, 'weights=constructor:1&reference=ZZZ', []],
    ['weights are checked without a country list', 'weights=constructor:1&reference=ZZZ', { pillars: PILLARS, references: null }, 'reference=ZZZ', ['weights']],
    ['the reference is checked without a taxonomy', 'weights=constructor:1&reference=ZZZ', { pillars: null, references: REFERENCES }, 'weights=constructor:1', ['reference']],
  ] as [string, string, KnownCodes, string, string[]][])('%s', (_name, q, known, want, params) => {
    const { state: out, dropped } = sanitizeState(state(q), known);
    expect(encodeState(out)).toBe(want);
    expect(dropped.map((d) => d.param)).toEqual(params);
  });

  it('drops negative and non-finite weights set by code', () => {
    const s = { ...defaultState(), weights: { identity: -1, rating: Number.NaN, sanctions: 2 } };
    const { state: out, dropped } = sanitizeState(s, KNOWN);
    expect(out.weights).toEqual({ sanctions: 2 });
    expect(dropped).toHaveLength(2);
  });

  it('returns the same object when nothing changed and never mutates its input', () => {
    const s = state('weights=identity:2');
    expect(sanitizeState(s, KNOWN).state).toBe(s);
    const bad = state('weights=constructor:1&reference=ZZZ');
    const copy = structuredClone(bad);
    sanitizeState(bad, KNOWN);
    expect(bad).toEqual(copy);
  });

  it('says what was dropped and why', () => {
    const { dropped } = sanitizeState(state('weights=constructor:1&reference=ZZZ'), KNOWN);
    expect(dropped).toEqual([
      { param: 'weights', value: 'constructor', reason: 'not a pillar or capability' },
      { param: 'reference', value: 'ZZZ', reason: 'not an assessed country; CHN is the reference' },
    ]);
  });
});
