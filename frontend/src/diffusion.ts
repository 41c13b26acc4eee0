// The Diffusion view (loaded on first use): adoption curves, Moran's I over
// time, neighbour exposure with the countries behind it, and the share of
// sites with a Chinese vendor. Every chart follows the time slider and the
// recorded date, lives in the URL and has CSV and PNG downloads.

import './diffusion.css';
import { api, describeError, diffusionCsvUrl, type DiffusionRoute, type Params } from './api';
import { app, commit, endYear } from './app';
import type { ChartCitation } from './outputs';
import { h } from './dom';
import { curvesChart, exposureChart, moranChart, shareChart } from './diffusioncharts';
import { curvesParams, exposureCode, exposureParams, isCapability, moranParams, shareParams } from './diffusionparams';
import { curvesTable, exposureSummary, exposureTable, moranTable, shareTable } from './diffusiontables';
import { renderControls, seriesName } from './diffusioncontrols';
import type { CurvesResponse, ExposureResponse, FlowsResponse, IndexRow, MoranResponse, Taxonomy } from './types';

export interface DiffusionContext {
  taxonomy(): Promise<Taxonomy | null>;
  countries(): IndexRow[];
  downloadChart(canvas: HTMLCanvasElement, title: string, subtitle: string, cite?: ChartCitation): void;
  onSelect(iso3: string): void;
  onShowFlows(): void;
}

/** One chart's box: title, an optional control, the chart, its caption, downloads and its numbers. */
interface Panel {
  el: HTMLElement;
  control: HTMLElement;
  body: HTMLElement;
  caption: HTMLElement;
  tools: HTMLElement;
  data: HTMLElement;
}

function panel(id: string, title: string): Panel {
  const p: Panel = {
    el: h('section', { class: 'diffusion-panel', 'data-panel': id, 'aria-labelledby': `d-${id}-h` }),
    control: h('div', { class: 'panel-control' }),
    body: h('div', { class: 'panel-body' }),
    caption: h('p', { class: 'figcaption' }),
    tools: h('div', { class: 'chart-tools' }),
    data: h('div', { class: 'panel-data' }),
  };
  p.el.append(h('h3', { id: `d-${id}-h` }, title), p.control, p.body, p.caption, p.tools, p.data);
  return p;
}

export class DiffusionView {
  private seq = 0;
  private readonly controls = h('div', { class: 'diffusion-controls' });
  private readonly notice = h('p', { class: 'recorded-note small', role: 'status', hidden: true });
  private readonly panels = {
    curves: panel('curves', 'Adoption curves'),
    moran: panel('moran', "Spatial clustering: Moran's I"),
    share: panel('share', 'Whose technology: sites with a Chinese vendor'),
    exposure: panel('exposure', 'Neighbour exposure'),
  };

  constructor(el: HTMLElement, private readonly ctx: DiffusionContext) {
    el.replaceChildren(
      h('h2', { class: 'visually-hidden' }, 'Diffusion'),
      this.controls,
      this.notice,
      h('p', { class: 'muted small diffusion-intro' },
        'How the capabilities spread: when countries adopted them, whether adoption clusters among neighbours, and whose technology carried it. ',
        'Everything follows the year slider and the recorded date; the statistics use the default index (China as the reference, default weights). ',
        'Not assessed is left out, never counted as 0. ', h('a', { href: '/methodology' }, 'How each is computed (methodology, §11)')),
      h('div', { class: 'diffusion-grid' }, ...Object.values(this.panels).map((p) => p.el)));
  }

  /** Redraws everything for the current state (the controls, then the four statistics in parallel). */
  async render(): Promise<void> {
    const seq = ++this.seq;
    const tax = await this.ctx.taxonomy();
    if (seq !== this.seq) return;
    this.dropUnknown(tax);
    renderControls(this.controls, tax, this.ctx.countries(), () => void this.render());
    const done = [this.curves(seq, tax), this.moran(seq, tax), this.exposure(seq, tax), this.share(seq)];
    await Promise.all(done);
  }

