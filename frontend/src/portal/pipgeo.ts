// The point-in-country test of a GeoJSON feature (pure; see pip.ts).
import type { Feature, Geometry } from 'geojson';
import { pointInGeometry } from './pip';

export const pip = (lon: number, lat: number, f: Feature<Geometry>): boolean =>
  pointInGeometry(lon, lat, f.geometry) || pointInGeometry(lon + 360, lat, f.geometry) || pointInGeometry(lon - 360, lat, f.geometry);
