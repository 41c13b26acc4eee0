// The country profile panel: index, pillar radar against the reference,
// capability evidence with sources, constraint events, notes and history.

import { api, describeError, type Params } from './api';
import { radar } from './charts';
import { LEVEL_LABELS, NOT_ASSESSED, REFERENCE_COLOUR, SERIES_COLOURS, colourOf, levelClass, scoreClass } from './colours';
import { fill, h } from './dom';
import { bandLabel, fmtCoverage, fmtIndex } from './shape';
import { sourceList } from './sources';
import { timeline } from './timeline';
import type { Band, CountryProfile, HistoryResponse, IndexRow, ProfileCapability } from './types';

const BASE_TITLE = 'SCS Diffusion Tracker';

export interface ProfileContext {
  params(): Params;
  bands(): Band[];
  years(): { start: number; end: number; current: number };
  countryName(iso3: string): string;
  canCompare(iso3: string): boolean;
  onClose(): void;
  onCompare(iso3: string): void;
  onSelect(iso3: string): void;
  onZoom(bbox: [number, number, number, number]): void;
}

/** A colour chip + label for a capability level (null = not assessed). */
export function levelChip(level: number | null): HTMLElement {
  const cls = levelClass(level);
  const label = cls === NOT_ASSESSED ? 'Not assessed' : `${level} · ${LEVEL_LABELS[cls]}`;
  return h('span', { class: `chip${cls === NOT_ASSESSED ? ' chip-na' : ''}`, title: label },
    h('span', { class: 'swatch', style: `background:${colourOf(cls)}`, 'aria-hidden': 'true' }),
    cls === NOT_ASSESSED ? 'n/a' : String(level),
  );
}

export class ProfilePanel {
  private iso3: string | null = null;
  private seq = 0;
  private readonly body: HTMLElement;
  private readonly title: HTMLElement;
  private readonly subtitle: HTMLElement;

