import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, buildUrl, describeError, exportUrl, getJSON } from '../src/api';
import { sitesAt } from '../src/sites';
import type { SiteCollection } from '../src/api';

describe('URLs', () => {
  it('orders parameters and drops empty ones', () => {
    expect(buildUrl('/api/v1/index', { weights: 'identity:2,sanctions:1', as_of: '2015-12-31', reference: '' })).toBe(
      '/api/v1/index?as_of=2015-12-31&weights=identity:2,sanctions:1',
    );
    expect(buildUrl('/api/v1/index', {})).toBe('/api/v1/index');
  });

  it('builds CSV links with the current parameters', () => {
    const p = { as_of: '2019-12-31', reference: 'RUS' };
    expect(exportUrl('index', p)).toBe('/api/v1/export/index.csv?as_of=2019-12-31&reference=RUS');
    expect(exportUrl('assessments', p)).toBe('/api/v1/export/assessments.csv');
  });
});

describe('errors', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('turns a problem document into an ApiError', async () => {
    const body = { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'invalid weights', errors: [{ field: 'weights', reason: 'unknown code foo' }] };
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/problem+json' } })));
    const err = (await getJSON('/api/v1/index?weights=foo:1').catch((e) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(describeError(err)).toBe('Bad Request (HTTP 400). invalid weights. weights: unknown code foo');
  });

  it('reports a network failure', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    const err = await getJSON('/api/v1/index').catch((e) => e);
    expect(describeError(err)).toBe('Network error. Could not reach the tracker API (Failed to fetch).');
  });

  it('keeps the status line when the body is not JSON', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })));
    expect(describeError(await getJSON('/x').catch((e) => e))).toBe('Bad Gateway (HTTP 502)');
  });
});

describe('sitesAt', () => {
  const site = (id: string, valid_from: string | null, valid_to: string | null) => ({
    type: 'Feature' as const,
    geometry: { type: 'Point' as const, coordinates: [0, 0] },
    properties: { id, name: id, country: 'VEN', capability: 'x', status: 'active', vendor: null, vendor_country: 'CHN', financier: null, valid_from, valid_to, confidence: 'H', precision: 'city', sources: [] },
  });
  const fc: SiteCollection = { type: 'FeatureCollection', features: [site('a', '2017', null), site('b', '2010-05-01', '2015-01-01'), site('c', null, null)] };
  it('keeps the sites that existed on the date', () => {
    expect(sitesAt(fc, '2012-12-31').features.map((f) => f.properties.id)).toEqual(['b', 'c']);
    expect(sitesAt(fc, '2017-12-31').features.map((f) => f.properties.id)).toEqual(['a', 'c']);
    expect(sitesAt(fc, null)).toBe(fc);
  });
});
