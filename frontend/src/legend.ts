// The map legend: classes of the current colour mode, "Not assessed", thin
// evidence and (when shown) the two kinds of site. The same entries are drawn
// into the PNG export (src/picture.ts).

import { FLOW_OTHER, NOT_ASSESSED, PALETTE, SITE_CHN, legendFor, modeLabel } from './colours';
import { fill, h } from './dom';
import { thinLabel } from './evidence';
import type { Band, Taxonomy } from './types';

export type LegendKind = 'fill' | 'not-assessed' | 'thin' | 'site-chn' | 'site-other' | 'flow-chn' | 'flow-other';

export interface LegendEntry {
  kind: LegendKind;
  /** The fill colour (for "thin": the band colour the stripes are drawn over in the swatch). */
  colour: string;
  label: string;
}

/** Every legend entry for a colour mode, in display order. */
export function legendEntries(mode: string, bands: Band[], sites: boolean, flows = false): LegendEntry[] {
  const out: LegendEntry[] = legendFor(mode, bands).map((it) => ({
    kind: it.cls === NOT_ASSESSED ? 'not-assessed' : 'fill',
    colour: it.colour,
    label: it.label,
  }));
  out.push({ kind: 'thin', colour: PALETTE[2], label: thinLabel(mode) });
  if (sites) {
    out.push({ kind: 'site-chn', colour: SITE_CHN, label: 'Site, Chinese vendor' });
    out.push({ kind: 'site-other', colour: '#ffffff', label: 'Site, other vendor' });
  }
  if (flows) {
    out.push({ kind: 'flow-chn', colour: SITE_CHN, label: 'Vendor flow from China (width: sites)' });
    out.push({ kind: 'flow-other', colour: FLOW_OTHER, label: 'Vendor flow from elsewhere' });
  }
  return out;
}

/** "As of 2019-12-31 · as recorded on 2026-01-15" (recorded time only when set). */
export function dateLine(asOf: string, recorded: string | null): string {
  return recorded ? `As of ${asOf} · as recorded on ${recorded}` : `As of ${asOf}`;
}

export interface LegendData {
  mode: string;
  bands: Band[];
  taxonomy: Taxonomy | null;
  asOf: string;
  recorded: string | null;
  sites: boolean;
  flows?: boolean;
}

function swatch(e: LegendEntry): HTMLElement {
  if (e.kind === 'site-chn') return h('span', { class: 'dot site-chn', 'aria-hidden': 'true' });
  if (e.kind === 'site-other') return h('span', { class: 'dot site-other', 'aria-hidden': 'true' });
  if (e.kind === 'flow-chn' || e.kind === 'flow-other') return h('span', { class: 'flow-swatch', style: `background-color:${e.colour}`, 'aria-hidden': 'true' });
  const cls = e.kind === 'not-assessed' ? ' swatch-na' : e.kind === 'thin' ? ' swatch-thin' : '';
  return h('span', { class: `swatch${cls}`, style: `background-color:${e.colour}`, 'aria-hidden': 'true' });
}

export function renderLegend(el: HTMLElement, d: LegendData): void {
  const entries = legendEntries(d.mode, d.bands, d.sites, d.flows);
  const item = (e: LegendEntry) => h('li', { 'data-kind': e.kind }, swatch(e), e.label);
  const classes = entries.filter((e) => e.kind === 'fill' || e.kind === 'not-assessed');
  const thin = entries.filter((e) => e.kind === 'thin');
  const sites = entries.filter((e) => e.kind.startsWith('site-') || e.kind.startsWith('flow-'));
  fill(el,
    h('h2', { class: 'legend-title' }, modeLabel(d.mode, d.taxonomy)),
    h('p', { class: 'muted small legend-date' }, dateLine(d.asOf, d.recorded)),
    h('ul', { class: 'legend-items' }, ...classes.map(item)),
    h('ul', { class: 'legend-items thin-legend', 'aria-label': 'Evidence' }, ...thin.map(item)),
    sites.length ? h('ul', { class: 'legend-items sites-legend', 'aria-label': 'Sites and vendor flows' }, ...sites.map(item)) : null,
  );
}
