import { describe, expect, it } from 'vitest';
import { asPointer, describePointer, fieldId, itemPointers, placeErrors, pointerOf, resolvePointer, segments } from '../src/portal/pointers';
import { auditQuery } from '../src/portal/admin';
import { decodeDraft, emptyReport, encodeDraft, newAssessment, newConstraint, newSite, setAt, toInput, toWire, validateReport, type ValidationContext } from '../src/portal/formstate';
import { bboxOf, pointInGeometry } from '../src/portal/pip';
import type { Polygon, MultiPolygon } from 'geojson';
import type { ReportInput } from '../src/portal/types';

describe('pointers', () => {
  it('splits and builds pointers with RFC 6901 escapes', () => {
    expect(segments('/assessments/3/level')).toEqual(['assessments', '3', 'level']);
    expect(segments('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
    expect(segments('')).toEqual([]);
    expect(pointerOf('a/b', 'c~d', 0)).toBe('/a~1b/c~0d/0');
    expect(pointerOf()).toBe('');
  });
  it('gives each pointer a DOM id', () => {
    expect(fieldId('/assessments/0/level')).toBe('f-assessments-0-level');
    expect(fieldId('/period/from')).toBe('f-period-from');
    expect(fieldId('')).toBe('f-report');
    expect(fieldId('/x y/1')).toBe('f-x_y-1');
  });
  it('accepts dotted field names too', () => {
    expect(asPointer('period.from')).toBe('/period/from');
    expect(asPointer('assessments[2].level')).toBe('/assessments/2/level');
    expect(asPointer('/sites/0/lon')).toBe('/sites/0/lon');
  });
  it('places an error on the nearest known field', () => {
    const known = new Set(['/country', '/sites/0', '/sites/0/lon', '/assessments/0', '/assessments/0/sources']);
    expect(resolvePointer('/sites/0/lon', known)).toBe('/sites/0/lon');
    expect(resolvePointer('/sites/0/geometry', known)).toBe('/sites/0');
    expect(resolvePointer('/assessments/0/sources/2/url', known)).toBe('/assessments/0/sources');
    expect(resolvePointer('/constraints/4/date', known)).toBeNull();
    expect(resolvePointer('', known)).toBeNull();
  });
  it('drops no error: unknown pointers are kept for the summary', () => {
    const known = new Set(['/country', '/sites/0']);
    const placed = placeErrors([
      { field: '/country', reason: 'unknown country' },
      { field: '/country', reason: 'unknown country' },
      { field: '/sites/0/lat', reason: 'required, -90 to 90' },
      { field: '', reason: 'too many items' },
    ], known);
    expect(placed.byField.get('/country')).toEqual(['unknown country']);
    expect(placed.byField.get('/sites/0')).toEqual(['Site 1, lat: required, -90 to 90']);
    expect(placed.unplaced).toEqual([{ field: '', reason: 'too many items' }]);
  });
  it('describes pointers for people', () => {
    expect(describePointer('/assessments/0/sources/1/url')).toBe('Assessment 1, source 2, url');
    expect(describePointer('/period/from')).toBe('period, from');
    expect(describePointer('/constraints/2/date')).toBe('Constraint event 3, date');
    expect(describePointer('')).toBe('report');
  });
});

const ctx: ValidationContext = {
  capabilities: new Set(['sanctions.blacklist', 'surveillance.cctv_network']),
  countries: new Set(['KEN', 'CHN']),
  today: '2026-12-02',
};

function valid(): ReportInput {
  const r = emptyReport('KEN');
  r.period = { from: '2020-01-01', to: '2024-12-31' };
  r.assessments.push({ ...newAssessment('sanctions.blacklist'), level: 2, valid_from: '2021-03-01', sources: [{ id: 7 }] });
  r.sites.push({ ...newSite(), name: 'Nairobi safe city', capability: 'surveillance.cctv_network', lon: 36.8, lat: -1.3, sources: [{ url: 'https://example.org/a', title: 'A', publisher: 'P', published: '2020-05-01' }] });
  r.constraints.push({ ...newConstraint(), date: '2022-01-01', title: 'Court ruling', sources: [{ id: 3 }] });
  return r;
}

const fields = (r: ReportInput, c: ValidationContext = ctx) => validateReport(r, c).map((e) => `${e.field} ${e.reason}`);

describe('validateReport (mirrors the server)', () => {
  it('passes a complete report', () => {
    expect(fields(valid())).toEqual([]);
  });
  it('names each bad field by pointer', () => {
    const cases: [string, (r: ReportInput) => void, string][] = [
      ['country missing', (r) => (r.country = ''), '/country required'],
      ['country unknown', (r) => (r.country = 'XXX'), '/country unknown country (ISO 3166-1 alpha-3, as in GET /api/v1/countries)'],
      ['period reversed', (r) => (r.period.to = '2019-01-01'), '/period/to before period.from'],
      ['period in the future', (r) => (r.period.from = '2027-01-01'), '/period/from in the future'],
      ['not a date', (r) => (r.period.from = '2020-02-30'), '/period/from not a date (YYYY-MM-DD)'],
      ['level out of range', (r) => (r.assessments[0].level = 5), '/assessments/0/level must be 0 to 4'],
      ['level missing', (r) => (r.assessments[0].level = null), '/assessments/0/level required: choose a level'],
      ['unknown capability', (r) => (r.assessments[0].capability = 'x.y'), '/assessments/0/capability unknown capability (see GET /api/v1/capabilities)'],
      ['L above level 1', (r) => (r.assessments[0].confidence = 'L'), '/assessments/0/confidence low-confidence (L) claims never ship above level 1'],
      ['level without source', (r) => (r.assessments[0].sources = []), '/assessments/0/sources a level above 0 needs at least one source'],
      ['valid_to not after valid_from', (r) => (r.assessments[0].valid_to = '2021-03-01'), '/assessments/0/valid_to must come after valid_from'],
      ['source without title', (r) => { const s = r.sites[0].sources[0]; if (!('id' in s)) s.title = ''; }, '/sites/0/sources/0/title required'],
      ['source without publisher', (r) => { const s = r.sites[0].sources[0]; if (!('id' in s)) s.publisher = ' '; }, '/sites/0/sources/0/publisher required'],
      ['source with a non-http URL', (r) => { const s = r.sites[0].sources[0]; if (!('id' in s)) s.url = 'ftp://x.org/a'; }, '/sites/0/sources/0/url must be an http or https URL'],
      ['undated source without url', (r) => { const s = r.sites[0].sources[0]; if (!('id' in s)) { s.url = ''; s.published = null; } }, '/sites/0/sources/0/published an undated source needs a url'],
      ['site without a point', (r) => (r.sites[0].lat = null), '/sites/0/lat required, -90 to 90'],
      ['site status unknown', (r) => (r.sites[0].status = 'rumoured'), '/sites/0/status must be one of planned, active, suspended, cancelled, stopped_by_court, concluded'],
      ['site without source', (r) => (r.sites[0].sources = []), '/sites/0/sources a site needs at least one source'],
      ['constraint without title', (r) => (r.constraints[0].title = ''), '/constraints/0/title required'],
      ['constraint kind unknown', (r) => (r.constraints[0].kind = 'tweet'), '/constraints/0/kind must be one of court_ruling, law, regulation, regulator_decision, moratorium, other'],
    ];
    for (const [name, mutate, want] of cases) {
      const r = valid();
      mutate(r);
      expect(fields(r), name).toEqual([want]);
    }
  });
  it('level 0 needs no source; an end date may be in the future', () => {
    const r = valid();
    r.assessments[0].level = 0;
    r.assessments[0].sources = [];
    r.assessments[0].valid_to = '2030-01-01';
    expect(fields(r)).toEqual([]);
  });
  it('refuses a site outside the country when the shape is known', () => {
    const r = valid();
    expect(fields(r, { ...ctx, inside: () => false })).toEqual(['/sites/0/lon outside KEN: a site must lie inside the report’s country']);
    expect(fields(r, { ...ctx, inside: () => null })).toEqual([]);
  });
  it('stops at more than 500 items with one report-level error', () => {
    const r = valid();
    for (let i = 0; i < 500; i++) r.constraints.push(newConstraint());
    const errs = validateReport(r, ctx);
    expect(errs).toHaveLength(1);
    expect(errs[0].field).toBe('');
  });
});

describe('form state', () => {
  it('sets values by pointer and refuses paths that do not exist', () => {
    const r = valid();
    expect(setAt(r, '/assessments/0/level', 3)).toBe(true);
    expect(r.assessments[0].level).toBe(3);
    expect(setAt(r, '/period/from', '2019-01-01')).toBe(true);
    expect(r.period.from).toBe('2019-01-01');
    expect(setAt(r, '/assessments/4/level', 1)).toBe(false);
    expect(setAt(r, '/nothing', 1)).toBe(false);
  });
  it('round-trips the unsaved copy and rejects garbage', () => {
    const r = valid();
    const back = decodeDraft(encodeDraft({ input: r, version: 4, saved_at: 'now' }));
    expect(back?.input).toEqual(r);
    expect(back?.version).toBe(4);
    expect(decodeDraft('{not json')).toBeNull();
    expect(decodeDraft(null)).toBeNull();
    expect(decodeDraft('{"x":1}')).toBeNull();
  });
  it('takes a Report from the API and keeps only the input fields', () => {
    const fromApi = { ...valid(), id: 9, status: 'draft', version: 2, comments: [], sites: [{ ...valid().sites[0], valid_from: null, vendor_country: null }] } as unknown as ReportInput;
    const r = toInput(fromApi);
    expect(Object.keys(r).sort()).toEqual(['assessments', 'constraints', 'country', 'narrative', 'period', 'sites']);
    expect(r.sites[0].valid_from).toBe('');
    expect(r.sites[0].vendor_country).toBe('');
  });
  it('sends nulls for empty optional values and leaves out empty URLs', () => {
    const r = valid();
    r.sites[0].vendor_country = '';
    r.sites[0].valid_from = '';
    r.sites[0].sources = [{ url: '', title: ' T ', publisher: 'P', published: '', archived_url: '' }];
    const w = toWire(r);
    expect(w.sites[0].vendor_country).toBeNull();
    expect(w.sites[0].valid_from).toBeNull();
    expect(w.sites[0].sources[0]).toEqual({ title: 'T', publisher: 'P', published: null });
    expect(w.assessments[0].sources[0]).toEqual({ id: 7 });
    expect(w.assessments[0].valid_to).toBeNull();
  });
});

describe('point in polygon', () => {
  const square: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]] };
  const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: [square.coordinates, [[[20, 20], [22, 20], [22, 22], [20, 22], [20, 20]]]] };
  it('is inside the outer ring and outside holes', () => {
    expect(pointInGeometry(1, 1, square)).toBe(true);
    expect(pointInGeometry(5, 5, square)).toBe(false);
    expect(pointInGeometry(11, 5, square)).toBe(false);
    expect(pointInGeometry(-0.5, 5, square)).toBe(false);
  });
  it('checks every part of a multipolygon', () => {
    expect(pointInGeometry(21, 21, multi)).toBe(true);
    expect(pointInGeometry(15, 15, multi)).toBe(false);
    expect(pointInGeometry(9, 9, multi)).toBe(true);
  });
  it('handles concave shapes', () => {
    const u: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]] };
    expect(pointInGeometry(1.5, 2, u)).toBe(false);
    expect(pointInGeometry(0.5, 2, u)).toBe(true);
    expect(pointInGeometry(2.5, 2.5, u)).toBe(true);
  });
  it('has nothing inside a missing geometry and gives bounding boxes', () => {
    expect(pointInGeometry(0, 0, null)).toBe(false);
    expect(bboxOf(multi)).toEqual([0, 0, 22, 22]);
    expect(bboxOf(null)).toBeNull();
  });
});

