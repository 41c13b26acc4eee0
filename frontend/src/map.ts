// The choropleth map (MapLibre GL JS, bundled and loaded lazily).
//
// The style has no external resources: an ocean background plus our own
// country vector tiles (/tiles/countries.json: geometry only, simplified per
// zoom, cached as immutable under the data revision). Colours live in feature
// state (`k` = class 0..4 or -1 for not assessed; `t` = the colour rests on
// thin evidence), keyed by the tiles' `id` (ISO3), so a time step or a new
// colour mode only calls setFeatureState: no tile request, no style change.

import { Map as MapLibreMap, NavigationControl, AttributionControl, Popup, setWorkerUrl } from 'maplibre-gl';
import type { MapGeoJSONFeature, MapLayerMouseEvent } from 'maplibre-gl';
import type { StyleSpecification, LayerSpecification, ExpressionSpecification } from '@maplibre/maplibre-gl-style-spec';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { NOT_ASSESSED, NOT_ASSESSED_FILL, PALETTE, SITE_CHN, SITE_OTHER } from './colours';
import { hatchPattern, thinPattern } from './patterns';
import type { SiteCollection } from './api';
import type { MapView } from './state';
import { sitePopup } from './sites';

setWorkerUrl(workerUrl);

/** The vector source and its one layer (api/tiles.go). */
const SOURCE = 'countries';
const SOURCE_LAYER = 'countries';
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

const src = { source: SOURCE, 'source-layer': SOURCE_LAYER } as const;

function countryLayers(): LayerSpecification[] {
  const fillColour: ExpressionSpecification = ['match', classExpr, 0, PALETTE[0], 1, PALETTE[1], 2, PALETTE[2], 3, PALETTE[3], 4, PALETTE[4], NOT_ASSESSED_FILL];
  return [
    { id: 'countries-fill', type: 'fill', ...src, paint: { 'fill-color': fillColour } },
    // 'countries-hatch' and 'countries-thin' (they need their images) are inserted here by addPatterns().
    { id: 'countries-line', type: 'line', ...src, paint: { 'line-color': '#ffffff', 'line-width': 0.6 } },
    {
      id: 'countries-focus', type: 'line', ...src,
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
function addPatterns(map: MapLibreMap): void {
  map.addLayer({
    id: 'countries-hatch', type: 'fill', ...src,
    paint: { 'fill-pattern': 'hatch', 'fill-opacity': ['case', ['<', classExpr, 0], 1, 0] },
  }, 'countries-line');
  map.addLayer({
    id: 'countries-thin', type: 'fill', ...src,
    paint: { 'fill-pattern': 'thin', 'fill-opacity': ['case', ['boolean', ['feature-state', 't'], false], 1, 0] },
  }, 'countries-line');
}

function baseStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {
      // The TileJSON's tile URLs carry the data revision; they are absolute on this origin.
      [SOURCE]: { type: 'vector', url: new URL('/tiles/countries.json', location.href).href, promoteId: { [SOURCE_LAYER]: 'id' } },
      sites: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'ocean', type: 'background', paint: { 'background-color': OCEAN } },
      ...countryLayers(),
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
  view: MapView | null,
  handlers: MapHandlers,
): Promise<MapController> {
  const map = new MapLibreMap({
    container,
    style: baseStyle(),
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
  addPatterns(map);

  // Every country whose state was ever set: a country that loses its colour
  // (a year before its first assessment) is set back to not assessed.
  const ids = new Set<string>();
  let classes = new Map<string, number>();
  let thin: ReadonlySet<string> = new Set<string>();
  let selected: string | null = null;
  let hovered: string | null = null;
  let siteProps = new Map<string, SiteCollection['features'][number]['properties']>();
  const overlays = new Set(['sites-circle']);

  const feature = (id: string) => ({ source: SOURCE, sourceLayer: SOURCE_LAYER, id });
  const applyClasses = () => {
    for (const iso of classes.keys()) ids.add(iso);
    for (const iso of thin) ids.add(iso);
    for (const iso of ids) map.setFeatureState(feature(iso), { k: classes.get(iso) ?? NOT_ASSESSED, t: thin.has(iso) });
  };
  const setState = (iso: string | null, key: 'sel' | 'hover', value: boolean) => {
    if (iso) map.setFeatureState(feature(iso), { [key]: value });
  };

  {
    const fill = 'countries-fill';
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
  }

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
    fillLayers: () => ['countries-fill'],
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
