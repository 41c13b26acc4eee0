// The tables behind the Diffusion view's charts (the numbers of each chart,
// for screen readers, copying and the browser tests) and the neighbour
// exposure's countries. Pure DOM builders.

import { h } from './dom';
import { SIGNIFICANCE } from './diffusioncharts';
import type { CurvesResponse, ExposureResponse, FlowsResponse, MoranResponse } from './types';

const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
const num = (v: number | null, digits = 4): string => (v === null ? '—' : v.toFixed(digits));

function table(head: string[], rows: HTMLTableRowElement[], caption: string): HTMLTableElement {
  return h('table', { class: 'compact diffusion-table' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, ...head.map((t, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, t)))),
    h('tbody', {}, ...rows));
}

/** One row per year; per series "adopted of assessed (share)". */
export function curvesTable(resp: CurvesResponse): HTMLTableElement {
  const years = resp.series[0]?.points ?? [];
  const rows = years.map((_, i) => h('tr', { 'data-year': years[i].year },
    h('th', { scope: 'row' }, String(years[i].year)),
    ...resp.series.map((s) => {
      const p = s.points[i];
      return h('td', { class: 'num', 'data-series': s.code, 'data-adopted': p.adopted, 'data-assessed': p.assessed, 'data-at-or-above': p.at_or_above },
        `${p.adopted} of ${p.assessed} (${pct(p.share)})`);
    })));
  return table(['Year', ...resp.series.map((s) => s.name)], rows, 'Countries that had adopted, of those assessed, per year');
}

export function moranTable(resp: MoranResponse): HTMLTableElement {
  const rows = resp.years.map((y) => {
    const significant = y.defined && y.p_value !== null && y.p_value < SIGNIFICANCE;
    const note = y.defined ? (y.nearest.length ? `nearest neighbours for ${y.nearest.join(', ')}` : '') : (y.reason ?? '');
    return h('tr', { 'data-year': y.year, 'data-significant': significant ? 'yes' : 'no' },
      h('th', { scope: 'row' }, String(y.year)),
      h('td', { class: 'num' }, String(y.n)),
      h('td', { class: 'num', 'data-i': y.i ?? '' }, num(y.i)),
      h('td', { class: 'num' }, num(y.expected)),
      h('td', { class: 'num', 'data-p': y.p_value ?? '' }, num(y.p_value, 3)),
      h('td', {}, significant ? 'yes' : 'no'),
      h('td', { class: 'small' }, note));
  });
  return table(['Year', 'Countries', "Moran's I", 'Expected', 'p-value', `p < ${SIGNIFICANCE}`, 'Note'], rows, "Moran's I per year");
}

/** The adopters behind the exposure summary: neighbours named, the country a button that opens its profile. */
export function exposureTable(resp: ExposureResponse, name: (iso3: string) => string, onSelect: (iso3: string) => void): HTMLTableElement {
  const names = (list: string[]) => (list.length ? list.map(name).join(', ') : '—');
  const rows = resp.countries.map((c) => {
    const link = h('button', { type: 'button', class: 'link-button' }, c.name);
    link.addEventListener('click', () => onSelect(c.iso3));
    return h('tr', { 'data-iso3': c.iso3 },
      h('th', { scope: 'row' }, link),
      h('td', {}, c.adopted),
      h('td', {}, names(c.neighbours), c.neighbours_not_assessed.length ? h('span', { class: 'muted' }, ` (not assessed: ${names(c.neighbours_not_assessed)})`) : null),
      h('td', { 'data-before': c.adopted_before.join(',') }, names(c.adopted_before)),
      h('td', { class: 'num', 'data-exposure': c.exposure ?? '' }, c.exposure === null ? 'no assessed land neighbour' : pct(c.exposure)),
      h('td', { class: 'num' }, pct(c.baseline)));
  });
  return table(['Adopter', 'Adopted', 'Assessed land neighbours', 'Adopted before it', 'Exposure', 'Baseline'], rows, 'The adopters behind the neighbour exposure');
}

/** "Mean exposure of the 20 adopters …: 23.5 %; baseline on the same dates 24.2 % (difference −0.7 points)." */
export function exposureSummary(resp: ExposureResponse): string {
  const s = resp.summary;
  if (!s.adopters) return 'No country of the scope had adopted by this date.';
  const left = s.adopters - s.counted;
  const without = left ? ` ${left} ${left === 1 ? 'adopter has' : 'adopters have'} no assessed land neighbour and ${left === 1 ? 'is' : 'are'} left out.` : '';
  if (!s.counted || s.mean_exposure === null || s.mean_baseline === null || s.difference === null) return `${s.adopters} adopters, none with an assessed land neighbour.`;
  const diff = s.difference * 100;
  return `Mean exposure of the ${s.counted} adopters with an assessed land neighbour: ${pct(s.mean_exposure)}; ` +
    `mean exposure of all assessed countries on the same dates (baseline): ${pct(s.mean_baseline)}, ` +
    `a difference of ${diff >= 0 ? '+' : '−'}${Math.abs(diff).toFixed(1)} points.${without}`;
}

export function shareTable(resp: FlowsResponse): HTMLTableElement {
  const rows = resp.share.years.map((y) => h('tr', { 'data-year': y.year, 'data-vendor': y.vendor, 'data-sites': y.sites },
    h('th', { scope: 'row' }, String(y.year)),
    h('td', { class: 'num' }, String(y.sites)),
    h('td', { class: 'num' }, String(y.vendor_known)),
    h('td', { class: 'num' }, String(y.vendor)),
    h('td', { class: 'num' }, pct(y.share)),
    h('td', { class: 'num' }, pct(y.share_of_known))));
  const v = resp.share.vendor_country;
  return table(['Year', 'Dated sites', 'Vendor country known', `Vendor based in ${v}`, 'Share', 'Share of known'], rows, `Share of sites with a vendor based in ${v}`);
}
