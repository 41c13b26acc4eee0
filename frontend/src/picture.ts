// PNG pictures that describe themselves: the map view or a chart, with the
// title, the date, the legend, the dataset version and the citation line
// drawn into the picture. Loaded on first use (not part of the first paint).

import { NOT_ASSESSED_FILL } from './colours';
import { ATTRIBUTION } from './cite';
import type { LegendEntry } from './legend';
import { hatchPattern, thinPattern, type Pattern } from './patterns';

export interface PictureText {
  title: string;
  /** Under the title: what is shown and the date(s). */
  subtitle: string;
  /** Footer lines: dataset version, citation, the view's address. */
  footer: string[];
}

const FONT = getComputedStyle(document.body).fontFamily || 'sans-serif';
const INK = '#1d2733';
const MUTED = '#5a6673';

/** Splits `text` into lines no wider than `max` in the context's current font. */
function wrap(ctx: CanvasRenderingContext2D, text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (ctx.measureText(next).width <= max || !line) line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function patternOf(ctx: CanvasRenderingContext2D, p: Pattern, scale: number): CanvasPattern | null {
  const tile = document.createElement('canvas');
  tile.width = p.width;
  tile.height = p.height;
  const t = tile.getContext('2d');
  if (!t) return null;
  t.putImageData(new ImageData(new Uint8ClampedArray(p.data), p.width, p.height), 0, 0);
  const pattern = ctx.createPattern(tile, 'repeat');
  pattern?.setTransform(new DOMMatrix().scale(scale));
  return pattern;
}

/** A measured block of text lines in one font. */
interface Block {
  font: string;
  colour: string;
  lines: string[];
  lineHeight: number;
}

function block(ctx: CanvasRenderingContext2D, font: string, colour: string, text: string, max: number, lineHeight: number): Block {
  ctx.font = font;
  return { font, colour, lines: wrap(ctx, text, max), lineHeight };
}

function drawBlock(ctx: CanvasRenderingContext2D, b: Block, x: number, y: number): number {
  ctx.font = b.font;
  ctx.fillStyle = b.colour;
  for (const line of b.lines) {
    ctx.fillText(line, x, y + b.lineHeight * 0.8);
    y += b.lineHeight;
  }
  return y;
}

interface LegendLayout {
  items: { entry: LegendEntry; x: number; y: number }[];
  height: number;
}

/** Lays the legend out in rows: swatch, label, gap; wraps within `width`. */
function layoutLegend(ctx: CanvasRenderingContext2D, entries: LegendEntry[], width: number, s: number): LegendLayout {
  ctx.font = `${12 * s}px ${FONT}`;
  const rowH = 18 * s;
  const items: LegendLayout['items'] = [];
  let x = 0;
  let y = 0;
  for (const entry of entries) {
    const w = 22 * s + ctx.measureText(entry.label).width + 16 * s;
    if (x > 0 && x + w > width) {
      x = 0;
      y += rowH;
    }
    items.push({ entry, x, y });
    x += w;
  }
  return { items, height: entries.length ? y + rowH : 0 };
}

function drawSwatch(ctx: CanvasRenderingContext2D, e: LegendEntry, x: number, y: number, s: number): void {
  const w = 16 * s;
  const hgt = 12 * s;
  if (e.kind === 'flow-chn' || e.kind === 'flow-other') {
    ctx.fillStyle = e.colour;
    ctx.fillRect(x, y + hgt / 2 - 1.5 * s, w, 3 * s);
    return;
  }
  if (e.kind === 'site-chn' || e.kind === 'site-other') {
    ctx.beginPath();
    ctx.arc(x + w / 2, y + hgt / 2, 5 * s, 0, Math.PI * 2);
    ctx.fillStyle = e.colour;
    ctx.fill();
    ctx.lineWidth = (e.kind === 'site-chn' ? 1.5 : 2.5) * s;
    ctx.strokeStyle = e.kind === 'site-chn' ? '#ffffff' : '#222222';
    ctx.stroke();
    return;
  }
  ctx.fillStyle = e.kind === 'not-assessed' ? NOT_ASSESSED_FILL : e.colour;
  ctx.fillRect(x, y, w, hgt);
  const pattern = e.kind === 'not-assessed' ? patternOf(ctx, hatchPattern(), s) : e.kind === 'thin' ? patternOf(ctx, thinPattern(), s) : null;
  if (pattern) {
    ctx.save();
    ctx.translate(x, y);
    ctx.fillStyle = pattern;
    ctx.fillRect(0, 0, w, hgt);
    ctx.restore();
  }
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.25)';
  ctx.lineWidth = s;
  ctx.strokeRect(x + s / 2, y + s / 2, w - s, hgt - s);
}

/**
 * Draws `image` (the map's or a chart's canvas) with a header, an optional
 * legend and the footer onto a white picture. `scale` is the device pixel
 * ratio the image was drawn at, so text is as sharp as the image.
 */
export function compose(image: HTMLCanvasElement, text: PictureText, legend: LegendEntry[], scale: number): HTMLCanvasElement {
  const s = scale;
  const pad = 16 * s;
  const width = Math.max(image.width, Math.round(560 * s));
  const inner = width - 2 * pad;
  const out = document.createElement('canvas');
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  const title = block(ctx, `600 ${20 * s}px ${FONT}`, INK, text.title, inner, 26 * s);
  const subtitle = block(ctx, `${13 * s}px ${FONT}`, MUTED, text.subtitle, inner, 18 * s);
  const footer = text.footer.map((line) => block(ctx, `${11 * s}px ${FONT}`, MUTED, line, inner, 15 * s));
  const legendLayout = layoutLegend(ctx, legend, inner, s);
  const footerH = footer.reduce((n, b) => n + b.lines.length * b.lineHeight, 0);
  const headH = pad + title.lines.length * title.lineHeight + subtitle.lines.length * subtitle.lineHeight + 8 * s;
  const legendH = legendLayout.height ? legendLayout.height + 10 * s : 0;
  out.width = width;
  out.height = Math.round(headH + image.height + 10 * s + legendH + footerH + pad);

  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, out.width, out.height);
  let y = drawBlock(ctx, title, pad, pad);
  y = drawBlock(ctx, subtitle, pad, y) + 8 * s;
  ctx.drawImage(image, Math.round((width - image.width) / 2), Math.round(y));
  y += image.height + 10 * s;
  if (legendLayout.height) {
    ctx.font = `${12 * s}px ${FONT}`;
    for (const it of legendLayout.items) {
      drawSwatch(ctx, it.entry, pad + it.x, y + it.y + 2 * s, s);
      ctx.fillStyle = INK;
      ctx.fillText(it.entry.label, pad + it.x + 22 * s, y + it.y + 12 * s);
    }
    y += legendH;
  }
  for (const b of footer) y = drawBlock(ctx, b, pad, y);
  return out;
}

/** The picture as a PNG file. */
export function toPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the picture could not be encoded'))), 'image/png'));
}

/** Offers `blob` as a download named `filename` (a blob: URL on this page; nothing leaves the browser). */
export function save(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export { ATTRIBUTION };
