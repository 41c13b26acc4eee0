// The choropleth map (MapLibre GL JS, bundled and loaded lazily).
//
// The style has no external resources: an ocean background plus our own
// country GeoJSON (110m for the world view, 50m once zoom reaches 3). Colours
// live in feature state (`k` = class 0..4 or -1 for not assessed; `t` = the
// colour rests on thin evidence), so a time step or a new colour mode only
// calls setFeatureState: no geometry refetch, no style change.

import { Map as MapLibreMap, NavigationControl, AttributionControl, Popup, setWorkerUrl } from 'maplibre-gl';
import type { MapGeoJSONFeature, MapLayerMouseEvent } from 'maplibre-gl';
import type { StyleSpecification, LayerSpecification, ExpressionSpecification } from '@maplibre/maplibre-gl-style-spec';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { NOT_ASSESSED, NOT_ASSESSED_FILL, PALETTE, SITE_CHN, SITE_OTHER } from './colours';
import { hatchPattern, thinPattern } from './patterns';
import type { CountryGeo, SiteCollection } from './api';
import type { MapView } from './state';
import { sitePopup } from './sites';

setWorkerUrl(workerUrl);

type Resolution = '110m' | '50m';
const DETAIL_ZOOM = 3;
const OCEAN = '#e6edf2';
const WORLD: [[number, number], [number, number]] = [[-168, -56], [190, 78]];

export interface MapHandlers {
  onHover(iso3: string | null, point: { x: number; y: number } | null): void;
  onClick(iso3: string): void;
  onMove(view: MapView): void;
  /** A readable name for a capability code (site popups). */
  capabilityName(code: string): string;
}

export interface MapController {
  map: MapLibreMap;
  /** Colour classes, and the countries whose colour rests on thin evidence. */
  setClasses(classes: Map<string, number>, thin: ReadonlySet<string>): void;
  setSelected(iso3: string | null): void;
  setSites(fc: SiteCollection | null): void;
  fitBbox(bbox: [number, number, number, number]): void;
  fillLayers(): string[];
  /** Layers drawn over the countries whose clicks are their own (not a country's); other modules may add theirs. */
  overlays: Set<string>;
  resize(): void;
  /** Resolves after the next fully rendered frame. */
  idle(): Promise<void>;
}

const classExpr: ExpressionSpecification = ['to-number', ['coalesce', ['feature-state', 'k'], NOT_ASSESSED]];

function countryLayers(res: Resolution): LayerSpecification[] {
  const zoom = res === '110m' ? {} : { minzoom: DETAIL_ZOOM };
  const fillColour: ExpressionSpecification = ['match', classExpr, 0, PALETTE[0], 1, PALETTE[1], 2, PALETTE[2], 3, PALETTE[3], 4, PALETTE[4], NOT_ASSESSED_FILL];
  return [
    { id: `${res}-fill`, type: 'fill', source: res, ...zoom, paint: { 'fill-color': fillColour } },
    // `${res}-hatch` and `${res}-thin` (they need their images) are inserted here by addPatterns().
    { id: `${res}-line`, type: 'line', source: res, ...zoom, paint: { 'line-color': '#ffffff', 'line-width': 0.6 } },
    {
      id: `${res}-focus`, type: 'line', source: res, ...zoom,
      paint: {
        'line-color': '#111111',
        'line-width': ['case', ['boolean', ['feature-state', 'sel'], false], 2.2, 1.4],
        'line-opacity': ['case', ['boolean', ['feature-state', 'sel'], false], 1, ['boolean', ['feature-state', 'hover'], false], 0.85, 0],
      },
    },
  ];
}

/**
 * The hatch over not-assessed countries and the stripes over colours resting
 * on thin evidence; added once the pattern images exist.
 */
