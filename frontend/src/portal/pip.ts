// Pure: is a point inside a country's (multi)polygon? Ray casting with holes,
// on longitude/latitude as planar coordinates (the same test the map's
// country shapes imply at this scale; the server's PostGIS check decides).

import type { Geometry, Position } from 'geojson';

function inRing(lon: number, lat: number, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(lon: number, lat: number, rings: Position[][]): boolean {
  if (rings.length === 0 || !inRing(lon, lat, rings[0])) return false;
  for (let k = 1; k < rings.length; k++) if (inRing(lon, lat, rings[k])) return false;
  return true;
}

/** True when (lon, lat) is inside the polygon or multipolygon (outside its holes). */
export function pointInGeometry(lon: number, lat: number, g: Geometry | null | undefined): boolean {
  if (!g) return false;
  if (g.type === 'Polygon') return inPolygon(lon, lat, g.coordinates);
  if (g.type === 'MultiPolygon') return g.coordinates.some((p) => inPolygon(lon, lat, p));
  if (g.type === 'GeometryCollection') return g.geometries.some((x) => pointInGeometry(lon, lat, x));
  return false;
}

/** The bounding box [west, south, east, north] of a geometry's rings, or null. */
export function bboxOf(g: Geometry | null | undefined): [number, number, number, number] | null {
  if (!g) return null;
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const visit = (pos: Position) => {
    w = Math.min(w, pos[0]); e = Math.max(e, pos[0]);
    s = Math.min(s, pos[1]); n = Math.max(n, pos[1]);
  };
  const walk = (x: Geometry) => {
    if (x.type === 'Polygon') x.coordinates.flat().forEach(visit);
    else if (x.type === 'MultiPolygon') x.coordinates.flat(2).forEach(visit);
    else if (x.type === 'GeometryCollection') x.geometries.forEach(walk);
  };
  walk(g);
  return Number.isFinite(w) ? [w, s, e, n] : null;
}
