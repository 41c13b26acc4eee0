// Geometry repair for a planar (Web Mercator) renderer.
//
// Spherical sources such as world-atlas keep rings that cross the antimeridian
// continuous on the sphere, jumping from +180 to -180 between two vertices.
// Drawn flat, such a ring becomes a band across the whole map (Russia, Fiji)
// and a ring around a pole (Antarctica) is filled inside out. This unwraps
// longitudes so every ring is continuous, and closes polar rings along the pole.

import type { FeatureCollection, Geometry, Position } from 'geojson';

const MERCATOR_LAT = 85.0511;

function hasJump(ring: Position[]): boolean {
  for (let i = 1; i < ring.length; i++) if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) return true;
  return false;
}

/** Makes a ring's longitudes continuous; closes a ring that circles a pole along it. */
export function unwrapRing(ring: Position[]): Position[] {
  if (!hasJump(ring)) return ring;
  const out: Position[] = [ring[0].slice()];
  let shift = 0;
  for (let i = 1; i < ring.length; i++) {
    const d = ring[i][0] - ring[i - 1][0];
    if (d > 180) shift -= 360;
    else if (d < -180) shift += 360;
    out.push([ring[i][0] + shift, ...ring[i].slice(1)]);
  }
  if (shift === 0) return out;
  // The ring winds once around a pole: its last vertex is the first shifted by
  // 360°. Run down to the pole, along it back to the first longitude, and close.
  const meanLat = ring.reduce((s, p) => s + p[1], 0) / ring.length;
  const pole = meanLat < 0 ? -MERCATOR_LAT : MERCATOR_LAT;
  const last = out[out.length - 1];
  out.push([last[0], pole], [out[0][0], pole], out[0].slice());
  return out;
}

function meanLon(ring: Position[]): number {
  return ring.reduce((s, p) => s + p[0], 0) / ring.length;
}

/** Unwraps a polygon's rings and moves holes next to their shell. */
export function unwrapPolygon(rings: Position[][]): Position[][] {
  if (!rings.some(hasJump)) return rings;
  const shell = unwrapRing(rings[0]);
  const centre = meanLon(shell);
  const holes = rings.slice(1).map((r) => {
    const u = unwrapRing(r);
    const k = Math.round((centre - meanLon(u)) / 360);
    return k === 0 ? u : u.map((p) => [p[0] + 360 * k, ...p.slice(1)]);
  });
  return [shell, ...holes];
}

export function fixGeometry(g: Geometry | null): Geometry | null {
  if (!g) return g;
  if (g.type === 'Polygon') return { ...g, coordinates: unwrapPolygon(g.coordinates) };
  if (g.type === 'MultiPolygon') return { ...g, coordinates: g.coordinates.map(unwrapPolygon) };
  return g;
}

/** Returns the collection with antimeridian-crossing polygons made planar. */
export function fixAntimeridian<G extends Geometry, P>(fc: FeatureCollection<G, P>): FeatureCollection<G, P> {
  return { ...fc, features: fc.features.map((f) => ({ ...f, geometry: fixGeometry(f.geometry) as G })) };
}