describe('review: an error at decision time goes on its item', () => {
  const report = { assessments: [{}, {}], sites: [{}], constraints: [] as unknown[] };
  it('knows the items the page shows', () => {
    expect([...itemPointers(report)]).toEqual(['/assessments/0', '/assessments/1', '/sites/0']);
  });
  it('places a taken site name on the site, and what names no item in the summary', () => {
    const placed = placeErrors([
      { field: '/sites/0/name', reason: 'a site of this name already exists in KEN' },
      { field: '/assessments/1/sources/0/url', reason: 'taken' },
      { field: '/sites/4/name', reason: 'no such item' },
      { field: '', reason: 'the whole report' },
    ], itemPointers(report));
    expect(placed.byField.get('/sites/0')).toEqual(['Site 1, name: a site of this name already exists in KEN']);
    expect(placed.byField.get('/assessments/1')).toEqual(['Assessment 2, source 1, url: taken']);
    expect(placed.byField.has('/assessments/0')).toBe(false);
    expect(placed.unplaced.map((e) => e.field)).toEqual(['/sites/4/name', '']);
  });
});

describe('audit filters', () => {
  it('sends only the filters given, trimmed, in a fixed order', () => {
    expect(auditQuery({})).toBe('');
    expect(auditQuery({ until: '2026-12-01', action: 'login', actor: ' A@example.org ', organisation_id: '' }))
      .toBe('action=login&actor=A%40example.org&until=2026-12-01');
    expect(auditQuery({ since: '2026-11-01', organisation_id: '7', limit: '1' })).toBe('organisation_id=7&since=2026-11-01&limit=1');
  });
});