  /** Series and variables from a link that the taxonomy does not know are dropped, with a note. */
  private dropUnknown(tax: Taxonomy | null): void {
    if (!tax) return;
    const known = new Set([...tax.pillars.map((p) => p.code), ...tax.capabilities.map((c) => c.code)]);
    const d = app.state.diffusion;
    const series = d.series.filter((c) => known.has(c));
    const moran = d.moran === 'index' || known.has(d.moran) ? d.moran : 'index';
    const dropped = [...d.series.filter((c) => !known.has(c)), ...(moran !== d.moran ? [d.moran] : [])];
    // A pillar cannot need more of its capabilities than it has.
    const sizes = series.filter((c) => !isCapability(c)).map((c) => tax.capabilities.filter((x) => x.pillar === c).length);
    const k = sizes.length ? Math.min(d.k, ...sizes) : d.k;
    this.notice.hidden = !dropped.length;
    if (dropped.length) this.notice.textContent = `Ignored from the link: ${dropped.join(', ')} (not a pillar or capability).`;
    if (dropped.length || k !== d.k) commit({ diffusion: { ...d, series: series.length ? series : ['surveillance.cctv_network'], moran, k } });
  }

  /** Fetches one statistic; while it loads the panel is busy, on failure it says why. */
  private async load<T>(seq: number, p: Panel, route: DiffusionRoute, params: Params, show: (resp: T) => void): Promise<void> {
    p.el.setAttribute('aria-busy', 'true');
    try {
      const resp = await api.diffusion<T>(route, params);
      if (seq !== this.seq) return;
      show(resp);
    } catch (e) {
      if (seq !== this.seq) return;
      p.body.replaceChildren(h('div', { class: 'error', role: 'alert' }, `Could not load this statistic. ${describeError(e)}`));
      p.caption.textContent = '';
      p.data.replaceChildren();
      p.tools.replaceChildren();
    } finally {
      if (seq === this.seq) p.el.removeAttribute('aria-busy');
    }
  }

  /** A fresh canvas in the panel, drawn by `chart`, with the CSV and PNG downloads. */
  private chart<T extends { as_of: string }>(p: Panel, which: string, resp: T, draw: (c: HTMLCanvasElement, r: T) => Promise<void>,
    csv: string, title: string, cite: string, label: string): HTMLCanvasElement {
    const canvas = h('canvas', { role: 'img', 'aria-label': label, 'data-chart': which });
    p.body.replaceChildren(h('div', { class: 'chart line' }, canvas));
    void draw(canvas, resp).then(() => canvas.setAttribute('data-drawn', 'true'));
    const png = h('button', { type: 'button', class: 'secondary small-button', 'data-png': which, 'aria-label': `Download PNG of the chart: ${title}` }, 'Download PNG');
    png.addEventListener('click', () => this.ctx.downloadChart(canvas, title, p.caption.textContent ?? '', { what: cite, asOf: resp.as_of }));
    p.tools.replaceChildren(h('a', { class: 'button secondary small-button', href: csv, download: '', 'data-csv': which }, 'Download CSV'), png);
    return canvas;
  }

  private scopeLabel(resp: { scope: { kind: string; name: string | null; iso3: string[] | null; countries: number } }): string {
    const s = resp.scope;
    if (s.kind === 'world') return 'the world';
    return s.name ?? (s.iso3 ?? []).join(', ');
  }

  private curves(seq: number, tax: Taxonomy | null): Promise<void> {
    const p = this.panels.curves;
    const params = curvesParams(app.state, endYear());
    return this.load<CurvesResponse>(seq, p, 'curves', params, (resp) => {
      p.caption.textContent = `Share of the assessed countries of ${this.scopeLabel(resp)} that had adopted each series by the end of each year ` +
        `(first level ${resp.min_level} or above; a pillar once ${app.state.diffusion.k} of its capabilities are), ${resp.from}–${resp.to}. ` +
        'A country counts as assessed from its first assessment; the tooltip gives the counts.';
      const names = resp.series.map((s) => seriesName(s.code, tax)).join(', ');
      this.chart(p, 'curves', resp, curvesChart, diffusionCsvUrl('curves', params), `Adoption curves: ${names}`, 'adoption curves', `Adoption curves of ${names}`);
      p.data.replaceChildren(details('The numbers', curvesTable(resp)));
    });
  }

  private moran(seq: number, tax: Taxonomy | null): Promise<void> {
    const p = this.panels.moran;
    p.control.replaceChildren(variableSelect(tax, () => void this.render()));
    const params = moranParams(app.state, endYear());
    return this.load<MoranResponse>(seq, p, 'moran', params, (resp) => {
      const significant = resp.years.filter((y) => y.defined && y.p_value !== null && y.p_value < 0.05).length;
      p.caption.textContent = `Moran's I of the ${resp.variable.kind === 'index' ? 'resemblance index (default weights, China as the reference)' : resp.variable.name} among the countries of ${this.scopeLabel(resp)} with a value, each year ` +
        `(land neighbours; the ${resp.k_nearest} nearest for countries without one). Above the dashed line: similar values cluster. ` +
        `Filled points: pseudo p-value below 0.05 in ${resp.permutations} permutations (${significant} of ${resp.years.length} years).`;
      this.chart(p, 'moran', resp, moranChart, diffusionCsvUrl('moran', params), `Moran's I: ${resp.variable.name}`, "Moran's I", "Moran's I by year");
      p.data.replaceChildren(details('The numbers', moranTable(resp)));
    });
  }