function addPatterns(map: MapLibreMap, res: Resolution): void {
  const zoom = res === '110m' ? {} : { minzoom: DETAIL_ZOOM };
  map.addLayer({
    id: `${res}-hatch`, type: 'fill', source: res, ...zoom,
    paint: { 'fill-pattern': 'hatch', 'fill-opacity': ['case', ['<', classExpr, 0], 1, 0] },
  }, `${res}-line`);
  map.addLayer({
    id: `${res}-thin`, type: 'fill', source: res, ...zoom,
    paint: { 'fill-pattern': 'thin', 'fill-opacity': ['case', ['boolean', ['feature-state', 't'], false], 1, 0] },
  }, `${res}-line`);
}

function baseStyle(geo: CountryGeo): StyleSpecification {
  return {
    version: 8,
    sources: {
      '110m': { type: 'geojson', data: geo, promoteId: 'iso3' },
      sites: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'ocean', type: 'background', paint: { 'background-color': OCEAN } },
      ...countryLayers('110m'),
      {
        id: 'sites-circle', type: 'circle', source: 'sites',
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 1, 4, 6, 8],
          // Chinese vendor: filled vermilion; any other vendor: a white dot with a dark ring
          // (told apart by shape as well as colour, and never confused with the palette).
          'circle-color': ['match', ['get', 'vendor_country'], 'CHN', SITE_CHN, '#ffffff'],
          'circle-stroke-color': ['match', ['get', 'vendor_country'], 'CHN', '#ffffff', SITE_OTHER],
          'circle-stroke-width': ['match', ['get', 'vendor_country'], 'CHN', 1.5, 2.5],
        },
      },
    ],
  };
}

function isoOf(f: MapGeoJSONFeature | undefined): string | null {
  if (!f) return null;
  return String(f.id ?? f.properties?.iso3 ?? '') || null;
}

