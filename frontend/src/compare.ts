// The compare view: 2–4 countries side by side (overlaid pillar radar, index
// over time, and a capability table that highlights where they differ).

import { api, describeError, type Params } from './api';
import { compareLine, compareRadar } from './charts';
import { SERIES_COLOURS } from './colours';
import { h } from './dom';
import { levelChip } from './profile';
import { bandLabel, compareRows, fmtCoverage, fmtIndex } from './shape';
import { MAX_COMPARE } from './state';
import type { Band, CompareResponse, IndexRow } from './types';

export interface CompareContext {
  params(): Params;
  bands(): Band[];
  countries(): IndexRow[];
  countryName(iso3: string): string;
  onChange(isos: string[]): void;
  onSelect(iso3: string): void;
  /** Offers a chart as a PNG download. */
  downloadChart(canvas: HTMLCanvasElement, title: string, subtitle: string): void;
}

export class CompareView {
  private seq = 0;

  constructor(private readonly el: HTMLElement, private readonly ctx: CompareContext) {}

  async render(isos: string[]): Promise<void> {
    const seq = ++this.seq;
    const picker = this.picker(isos);
    if (isos.length < 2) {
      this.el.replaceChildren(picker, h('p', { class: 'empty' }, 'Choose two to four countries to compare. You can also add a country from its profile.'));
      return;
    }
    const body = h('div', { class: 'compare-body', 'aria-busy': 'true' }, h('div', { class: 'spinner', role: 'status' }, h('span', { class: 'visually-hidden' }, 'Loading comparison')));
    this.el.replaceChildren(picker, body);
    try {
      const resp = await api.compare(isos, this.ctx.params());
      if (seq !== this.seq) return;
      body.replaceChildren(...this.content(resp));
      body.removeAttribute('aria-busy');
    } catch (e) {
      if (seq !== this.seq) return;
      body.replaceChildren(h('div', { class: 'error', role: 'alert' }, `Could not load the comparison. ${describeError(e)}`));
      body.removeAttribute('aria-busy');
    }
  }

  private picker(isos: string[]): HTMLElement {
    const chips = isos.map((iso, i) => {
      const remove = h('button', { type: 'button', class: 'icon-button small', 'aria-label': `Remove ${this.ctx.countryName(iso)} from comparison` }, '×');
      remove.addEventListener('click', () => this.ctx.onChange(isos.filter((x) => x !== iso)));
      return h('li', { class: 'compare-chip', 'data-iso3': iso },
        h('span', { class: 'dot', style: `background:${SERIES_COLOURS[i]}`, 'aria-hidden': 'true' }),
        this.ctx.countryName(iso), remove);
    });
    const select = h('select', { id: 'compare-add', disabled: isos.length >= MAX_COMPARE },
      h('option', { value: '' }, isos.length >= MAX_COMPARE ? `At most ${MAX_COMPARE} countries` : 'Add a country…'),
      ...[...this.ctx.countries()]
        .filter((r) => !isos.includes(r.iso3))
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((r) => h('option', { value: r.iso3 }, r.assessed ? r.name : `${r.name} (not assessed)`)));
    select.addEventListener('change', () => {
      if (select.value) this.ctx.onChange([...isos, select.value]);
    });
    return h('div', { class: 'compare-picker' },
      h('ul', { class: 'compare-chips', 'aria-label': 'Compared countries' }, ...chips),
      h('label', { for: 'compare-add', class: 'visually-hidden' }, 'Add a country to the comparison'),
      select);
  }

