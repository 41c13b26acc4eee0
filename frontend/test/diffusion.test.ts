import { describe, expect, it } from 'vitest';
import { arc, flowFeatures, flowSummary, flowTitle, vendorCountries } from '../src/flows';
import { curvesParams, exposureCode, exposureParams, flowsParams, moranParams, seriesParams, shareParams } from '../src/diffusionparams';
import { decodeState, defaultState, type AppState } from '../src/state';
import type { Flow } from '../src/types';

const flow = (from: string, to: string, sites: number, extra: Partial<Flow> = {}): Flow => ({
  from, from_name: `${from} name`, to, to_name: `${to} name`, from_point: [0, 0], to_point: [10, 0], domestic: from === to,
  sites, capabilities: ['surveillance.cctv_network'], first_year: 2015, statuses: { active: sites }, site_list: [], ...extra,
});

describe('arcs', () => {
  it('runs from one point to the other, bending left of the direction of travel', () => {
    const line = arc([0, 0], [10, 0], 4);
    expect(line).toHaveLength(5);
    expect(line[0]).toEqual([0, 0]);
    expect(line[4]).toEqual([10, 0]);
    // Control point (5, 2): at t = 1/2 the curve is at 1/4·P0 + 1/2·C + 1/4·P2 = (5, 1).
    expect(line[2]).toEqual([5, 1]);
    // The way back bends the other way, so the two arcs do not overlap.
    expect(arc([10, 0], [0, 0], 4)[2]).toEqual([5, -1]);
  });

  it('keeps latitudes on the map', () => {
    for (const [, lat] of arc([-170, 80], [170, 84], 16)) expect(Math.abs(lat)).toBeLessThanOrEqual(85);
  });

  it('makes one arc per flow between two countries and one end per flow', () => {
    const { arcs, ends } = flowFeatures([flow('CHN', 'ECU', 2), flow('KAZ', 'KAZ', 3), flow('JPN', 'GBR', 1)]);
    expect(arcs.features.map((f) => [f.properties.from, f.properties.to, f.properties.chn])).toEqual([['CHN', 'ECU', true], ['JPN', 'GBR', false]]);
    expect(ends.features.map((f) => [f.properties.i, f.properties.domestic, f.geometry.coordinates])).toEqual([[0, false, [10, 0]], [1, true, [10, 0]], [2, false, [10, 0]]]);
  });

  it('lists vendor countries by sites, and describes a flow', () => {
    expect(vendorCountries([flow('JPN', 'GBR', 1), flow('CHN', 'ECU', 2), flow('CHN', 'KEN', 2), flow('BRA', 'BRA', 1)]).map((v) => [v.iso3, v.sites]))
      .toEqual([['CHN', 4], ['BRA', 1], ['JPN', 1]]);
    expect(flowTitle(flow('CHN', 'ECU', 1))).toBe('CHN name → ECU name');
    expect(flowTitle(flow('KAZ', 'KAZ', 3))).toBe('KAZ name (domestic vendor)');
    expect(flowSummary(flow('CHN', 'PHL', 2, { statuses: { cancelled: 1, stopped_by_court: 1 }, first_year: null })))
      .toBe('2 sites · start not known · cancelled 1, stopped by court 1');
  });
});

function state(q: string): AppState {
  return decodeState(q);
}

describe('diffusion API parameters', () => {
  it('splits series into capabilities and pillars', () => {
    expect(seriesParams(['a.b', 'p', 'c.d'])).toEqual({ capability: 'a.b,c.d', pillar: 'p' });
    expect(seriesParams([])).toEqual({});
  });

  it('asks for the default view with no date, threshold or scope', () => {
    expect(curvesParams(defaultState(), 2026)).toEqual({ capability: 'surveillance.cctv_network', pillar: 'sanctions' });
    expect(moranParams(defaultState(), 2026)).toEqual({});
    expect(shareParams(defaultState(), 2026)).toEqual({});
    expect(flowsParams(defaultState(), 2026)).toEqual({});
  });

  it('follows the slider, the recorded date, the scope and the threshold', () => {
    const s = state('year=2019&recorded_as_of=2026-11-30&series=rating,sanctions.blacklist&scope=subregion:Eastern+Africa&min_level=3&k=1&moran=surveillance');
    expect(curvesParams(s, 2026)).toEqual({
      capability: 'sanctions.blacklist', pillar: 'rating', min_level: '3', min_capabilities: '1', subregion: 'Eastern Africa',
      as_of: '2019-12-31', recorded_as_of: '2026-11-30',
    });
    expect(moranParams(s, 2026)).toEqual({ pillar: 'surveillance', subregion: 'Eastern Africa', as_of: '2019-12-31', recorded_as_of: '2026-11-30' });
    // Sites have no recorded history: the flows take as_of only.
    expect(shareParams(s, 2026)).toEqual({ subregion: 'Eastern Africa', as_of: '2019-12-31' });
  });

  it('sends min_capabilities only with a pillar', () => {
    expect(curvesParams(state('series=a.b&k=3'), 2026)).toEqual({ capability: 'a.b' });
  });

  it('shows the exposure of the series chosen, or of the first', () => {
    const s = state('series=a.b,c&exposure=c&k=3&scope=countries:KEN,UGA');
    expect(exposureCode(s)).toBe('c');
    expect(exposureParams(s, 2026)).toEqual({ pillar: 'c', min_capabilities: '3', iso3: 'KEN,UGA' });
    expect(exposureCode(state('series=a.b,c&exposure=x.y'))).toBe('a.b');
  });

  it("takes the map layer's filters", () => {
    expect(flowsParams(state('flows=1&flows_vendor=chn&flows_capability=surveillance&year=2018'), 2026))
      .toEqual({ vendor_country: 'CHN', pillar: 'surveillance', as_of: '2018-12-31' });
  });
});
