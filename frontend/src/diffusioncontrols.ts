// The Diffusion view's controls: the series (capabilities and pillars, as
// chips), the scope (world, region, subregion, the compared countries), the
// adoption threshold and how many capabilities make a pillar adopted. Each
// change is written to the URL and redraws the view.

import { app, commit } from './app';
import { h } from './dom';
import { DIFFUSION_COLOURS } from './diffusioncharts';
import { isCapability } from './diffusionparams';
import { decodeScope, encodeScope, MAX_SERIES, type DiffusionState } from './state';
import type { IndexRow, Taxonomy } from './types';

const LEVELS = ['', '1 (proposed or planned)', '2 (pilot or local)', '3 (partial national)', '4 (nationwide and integrated)'];

/** A series code's name: the capability's or the pillar's, the code itself when the taxonomy is not known. */
export function seriesName(code: string, tax: Taxonomy | null): string {
  if (isCapability(code)) return tax?.capabilities.find((c) => c.code === code)?.name ?? code;
  return tax?.pillars.find((p) => p.code === code)?.name ?? code;
}

function change(patch: Partial<DiffusionState>, onChange: () => void): void {
  commit({ diffusion: { ...app.state.diffusion, ...patch } }, true);
  onChange();
}

function seriesControl(tax: Taxonomy | null, onChange: () => void): HTMLElement {
  const d = app.state.diffusion;
  const chips = d.series.map((code, i) => {
    const remove = h('button', { type: 'button', class: 'icon-button small', 'aria-label': `Remove ${seriesName(code, tax)}`, disabled: d.series.length === 1 }, '×');
    remove.addEventListener('click', () => change({ series: d.series.filter((c) => c !== code) }, onChange));
    return h('li', { class: 'compare-chip', 'data-series': code },
      h('span', { class: 'dot', style: `background:${DIFFUSION_COLOURS[i % DIFFUSION_COLOURS.length]}`, 'aria-hidden': 'true' }),
      isCapability(code) ? seriesName(code, tax) : `${seriesName(code, tax)} (pillar)`, remove);
  });
  const full = d.series.length >= MAX_SERIES;
  const add = h('select', { id: 'd-series-add', disabled: full || !tax },
    h('option', { value: '' }, full ? `At most ${MAX_SERIES} series` : 'Add a capability or pillar…'),
    ...(tax ? [h('optgroup', { label: 'Pillars' }, ...tax.pillars.filter((p) => !d.series.includes(p.code)).map((p) => h('option', { value: p.code }, p.name))),
      ...tax.pillars.map((p) => h('optgroup', { label: p.name },
        ...tax.capabilities.filter((c) => c.pillar === p.code && !d.series.includes(c.code)).map((c) => h('option', { value: c.code }, c.name))))] : []));
  add.addEventListener('change', () => add.value && change({ series: [...d.series, add.value] }, onChange));
  return h('div', { class: 'control-group' },
    h('span', { class: 'control-label', id: 'd-series-label' }, 'Series'),
    h('ul', { class: 'compare-chips', 'aria-labelledby': 'd-series-label' }, ...chips),
    h('label', { for: 'd-series-add', class: 'visually-hidden' }, 'Add a series'), add);
}

function scopeControl(countries: IndexRow[], onChange: () => void): HTMLElement {
  const d = app.state.diffusion;
  const regions = [...new Set(countries.map((c) => c.region).filter(Boolean))].sort();
  const subregions = [...new Set(countries.map((c) => c.subregion).filter(Boolean))].sort();
  const compared = app.state.compare;
  const current = encodeScope(d.scope);
  const select = h('select', { id: 'd-scope' }, h('option', { value: '' }, 'The world'),
    h('optgroup', { label: 'UN M.49 region' }, ...regions.map((r) => h('option', { value: `region:${r}` }, r))),
    h('optgroup', { label: 'UN M.49 subregion' }, ...subregions.map((r) => h('option', { value: `subregion:${r}` }, r))),
    compared.length ? h('option', { value: `countries:${compared.join(',')}` }, `The compared countries (${compared.join(', ')})`) : null);
  if (current && ![...select.options].some((o) => o.value === current)) select.append(h('option', { value: current }, current.replace(/^[a-z]+:/, '')));
  select.value = current;
  select.addEventListener('change', () => change({ scope: decodeScope(select.value) }, onChange));
  return h('div', { class: 'control-group' }, h('label', { for: 'd-scope', class: 'control-label' }, 'Countries'), select);
}

function thresholdControl(tax: Taxonomy | null, onChange: () => void): HTMLElement[] {
  const d = app.state.diffusion;
  const level = h('select', { id: 'd-level' }, ...[1, 2, 3, 4].map((l) => h('option', { value: l }, LEVELS[l])));
  level.value = String(d.minLevel);
  level.addEventListener('change', () => change({ minLevel: Number(level.value) }, onChange));
  const out = [h('div', { class: 'control-group' }, h('label', { for: 'd-level', class: 'control-label' }, 'Adopted at level'), level)];
  const pillars = d.series.filter((c) => !isCapability(c));
  if (pillars.length) {
    const sizes = pillars.map((c) => tax?.capabilities.filter((x) => x.pillar === c).length ?? 3);
    const most = Math.max(1, Math.min(...sizes));
    const k = h('select', { id: 'd-k' }, ...Array.from({ length: most }, (_, i) => h('option', { value: i + 1 }, String(i + 1))));
    k.value = String(Math.min(d.k, most));
    k.addEventListener('change', () => change({ k: Number(k.value) }, onChange));
    out.push(h('div', { class: 'control-group' }, h('label', { for: 'd-k', class: 'control-label' }, 'A pillar is adopted with'), k,
      h('span', { class: 'muted small' }, ' of its capabilities')));
  }
  return out;
}

/** Rebuilds the controls for the current state. */
export function renderControls(el: HTMLElement, tax: Taxonomy | null, countries: IndexRow[], onChange: () => void): void {
  el.replaceChildren(seriesControl(tax, onChange), scopeControl(countries, onChange), ...thresholdControl(tax, onChange));
}