  private content(resp: CompareResponse): HTMLElement[] {
    const isos = resp.countries.map((c) => c.iso3);
    const bands = this.ctx.bands();
    const refName = this.ctx.countryName(resp.reference);
    const overview = h('table', { class: 'compact overview' },
      h('thead', {}, h('tr', {}, ...['Country', 'Index', 'Band', 'Coverage'].map((t, i) => h('th', { scope: 'col', class: i === 1 || i === 3 ? 'num' : '' }, t)))),
      h('tbody', {}, ...resp.countries.map((c, i) => {
        const name = h('button', { type: 'button', class: 'link-button' }, c.name);
        name.addEventListener('click', () => this.ctx.onSelect(c.iso3));
        return h('tr', {},
          h('th', { scope: 'row' }, h('span', { class: 'dot', style: `background:${SERIES_COLOURS[i]}`, 'aria-hidden': 'true' }), name),
          h('td', { class: 'num' }, c.assessed ? fmtIndex(c.index) : '—'),
          h('td', {}, bandLabel(c.band, bands)),
          h('td', { class: 'num' }, fmtCoverage(c.coverage)));
      })));

    const radarCanvas = h('canvas', { role: 'img', 'aria-label': `Radar chart of pillar scores for ${resp.countries.map((c) => c.name).join(', ')}` });
    void compareRadar(radarCanvas, resp, refName);
    const lineCanvas = h('canvas', { role: 'img', 'aria-label': 'Line chart of the resemblance index over time' });
    void compareLine(lineCanvas, resp);

    const names = resp.countries.map((c) => c.name).join(', ');
    const png = (canvas: HTMLCanvasElement, which: string, title: string, subtitle: string) => {
      const b = h('button', { type: 'button', class: 'secondary small-button', 'data-png': which, 'aria-label': `Download PNG of the chart: ${title}` }, 'Download PNG');
      b.addEventListener('click', () => this.ctx.downloadChart(canvas, title, subtitle));
      return h('div', { class: 'chart-tools' }, b);
    };
    const radarCaption = `Pillar scores (0–100). The reference, ${refName}, scores 100 on every counted pillar by definition.`;
    const lineCaption = 'Index by year (end of year; the current year as of today). Gaps: not assessed.';
    return [
      overview,
      h('div', { class: 'compare-charts' },
        h('figure', {}, h('div', { class: 'chart radar' }, radarCanvas), h('figcaption', {}, radarCaption),
          png(radarCanvas, 'compare-radar', `Pillar scores: ${names}`, radarCaption)),
        h('figure', {}, h('div', { class: 'chart line' }, lineCanvas), h('figcaption', {}, lineCaption),
          png(lineCanvas, 'compare-line', `Resemblance index over time: ${names}`, `Resemblance to ${refName}. ${lineCaption}`))),
      this.table(resp, isos, refName),
    ];
  }

  private table(resp: CompareResponse, isos: string[], refName: string): HTMLElement {
    const rows = compareRows(resp, isos);
    const pillarNames = new Map((resp.countries[0]?.pillars ?? []).map((p) => [p.code, p.name]));
    const groups = [...new Set(rows.map((r) => r.pillar))].map((pillar) =>
      h('tbody', {},
        h('tr', { class: 'group' }, h('th', { scope: 'rowgroup', colspan: isos.length + 2 }, pillarNames.get(pillar) ?? pillar)),
        ...rows.filter((r) => r.pillar === pillar).map((r) =>
          h('tr', { class: r.differs ? 'differs' : '', 'data-capability': r.code },
            h('th', { scope: 'row' }, r.name, r.differs ? h('span', { class: 'visually-hidden' }, ' (levels differ)') : null),
            h('td', { class: 'muted' }, r.reference === null ? '—' : String(r.reference)),
            ...r.levels.map((l, i) => h('td', { class: r.highest[i] ? 'highest' : '' }, levelChip(l)))))));
    return h('section', { 'aria-labelledby': 'compare-caps-h' },
      h('h3', { id: 'compare-caps-h' }, 'Capabilities'),
      h('p', { class: 'muted' }, 'Highlighted rows: the countries are at different levels; the highest level is outlined.'),
      h('div', { class: 'table-scroll' },
        h('table', { class: 'caps compare-table' },
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, 'Capability'),
            h('th', { scope: 'col' }, refName),
            ...resp.countries.map((c) => h('th', { scope: 'col' }, c.name)))),
          ...groups)));
  }
}
