// The two map patterns as RGBA pixels, shared by the map (MapLibre images)
// and the PNG export (canvas patterns), so a picture looks like the map.
//
// - "hatch": grey diagonal lines (/) for countries not assessed, over a grey fill;
// - "thin": white stripes edged in dark grey (\) over the band colour, for
//   colours that rest on thin evidence (src/evidence.ts).

import { NOT_ASSESSED_HATCH } from './colours';

export interface Pattern {
  width: number;
  height: number;
  data: Uint8Array;
}

export const PATTERN_SIZE = 8;

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** An 8×8 diagonal hatch (/) in the not-assessed grey. */
export function hatchPattern(): Pattern {
  const size = PATTERN_SIZE;
  const data = new Uint8Array(size * size * 4);
  const [r, g, b] = rgb(NOT_ASSESSED_HATCH);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if ((x + y) % size > 1) continue;
      data.set([r, g, b, 255], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

/** An 8×8 stripe (\): two white pixels and one dark grey one per row, the rest transparent. */
export function thinPattern(): Pattern {
  const size = PATTERN_SIZE;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = (x - y + size) % size;
      if (d <= 1) data.set([255, 255, 255, 230], (y * size + x) * 4);
      else if (d === 2) data.set([40, 40, 40, 150], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}
