import { describe, expect, it } from 'vitest';
import { fixAntimeridian, unwrapPolygon, unwrapRing } from '../src/geometry';
import type { FeatureCollection, Polygon } from 'geojson';

describe('antimeridian repair', () => {
  it('leaves ordinary rings untouched (same array)', () => {
    const ring = [[0, 0], [10, 0], [10, 10], [0, 0]];
    expect(unwrapRing(ring)).toBe(ring);
  });

  it('unwraps a ring that crosses 180° so it stays continuous', () => {
    const ring = [[170, 60], [-170, 60], [-170, 70], [170, 70], [170, 60]];
    expect(unwrapRing(ring)).toEqual([[170, 60], [190, 60], [190, 70], [170, 70], [170, 60]]);
  });

  it('closes a ring that circles the south pole along the pole', () => {
    const ring = [[-180, -80], [-60, -75], [60, -75], [179, -80], [-180, -80]];
    const out = unwrapRing(ring);
    expect(out[0]).toEqual([-180, -80]);
    expect(out.slice(-5)).toEqual([[179, -80], [180, -80], [180, -85.0511], [-180, -85.0511], [-180, -80]]);
    for (let i = 1; i < out.length; i++) expect(Math.abs(out[i][0] - out[i - 1][0])).toBeLessThanOrEqual(360);
    expect(out.at(-1)).toEqual(out[0]);
  });

  it('keeps holes next to their shell', () => {
    const shell = [[170, 60], [-170, 60], [-170, 70], [170, 70], [170, 60]];
    const hole = [[-178, 64], [-176, 64], [-176, 66], [-178, 64]];
    const [, h] = unwrapPolygon([shell, hole]);
    expect(h.map((p) => p[0])).toEqual([182, 184, 184, 182]);
  });

  it('repairs a feature collection without touching properties', () => {
    const fc: FeatureCollection<Polygon, { iso3: string }> = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', id: 'FJI', properties: { iso3: 'FJI' }, geometry: { type: 'Polygon', coordinates: [[[179, -17], [-179, -17], [-179, -16], [179, -17]]] } }],
    };
    const out = fixAntimeridian(fc);
    expect(out.features[0].properties).toEqual({ iso3: 'FJI' });
    expect(out.features[0].geometry.coordinates[0].map((p) => p[0])).toEqual([179, 181, 181, 179]);
  });
});
