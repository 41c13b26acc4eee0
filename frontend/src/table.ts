// The table view: a sortable ranking of every country, the accessible
// alternative to the map, with CSV downloads for the current parameters.

import { NOT_ASSESSED, colourOf } from './colours';
import { h } from './dom';
import { isThin } from './evidence';
import { bandLabel, fmtCoverage, fmtIndex, sortRows } from './shape';
import type { SortDir, SortKey } from './state';
import type { Band, IndexRow } from './types';

export interface TableContext {
  onSort(key: SortKey, dir: SortDir): void;
  onSelect(iso3: string): void;
}

const COLUMNS: { key: SortKey; label: string; numeric: boolean; firstDir: SortDir }[] = [
  { key: 'name', label: 'Country', numeric: false, firstDir: 'asc' },
  { key: 'region', label: 'Region', numeric: false, firstDir: 'asc' },
  { key: 'index', label: 'Index', numeric: true, firstDir: 'desc' },
  { key: 'band', label: 'Band', numeric: false, firstDir: 'desc' },
  { key: 'coverage', label: 'Coverage', numeric: true, firstDir: 'desc' },
];

export interface TableData {
  rows: IndexRow[];
  bands: Band[];
  sort: { key: SortKey; dir: SortDir };
  asOf: string;
  referenceName: string;
  csvIndex: string;
  csvAssessments: string;
}

export class TableView {
  constructor(private readonly el: HTMLElement, private readonly ctx: TableContext) {}

  loading(): void {
    this.el.setAttribute('aria-busy', 'true');
    this.el.replaceChildren(h('div', { class: 'skeleton', role: 'status', 'aria-label': 'Loading the table' },
      ...Array.from({ length: 12 }, () => h('div', { class: 'skeleton-line' }))));
  }

  render(d: TableData): void {
    const focusedKey = (document.activeElement as HTMLElement | null)?.dataset?.sortKey;
    const sorted = sortRows(d.rows, d.sort.key, d.sort.dir, d.bands);
    const ranks = new Map(
      sortRows(d.rows, 'index', 'desc', d.bands).filter((r) => r.assessed).map((r, i) => [r.iso3, i + 1]),
    );
    const head = h('tr', {},
      h('th', { scope: 'col', class: 'num' }, 'Rank'),
      ...COLUMNS.map((c) => this.header(c, d.sort)));
    const body = sorted.map((r) => this.row(r, ranks.get(r.iso3), d.bands));
    const assessed = d.rows.filter((r) => r.assessed).length;
    this.el.replaceChildren(
      h('div', { class: 'table-tools' },
        h('p', { class: 'muted' }, `${assessed} of ${d.rows.length} countries assessed · as of ${d.asOf} · resemblance to ${d.referenceName}`),
        h('p', { class: 'downloads' },
          h('a', { href: d.csvIndex, download: '', class: 'button' }, 'Download index (CSV)'),
          ' ',
          h('a', { href: d.csvAssessments, download: '', class: 'button secondary' }, 'All assessments (CSV)'))),
      h('div', { class: 'table-scroll' },
        h('table', { class: 'ranking', id: 'ranking' },
          h('caption', { class: 'visually-hidden' }, 'Countries ranked by resemblance index. Column headers sort the table.'),
          h('thead', {}, head),
          h('tbody', {}, ...body))),
    );
    this.el.removeAttribute('aria-busy');
    if (focusedKey) this.el.querySelector<HTMLElement>(`[data-sort-key="${focusedKey}"]`)?.focus();
  }

  private header(c: (typeof COLUMNS)[number], sort: TableData['sort']): HTMLElement {
    const active = sort.key === c.key;
    const next: SortDir = active ? (sort.dir === 'asc' ? 'desc' : 'asc') : c.firstDir;
    const button = h('button', { type: 'button', class: 'sort', 'data-sort-key': c.key },
      c.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ' ↕'));
    button.setAttribute('aria-label', `${c.label}: sort ${next === 'asc' ? 'ascending' : 'descending'}`);
    button.addEventListener('click', () => this.ctx.onSort(c.key, next));
    return h('th', {
      scope: 'col',
      class: c.numeric ? 'num' : '',
      'aria-sort': active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : null,
    }, button);
  }

  private row(r: IndexRow, rank: number | undefined, bands: Band[]): HTMLElement {
    const name = h('button', { type: 'button', class: 'link-button', 'data-iso3': r.iso3 }, r.name);
    name.addEventListener('click', () => this.ctx.onSelect(r.iso3));
    const cls = r.assessed ? Math.max(0, bands.findIndex((b) => b.code === r.band)) : NOT_ASSESSED;
    const thin = r.assessed && isThin(r.coverage);
    return h('tr', { class: r.assessed ? '' : 'not-assessed', 'data-iso3': r.iso3 },
      h('td', { class: 'num muted' }, rank ? String(rank) : ''),
      h('th', { scope: 'row' }, name),
      h('td', {}, r.subregion || r.region || ''),
      h('td', { class: 'num' }, r.assessed ? fmtIndex(r.index) : '—'),
      h('td', {}, h('span', { class: `chip${cls === NOT_ASSESSED ? ' chip-na' : ''}` },
        h('span', { class: `swatch${thin ? ' swatch-thin' : ''}`, style: `background-color:${colourOf(cls)}`, 'aria-hidden': 'true' }),
        bandLabel(r.band, bands))),
      h('td', { class: 'num' }, r.assessed ? fmtCoverage(r.coverage) : '—', thin ? h('span', { class: 'visually-hidden' }, ' (thin evidence)') : null),
    );
  }
}
