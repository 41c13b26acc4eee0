// The searchable country list: the keyboard route to every profile. Each
// country shows its index and, beside it, its coverage; a colour resting on
// thin evidence gets the same stripes as on the map.

import { NOT_ASSESSED, colourOf } from './colours';
import { h } from './dom';
import { filterRows, fmtCoverage, fmtIndex } from './shape';
import type { IndexRow } from './types';

export class CountryList {
  private rows: IndexRow[] = [];
  private key = '';
  private readonly items = new Map<string, { li: HTMLElement; button: HTMLButtonElement; swatch: HTMLElement; value: HTMLElement; coverage: HTMLElement; cls: number | null; thin: boolean | null; label: string }>();

  constructor(
    private readonly input: HTMLInputElement,
    private readonly list: HTMLElement,
    private readonly status: HTMLElement,
    private readonly onSelect: (iso3: string) => void,
  ) {
    input.addEventListener('input', () => this.filter());
    input.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        this.buttons()[0]?.focus();
      } else if (e.key === 'Enter') {
        const first = this.buttons()[0];
        if (first) {
          e.preventDefault();
          first.click();
        }
      }
    });
    list.addEventListener('keydown', (e) => this.onListKey(e));
  }

  /** The visible buttons, in list order. */
  private buttons(): HTMLButtonElement[] {
    return [...this.items.values()].filter((i) => !i.li.hidden).map((i) => i.button);
  }

  private onListKey(e: KeyboardEvent): void {
    const buttons = this.buttons();
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0) return;
    const go = (j: number) => {
      e.preventDefault();
      buttons[Math.max(0, Math.min(buttons.length - 1, j))]?.focus();
    };
    if (e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowUp') (i === 0 ? (e.preventDefault(), this.input.focus()) : go(i - 1));
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(buttons.length - 1);
    else if (e.key === 'Escape') {
      e.preventDefault();
      this.input.focus();
    }
  }

  /** Shows the rows (names, colours, values); items are built once and then updated in place. */
  update(rows: IndexRow[], classes: Map<string, number>, thin: ReadonlySet<string>, selected: string | null): void {
    const key = rows.map((r) => r.iso3).join();
    if (key !== this.key) {
      this.key = key;
      this.rows = [...rows].sort((a, b) => a.name.localeCompare(b.name));
      this.build();
    } else {
      const byIso = new Map(rows.map((r) => [r.iso3, r]));
      this.rows = this.rows.map((r) => byIso.get(r.iso3) ?? r);
    }
    for (const r of this.rows) {
      const item = this.items.get(r.iso3)!;
      const cls = classes.get(r.iso3) ?? NOT_ASSESSED;
      const isThin = thin.has(r.iso3);
      const value = r.assessed ? fmtIndex(r.index) : '—';
      const coverage = r.assessed ? fmtCoverage(r.coverage) : '';
      if (item.cls !== cls || item.thin !== isThin) {
        item.cls = cls;
        item.thin = isThin;
        item.swatch.style.backgroundColor = colourOf(cls);
        item.swatch.classList.toggle('swatch-na', cls === NOT_ASSESSED);
        item.swatch.classList.toggle('swatch-thin', isThin);
      }
      if (item.value.textContent !== value) item.value.textContent = value;
      if (item.coverage.textContent !== coverage) item.coverage.textContent = coverage;
      const label = r.assessed
        ? `${r.name}: index ${value}, coverage ${coverage}${isThin ? ', thin evidence' : ''}`
        : `${r.name}: not assessed`;
      if (item.label !== label) {
        item.label = label;
        item.button.setAttribute('aria-label', label);
      }
      if (r.iso3 === selected) item.button.setAttribute('aria-current', 'true');
      else item.button.removeAttribute('aria-current');
    }
  }

  private build(): void {
    this.items.clear();
    const lis = this.rows.map((r) => {
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      const value = h('span', { class: 'value', 'aria-hidden': 'true' });
      const coverage = h('span', { class: 'coverage', 'aria-hidden': 'true', title: 'Coverage: the share of counted capabilities with an assessment' });
      const button = h('button', { type: 'button', 'data-iso3': r.iso3 }, swatch, h('span', { class: 'name' }, r.name), value, coverage);
      button.addEventListener('click', () => this.onSelect(r.iso3));
      const li = h('li', {}, button);
      this.items.set(r.iso3, { li, button, swatch, value, coverage, cls: null, thin: null, label: '' });
      return li;
    });
    this.list.replaceChildren(...lis);
    this.filter();
  }

  /** Hides the items that do not match the search text. */
  private filter(): void {
    const shown = new Set(filterRows(this.rows, this.input.value).map((r) => r.iso3));
    for (const [iso, item] of this.items) item.li.hidden = !shown.has(iso);
    this.status.textContent = this.input.value ? `${shown.size} matching countries` : `${shown.size} countries`;
  }
}
