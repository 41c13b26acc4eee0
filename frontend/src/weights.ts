// The weights panel: pillar weights and the reference country. Every change
// goes to the URL and recolours the map; "Reset" returns to the defaults.
// The panel never produces weights that are all zero (the API refuses them):
// the last pillar with weight stops at the smallest step above 0.

import { h, debounce } from './dom';
import { DEFAULT_REFERENCE, weightsAllZero, type PillarCodes } from './state';
import type { IndexRow, Pillar } from './types';

export interface WeightsContext {
  onChange(weights: Record<string, number>, reference: string): void | Promise<void>;
}

const MAX_PILLAR_WEIGHT = 3;
const STEP = 0.5;

export class WeightsPanel {
  private weights: Record<string, number> = {};
  private reference = DEFAULT_REFERENCE;
  private sliders = new Map<string, { input: HTMLInputElement; out: HTMLOutputElement }>();
  private readonly refSelect: HTMLSelectElement;
  private readonly extra: HTMLElement;
  /** "At least one pillar…", shown when a slider was stopped above 0. */
  private readonly zeroHint: HTMLElement;
  /** What the app dropped from the link (unknown weights, reference). */
  private readonly notice: HTMLElement;
  private pillars: PillarCodes[] = [];
  private readonly emit: () => void;

  constructor(private readonly el: HTMLElement, private readonly ctx: WeightsContext) {
    this.refSelect = h('select', { id: 'reference-select' });
    this.refSelect.addEventListener('change', () => {
      this.reference = this.refSelect.value;
      this.showNotice(null);
      void this.ctx.onChange({ ...this.weights }, this.reference);
    });
    this.extra = h('p', { class: 'muted small', hidden: true });
    this.zeroHint = h('p', { class: 'weights-hint small', id: 'weights-zero-hint', role: 'status', hidden: true });
    this.notice = h('p', { class: 'weights-hint small', id: 'weights-notice', role: 'status', hidden: true });
    this.emit = debounce(() => void this.ctx.onChange({ ...this.weights }, this.reference), 150);
  }

  /** Builds the sliders once the taxonomy is known. */
  build(pillars: Pillar[]): void {
    const reset = h('button', { type: 'button', class: 'secondary', id: 'weights-reset' }, 'Reset to defaults');
    reset.addEventListener('click', () => {
      this.showNotice(null);
      this.zeroHint.hidden = true;
      void this.ctx.onChange({}, DEFAULT_REFERENCE);
    });
    this.pillars = pillars.map((p) => ({ code: p.code, capabilities: p.capabilities }));
    const rows = pillars.map((p) => {
      const id = `w-${p.code}`;
      const input = h('input', { type: 'range', id, min: 0, max: MAX_PILLAR_WEIGHT, step: STEP, value: 1, 'data-pillar': p.code });
      const out = h('output', { for: id }, '×1');
      input.addEventListener('input', () => {
        let v = Number(input.value);
        // The last weight standing may not reach 0: the API refuses all-zero weights.
        const stopped = v === 0 && weightsAllZero({ ...this.weights, [p.code]: 0 }, this.pillars);
        if (stopped) {
          v = STEP;
          input.value = String(v);
        }
        this.showNotice(null);
        this.zeroHint.hidden = !stopped;
        this.zeroHint.textContent = stopped ? 'At least one pillar needs a weight above 0.' : '';
        out.textContent = `×${v}`;
        if (v === 1) delete this.weights[p.code];
        else this.weights[p.code] = v;
        this.emit();
      });
      this.sliders.set(p.code, { input, out });
      return h('div', { class: 'weight-row' }, h('label', { for: id }, p.name), input, out);
    });
    this.el.replaceChildren(
      h('p', { class: 'muted small' }, 'Each pillar weighs the same by default, split evenly among its capabilities. Weight 0 leaves a pillar out.'),
      ...rows,
      this.zeroHint,
      this.extra,
      this.notice,
      h('div', { class: 'weight-row reference-row' }, h('label', { for: 'reference-select' }, 'Reference country'), this.refSelect),
      h('p', { class: 'muted small' }, 'The index measures resemblance to the reference country\u2019s own assessments at the same date.'),
      reset,
    );
    this.sync(this.weights, this.reference);
  }

  /** Fills the reference list with assessed countries (the current reference always included). */
  setCountries(rows: IndexRow[]): void {
    const keep = this.reference;
    const options = rows
      .filter((r) => r.assessed || r.iso3 === keep)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((r) => h('option', { value: r.iso3 }, r.iso3 === DEFAULT_REFERENCE ? `${r.name} (default)` : r.name));
    this.refSelect.replaceChildren(...options);
    this.refSelect.value = keep;
  }

  /** Says what was ignored from the link (null hides the note). */
  showNotice(text: string | null): void {
    this.notice.hidden = !text;
    this.notice.textContent = text ?? '';
  }

  /** Shows the values from the state (URL) without firing changes. */
  sync(weights: Record<string, number>, reference: string): void {
    this.weights = { ...weights };
    this.reference = reference;
    for (const [code, { input, out }] of this.sliders) {
      const v = weights[code] ?? 1;
      input.value = String(Math.min(v, MAX_PILLAR_WEIGHT));
      out.textContent = `×${v}`;
    }
    if (!Object.keys(weights).length) this.zeroHint.hidden = true;
    const capWeights = Object.keys(weights).filter((k) => k.includes('.'));
    this.extra.hidden = capWeights.length === 0;
    this.extra.textContent = capWeights.length ? `Also applied from the link: ${capWeights.map((k) => `${k} ×${weights[k]}`).join(', ')}.` : '';
    if (![...this.refSelect.options].some((o) => o.value === reference)) {
      this.refSelect.append(h('option', { value: reference }, reference));
    }
    this.refSelect.value = reference;
  }
}