  private exposure(seq: number, tax: Taxonomy | null): Promise<void> {
    const p = this.panels.exposure;
    p.control.replaceChildren(exposureSelect(tax, () => void this.render()));
    const params = exposureParams(app.state, endYear());
    if (!params) return Promise.resolve();
    return this.load<ExposureResponse>(seq, p, 'neighbours', params, (resp) => {
      const name = seriesName(resp.series.code, tax);
      p.caption.textContent = `${exposureSummary(resp)} Points: each adopter of ${name} in ${this.scopeLabel(resp)}, the share of its assessed land neighbours ` +
        'that had adopted before it; dashed: the same share averaged over every assessed country with an assessed neighbour, on that date.';
      this.chart(p, 'exposure', resp, exposureChart, diffusionCsvUrl('neighbours', params), `Neighbour exposure: ${name}`, 'neighbour exposure', `Neighbour exposure of the adopters of ${name}`);
      const names = new Map(this.ctx.countries().map((c) => [c.iso3, c.name]));
      p.data.replaceChildren(h('h4', {}, 'The countries behind it'),
        h('div', { class: 'table-scroll exposure-countries' }, exposureTable(resp, (iso) => names.get(iso) ?? iso, this.ctx.onSelect)));
    });
  }

  private share(seq: number): Promise<void> {
    const p = this.panels.share;
    const show = h('button', { type: 'button', class: 'secondary', id: 'show-flows' }, 'Show the vendor flows on the map');
    show.addEventListener('click', () => this.ctx.onShowFlows());
    p.control.replaceChildren(show);
    const params = shareParams(app.state, endYear());
    return this.load<FlowsResponse>(seq, p, 'flows', params, (resp) => {
      const last = resp.share.years[resp.share.years.length - 1];
      p.caption.textContent = `Of the dated sites in ${this.scopeLabel(resp)} started by the end of each year, the share whose vendor is based in ${resp.share.vendor_country} ` +
        `(solid) and the share among those whose vendor's country is known (dashed). By ${resp.as_of}: ${last?.vendor ?? 0} of ${last?.sites ?? 0} sites; ` +
        `${resp.totals.undated} undated sites are left out. The sites record reported deployments, not every one.`;
      this.chart(p, 'share', resp, shareChart, diffusionCsvUrl('flows', { ...params, table: 'share' }), `Sites with a vendor based in ${resp.share.vendor_country}`, 'vendor share', 'Share of sites with a Chinese vendor by year');
      p.data.replaceChildren(details('The numbers', shareTable(resp)));
    });
  }
}

function details(summary: string, content: HTMLElement): HTMLElement {
  return h('details', { class: 'panel-numbers' }, h('summary', {}, summary), h('div', { class: 'table-scroll' }, content));
}

/** Moran's I of: the index, a pillar's score or a capability's level. */
function variableSelect(tax: Taxonomy | null, onChange: () => void): HTMLElement {
  const select = h('select', { id: 'd-moran-variable' }, h('option', { value: 'index' }, 'Resemblance index'),
    ...(tax ? [h('optgroup', { label: 'Pillar score' }, ...tax.pillars.map((p) => h('option', { value: p.code }, p.name))),
      h('optgroup', { label: 'Capability level' }, ...tax.capabilities.map((c) => h('option', { value: c.code }, c.name)))] : []));
  select.value = app.state.diffusion.moran;
  select.addEventListener('change', () => {
    commit({ diffusion: { ...app.state.diffusion, moran: select.value } });
    onChange();
  });
  return h('label', { class: 'inline' }, 'Of ', select);
}

/** Which series' exposure to show (only with more than one series). */
function exposureSelect(tax: Taxonomy | null, onChange: () => void): HTMLElement | string {
  const series = app.state.diffusion.series;
  if (series.length < 2) return '';
  const select = h('select', { id: 'd-exposure-series' }, ...series.map((c) => h('option', { value: c }, seriesName(c, tax) + (isCapability(c) ? '' : ' (pillar)'))));
  select.value = exposureCode(app.state) ?? series[0];
  select.addEventListener('change', () => {
    commit({ diffusion: { ...app.state.diffusion, exposure: select.value } });
    onChange();
  });
  return h('label', { class: 'inline' }, 'Of ', select);
}