/** Creates the map in `container`; resolves once the style has loaded (tiles may still be loading). */
export async function createMap(
  container: HTMLElement,
  geo110: CountryGeo,
  view: MapView | null,
  handlers: MapHandlers,
  load50m: () => Promise<CountryGeo>,
): Promise<MapController> {
  const map = new MapLibreMap({
    container,
    style: baseStyle(geo110),
    ...(view ? { center: [view.lon, view.lat] as [number, number], zoom: view.zoom } : { bounds: WORLD }),
    minZoom: 0,
    maxZoom: 9,
    renderWorldCopies: false,
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
    canvasContextAttributes: { preserveDrawingBuffer: true },
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new AttributionControl({ compact: true, customAttribution: 'Boundaries: Natural Earth' }), 'bottom-right');
  map.getCanvas().setAttribute('aria-label', 'World map of the resemblance index. Use the country list or the table view for keyboard access.');

  // Resolve as soon as the style exists (before the first render), so the
  // caller can set colours that the very first frame already shows.
  await new Promise<void>((resolve) => (map.isStyleLoaded() ? resolve() : map.once('style.load', () => resolve())));
  map.addImage('hatch', hatchPattern());
  map.addImage('thin', thinPattern());
  addPatterns(map, '110m');

  const resolutions: Resolution[] = ['110m'];
  const ids = new Set(geo110.features.map((f) => String(f.properties?.iso3 ?? f.id)));
  let classes = new Map<string, number>();
  let thin: ReadonlySet<string> = new Set<string>();
  let selected: string | null = null;
  let hovered: string | null = null;
  let siteProps = new Map<string, SiteCollection['features'][number]['properties']>();
  const overlays = new Set(['sites-circle']);

  const applyClasses = () => {
    for (const src of resolutions) {
      for (const iso of ids) map.setFeatureState({ source: src, id: iso }, { k: classes.get(iso) ?? NOT_ASSESSED, t: thin.has(iso) });
    }
  };
  const setState = (iso: string | null, key: 'sel' | 'hover', value: boolean) => {
    if (!iso) return;
    for (const src of resolutions) map.setFeatureState({ source: src, id: iso }, { [key]: value });
  };

  const bindLayer = (res: Resolution) => {
    const fill = `${res}-fill`;
    map.on('mousemove', fill, (e: MapLayerMouseEvent) => {
      const iso = isoOf(e.features?.[0]);
      if (iso !== hovered) {
        setState(hovered, 'hover', false);
        hovered = iso;
        setState(hovered, 'hover', true);
      }
      map.getCanvas().style.cursor = iso ? 'pointer' : '';
      handlers.onHover(iso, e.point);
    });
    map.on('mouseleave', fill, () => {
      setState(hovered, 'hover', false);
      hovered = null;
      map.getCanvas().style.cursor = '';
      handlers.onHover(null, null);
    });
    map.on('click', fill, (e: MapLayerMouseEvent) => {
      const over = [...overlays].filter((id) => map.getLayer(id));
      if (map.queryRenderedFeatures(e.point, { layers: over }).length) return;
      const iso = isoOf(e.features?.[0]);
      if (iso) handlers.onClick(iso);
    });
  };
  bindLayer('110m');

  let loading50 = false;
  const ensureDetail = async () => {
    if (map.getZoom() < DETAIL_ZOOM || loading50 || resolutions.includes('50m')) return;
    loading50 = true;
    try {
      const geo50 = await load50m();
      geo50.features.forEach((f) => ids.add(String(f.properties?.iso3 ?? f.id)));
      map.addSource('50m', { type: 'geojson', data: geo50, promoteId: 'iso3' });
      for (const layer of countryLayers('50m')) map.addLayer(layer, 'sites-circle');
      addPatterns(map, '50m');
      for (const id of ['fill', 'hatch', 'thin', 'line', 'focus']) map.setLayerZoomRange(`110m-${id}`, 0, DETAIL_ZOOM);
      resolutions.push('50m');
      bindLayer('50m');
      applyClasses();
      setState(selected, 'sel', true);
    } catch {
      loading50 = false; // keep the 110m layers; try again on the next zoom
    }
  };
  map.on('zoomend', ensureDetail);
  void ensureDetail();

  map.on('moveend', () => {
    const c = map.getCenter();
    handlers.onMove({ lon: c.lng, lat: c.lat, zoom: map.getZoom() });
  });

  map.on('click', 'sites-circle', (e: MapLayerMouseEvent) => {
    const f = e.features?.[0];
    const props = f ? siteProps.get(String(f.properties?.id)) : undefined;
    if (!f || !props || f.geometry.type !== 'Point') return;
    new Popup({ maxWidth: '300px', focusAfterOpen: true })
      .setLngLat(f.geometry.coordinates as [number, number])
      .setDOMContent(sitePopup(props, handlers.capabilityName))
      .addTo(map);
  });
  map.on('mouseenter', 'sites-circle', () => (map.getCanvas().style.cursor = 'pointer'));
  map.on('mouseleave', 'sites-circle', () => (map.getCanvas().style.cursor = ''));

  return {
    map,
    setClasses(next, nextThin) {
      classes = next;
      thin = nextThin;
      applyClasses();
    },
    setSelected(iso) {
      setState(selected, 'sel', false);
      selected = iso;
      setState(selected, 'sel', true);
    },
    setSites(fc) {
      siteProps = new Map((fc?.features ?? []).map((f) => [String(f.properties.id), f.properties]));
      const src = map.getSource('sites') as { setData(d: unknown): void } | undefined;
      src?.setData(fc ?? { type: 'FeatureCollection', features: [] });
    },
    fitBbox(b) {
      // A box crossing the antimeridian comes as west > east (RFC 7946 §5.2); MapLibre wants east past 180.
      const east = b[2] < b[0] ? b[2] + 360 : b[2];
      map.fitBounds([[b[0], b[1]], [east, b[3]]], { padding: 40, maxZoom: 5, duration: 600 });
    },
    fillLayers: () => resolutions.map((r) => `${r}-fill`),
    overlays,
    resize: () => map.resize(),
    idle() {
      return new Promise<void>((resolve) => {
        map.once('idle', () => resolve());
        map.triggerRepaint();
      });
    },
  };
}