  constructor(private readonly el: HTMLElement, private readonly ctx: ProfileContext) {
    this.title = h('h2', { id: 'profile-title' }, '');
    this.subtitle = h('p', { class: 'muted profile-sub' }, '');
    const close = h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close profile' }, '×');
    close.addEventListener('click', () => ctx.onClose());
    this.body = h('div', { class: 'profile-body' });
    el.replaceChildren(h('header', { class: 'profile-head' }, h('div', {}, this.title, this.subtitle), close), this.body);
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') ctx.onClose();
    });
  }

  get current(): string | null {
    return this.iso3;
  }

  /** Opens (or reloads) the profile of `iso3` for the current parameters. */
  async show(iso3: string, focus = false): Promise<void> {
    const seq = ++this.seq;
    const changed = iso3 !== this.iso3;
    this.iso3 = iso3;
    this.el.hidden = false;
    if (changed) {
      this.title.textContent = this.ctx.countryName(iso3);
      this.subtitle.textContent = iso3;
      this.body.replaceChildren(skeleton());
      this.body.setAttribute('aria-busy', 'true');
    }
    if (focus) this.el.focus();
    try {
      const [profile, history] = await Promise.all([
        api.country(iso3, this.ctx.params()),
        api.history(iso3).catch(() => null),
      ]);
      if (seq !== this.seq) return;
      this.render(profile, history);
    } catch (e) {
      if (seq !== this.seq) return;
      const retry = h('button', { type: 'button' }, 'Try again');
      retry.addEventListener('click', () => void this.show(iso3));
      this.body.replaceChildren(h('div', { class: 'error', role: 'alert' }, h('p', {}, `Could not load this profile. ${describeError(e)}`), retry));
    } finally {
      if (seq === this.seq) this.body.removeAttribute('aria-busy');
    }
  }

  hide(): void {
    this.seq++;
    this.iso3 = null;
    this.el.hidden = true;
    document.title = BASE_TITLE;
  }

  /** Instant update of the headline numbers from the map's /index row while the detail reloads. */
  updateFromIndex(row: IndexRow | undefined): void {
    const idx = this.body.querySelector('[data-field="index"]');
    if (!row || !idx) return;
    idx.textContent = fmtIndex(row.index);
  }

  private render(p: CountryProfile, history: HistoryResponse | null): void {
    this.title.textContent = p.name;
    document.title = `${p.name} · ${BASE_TITLE}`;
    this.subtitle.textContent = [p.subregion || p.region, p.iso3].filter(Boolean).join(' · ');
    fill(this.body,
      this.summary(p),
      ...p.notes.map((n) => h('aside', { class: 'note', 'aria-label': 'Note' }, h('p', {}, n.text), sourceList(n.sources))),
      this.pillars(p),
      this.capabilities(p),
      this.events(p),
      history ? this.history(history, p) : null,
      this.neighbours(p),
    );
  }

  private summary(p: CountryProfile): HTMLElement {
    const bands = this.ctx.bands();
    const cls = p.assessed ? Math.max(0, bands.findIndex((b) => b.code === p.band)) : NOT_ASSESSED;
    const compare = h('button', { type: 'button', disabled: !this.ctx.canCompare(p.iso3) }, 'Add to comparison');
    compare.addEventListener('click', () => this.ctx.onCompare(p.iso3));
    const zoom = h('button', { type: 'button', disabled: !p.bbox }, 'Zoom to country');
    zoom.addEventListener('click', () => p.bbox && this.ctx.onZoom(p.bbox));
    const ref = this.ctx.countryName(p.reference);
    return h('section', { class: 'summary', 'aria-label': 'Summary' },
      h('div', { class: 'big-number' },
        h('span', { class: 'value', 'data-field': 'index' }, p.assessed ? fmtIndex(p.index) : '—'),
        h('span', { class: 'unit' }, ' / 100'),
      ),
      h('p', {},
        h('span', { class: `chip${cls === NOT_ASSESSED ? ' chip-na' : ''}` },
          h('span', { class: 'swatch', style: `background:${colourOf(cls)}`, 'aria-hidden': 'true' }),
          bandLabel(p.band, bands)),
        ` · coverage ${fmtCoverage(p.coverage)} · resemblance to ${ref}, as of ${p.as_of}`,
      ),
      p.assessed ? null : h('p', { class: 'muted' }, 'No assessment yet: this is missing evidence, not a score of zero.'),
      h('div', { class: 'button-row' }, zoom, compare),
    );
  }

  private pillars(p: CountryProfile): HTMLElement {
    const canvas = h('canvas', { role: 'img', 'aria-label': `Radar chart of ${p.name}'s six pillar scores against ${this.ctx.countryName(p.reference)}` });
    const labels = p.pillars.map((x) => shortPillar(x.code));
    void radar(canvas, labels, [
      { label: `${this.ctx.countryName(p.reference)} (reference)`, colour: REFERENCE_COLOUR, data: p.pillars.map((x) => x.reference_score ?? null), dashed: true },
      { label: p.name, colour: SERIES_COLOURS[1], data: p.pillars.map((x) => (p.assessed ? x.score : null)), fill: true },
    ]);
    const bands = this.ctx.bands();
    const rows = p.pillars.map((x) =>
      h('tr', {},
        h('th', { scope: 'row' }, x.name),
        h('td', { class: 'num' }, h('span', { class: 'swatch', style: `background:${colourOf(scoreClass(x.score, bands))}`, 'aria-hidden': 'true' }), x.score === null ? 'not counted' : fmtIndex(x.score)),
        h('td', { class: 'num muted' }, fmtIndex(x.reference_score ?? null)),
      ));
    return h('section', { 'aria-labelledby': 'pillars-h' },
      h('h3', { id: 'pillars-h' }, 'Pillar scores'),
      h('div', { class: 'chart radar' }, canvas),
      h('table', { class: 'compact' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Pillar'), h('th', { scope: 'col', class: 'num' }, 'Score'), h('th', { scope: 'col', class: 'num' }, 'Reference'))),
        h('tbody', {}, ...rows)),
    );
  }

  private capabilities(p: CountryProfile): HTMLElement {
    const groups = p.pillars.map((pl) => {
      const caps = p.capabilities.filter((c) => c.pillar === pl.code);
      return h('tbody', {},
        h('tr', { class: 'group' }, h('th', { scope: 'rowgroup', colspan: 4 }, pl.name)),
        ...caps.map((c) => capabilityRow(c)));
    });
    return h('section', { 'aria-labelledby': 'caps-h' },
      h('h3', { id: 'caps-h' }, 'Capabilities'),
      h('table', { class: 'caps' },
        h('caption', { class: 'muted' }, `Level 0–4 as of ${p.as_of}; reference: ${this.ctx.countryName(p.reference)}. Confidence H, M or L.`),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Capability and evidence'),
          h('th', { scope: 'col' }, 'Level'),
          h('th', { scope: 'col' }, 'Ref.'),
          h('th', { scope: 'col' }, 'Conf.'))),
        ...groups),
    );
  }

  private events(p: CountryProfile): HTMLElement | null {
    if (!p.constraint_events.length) return null;
    return h('section', { 'aria-labelledby': 'events-h' },
      h('h3', { id: 'events-h' }, 'Constraint events'),
      h('ul', { class: 'events' }, ...p.constraint_events.map((ev) =>
        h('li', {},
          h('p', {}, h('time', { datetime: ev.date }, ev.date), ' · ', h('strong', {}, ev.title), ` (${ev.kind.replace(/_/g, ' ')})`),
          ev.description ? h('p', {}, ev.description) : null,
          ev.ends ? h('p', { class: 'muted' }, `Ends: ${ev.ends}`) : null,
          sourceList(ev.sources)))),
    );
  }

  private history(hist: HistoryResponse, p: CountryProfile): HTMLElement {
    const y = this.ctx.years();
    const names = new Map(p.capabilities.map((c) => [c.code, c.name]));
    return h('section', { 'aria-labelledby': 'history-h' },
      h('h3', { id: 'history-h' }, 'History'),
      timeline(hist.assessments, p.constraint_events, y.start, y.end + 1, y.current, names),
    );
  }

  private neighbours(p: CountryProfile): HTMLElement | null {
    if (!p.neighbours?.length) return null;
    return h('section', { 'aria-labelledby': 'neigh-h' },
      h('h3', { id: 'neigh-h' }, 'Land neighbours'),
      h('ul', { class: 'inline-list' }, ...p.neighbours.map((n) => {
        const b = h('button', { type: 'button', class: 'link-button' }, n.name);
        b.addEventListener('click', () => this.ctx.onSelect(n.iso3));
        return h('li', {}, b);
      })),
    );
  }
}

function capabilityRow(c: ProfileCapability): HTMLElement {
  const valid = c.valid_from ? `${c.valid_from} – ${c.valid_to ?? 'present'}` : null;
  return h('tr', {},
    h('td', {},
      h('div', { class: 'cap-name' }, c.name),
      c.summary ? h('p', { class: 'cap-summary' }, c.summary) : null,
      valid ? h('p', { class: 'muted small' }, `Valid ${valid}`) : null,
      sourceList(c.sources)),
    h('td', {}, levelChip(c.level)),
    h('td', { class: 'muted' }, c.reference_level === null ? '—' : String(c.reference_level)),
    h('td', {}, c.confidence ?? '—'),
  );
}

/** A short radar label for a pillar: its code, capitalised ("surveillance" → "Surveillance"). */
export function shortPillar(code: string): string {
  return code.charAt(0).toUpperCase() + code.slice(1).replace(/_/g, ' ');
}

function skeleton(): HTMLElement {
  return h('div', { class: 'skeleton', 'aria-label': 'Loading profile' },
    ...Array.from({ length: 6 }, () => h('div', { class: 'skeleton-line' })));
}

