// The small map of one country on which a partner places sites (MapLibre,
// loaded lazily with this module; only our own GeoJSON, no tiles from any
// other host). A click inside the country places the active site; a click
// outside is refused with the reason (the server's 422 says the same).

import type { Map as MapLibreMap, GeoJSONSource } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { Feature, FeatureCollection, Geometry, Point } from 'geojson';
import { bboxOf } from './pip';

export interface SiteMap {
  map: MapLibreMap;
  setPoints(points: { lon: number; lat: number; label: string; active: boolean }[]): void;
  destroy(): void;
}

// MapLibre is imported on its own, like the app's map does, so both builds
// produce the same hashed MapLibre file (the binary embeds it once).
export async function createSiteMap(
  container: HTMLElement,
  country: Feature<Geometry>,
  onClick: (lon: number, lat: number) => void,
): Promise<SiteMap> {
  const { Map: MapLibre, NavigationControl, setWorkerUrl } = await import('maplibre-gl');
  setWorkerUrl(workerUrl);
  const bbox = bboxOf(country.geometry) ?? [-180, -60, 180, 80];
  const map: MapLibreMap = new MapLibre({
    container,
    style: {
      version: 8,
      sources: {
        country: { type: 'geojson', data: country },
        points: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      },
      layers: [
        { id: 'bg', type: 'background', paint: { 'background-color': '#e6edf2' } },
        { id: 'country-fill', type: 'fill', source: 'country', paint: { 'fill-color': '#f4f1e8' } },
        { id: 'country-line', type: 'line', source: 'country', paint: { 'line-color': '#1d2733', 'line-width': 1.2 } },
        {
          id: 'points', type: 'circle', source: 'points',
          paint: {
            'circle-radius': ['case', ['get', 'active'], 8, 6],
            'circle-color': ['case', ['get', 'active'], '#e08a00', '#0b5cad'],
            'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2,
          },
        },
      ],
    },
    bounds: [[bbox[0], bbox[1]], [bbox[2], bbox[3]]],
    fitBoundsOptions: { padding: 16 },
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
  });
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  map.getCanvas().setAttribute('aria-label', `Map of ${String(country.properties?.name ?? 'the country')}: click to place the site`);
  map.on('click', (e) => onClick(Number(e.lngLat.lng.toFixed(5)), Number(e.lngLat.lat.toFixed(5))));
  let pending: FeatureCollection<Point> | null = null;
  const apply = () => {
    const src = map.getSource('points') as GeoJSONSource | undefined;
    if (src && pending) src.setData(pending);
  };
  map.on('load', apply);
  return {
    map,
    setPoints(points) {
      pending = {
        type: 'FeatureCollection',
        features: points.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { label: p.label, active: p.active } })),
      };
      if (map.loaded()) apply();
    },
    destroy: () => map.remove(),
  };
}
