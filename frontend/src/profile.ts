// The country profile panel: index and coverage, pillar radar against the
// reference, capability evidence with sources, the capabilities not yet
// assessed, corrections since the recorded date, constraint events, notes and
// history.

import { api, describeError, type Params } from './api';
import { radar, shortPillar } from './charts';
import { LEVEL_LABELS, NOT_ASSESSED, REFERENCE_COLOUR, SERIES_COLOURS, colourOf, levelClass, scoreClass } from './colours';
import { contributeNote } from './contribute';
import { changesSince, type Correction } from './corrections';
import { fill, h } from './dom';
import { THIN_COVERAGE, isThin } from './evidence';
import { bandLabel, fmtCoverage, fmtIndex } from './shape';
import { sourceList } from './sources';
import { timeline } from './timeline';
import type { Band, Capability, CountryProfile, HistoryAssessment, HistoryResponse, IndexRow, ProfileCapability } from './types';

const BASE_TITLE = 'SCS Diffusion Tracker';

export interface ProfileContext {
  params(): Params;
  /** The recorded date shown (recorded_as_of), or null for now. */
  recorded(): string | null;
  /** The taxonomy's capabilities (for their definitions), once loaded; empty when they could not be. */
  capabilities(): Promise<Capability[]>;
  /** Offers a chart as a PNG download. */
  downloadChart(canvas: HTMLCanvasElement, title: string, subtitle: string): void;
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
    cls === NOT_ASSESSED ? h('span', { 'aria-hidden': 'true' }, 'n/a') : String(level),
    cls === NOT_ASSESSED ? h('span', { class: 'visually-hidden' }, 'not assessed') : null,
  );
}

export class ProfilePanel {
  private iso3: string | null = null;
  /** The taxonomy's capabilities by code (definitions for the not-assessed list). */
  private taxonomy = new Map<string, Capability>();
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
    const recorded = this.ctx.recorded();
    try {
      const [profile, history, present, caps] = await Promise.all([
        api.country(iso3, this.ctx.params()),
        api.history(iso3, recorded).catch(() => null),
        // The corrections since the recorded date need the history as it stands now.
        recorded ? api.history(iso3, null).catch(() => null) : Promise.resolve(null),
        this.ctx.capabilities(),
      ]);
      if (seq !== this.seq) return;
      this.taxonomy = new Map(caps.map((c) => [c.code, c]));
      this.render(profile, history, recorded, present);
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

  private render(p: CountryProfile, history: HistoryResponse | null, recorded: string | null, present: HistoryResponse | null): void {
    this.title.textContent = p.name;
    document.title = `${p.name} · ${BASE_TITLE}`;
    this.subtitle.textContent = [p.subregion || p.region, p.iso3].filter(Boolean).join(' · ');
    fill(this.body,
      this.summary(p, recorded),
      ...p.notes.map((n) => h('aside', { class: 'note', 'aria-label': 'Note' }, h('p', {}, n.text), sourceList(n.sources))),
      recorded ? this.corrections(p, recorded, present) : null,
      this.pillars(p),
      this.capabilities(p),
      this.notAssessed(p),
      this.events(p),
      history ? this.history(history, p) : null,
      this.neighbours(p),
    );
  }

  private summary(p: CountryProfile, recorded: string | null): HTMLElement {
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
        ` · coverage ${fmtCoverage(p.coverage)} · resemblance to ${ref}, as of ${p.as_of}${recorded ? `, as recorded on ${recorded}` : ''}`,
      ),
      p.assessed ? null : h('p', { class: 'muted' }, 'No assessment yet: this is missing evidence, not a score of zero.'),
      p.assessed && isThin(p.coverage) ? this.thinNote(p) : null,
      h('div', { class: 'button-row' }, zoom, compare),
    );
  }

  /** Says that a low-coverage index means "not yet known", with the counts behind it. */
  private thinNote(p: CountryProfile): HTMLElement {
    const missing = p.capabilities.filter((c) => c.level === null).length;
    return h('p', { class: 'thin-note', 'data-field': 'thin' },
      h('strong', {}, 'Thin evidence. '),
      `Coverage is below ${Math.round(THIN_COVERAGE * 100)} %: ${missing} of ${p.capabilities.length} capabilities are not yet assessed, `,
      'and the index counts them as 0. A low index here means "not yet known", not "little resemblance".');
  }

  private pillars(p: CountryProfile): HTMLElement {
    const canvas = h('canvas', { role: 'img', 'aria-label': `Radar chart of ${p.name}'s six pillar scores against ${this.ctx.countryName(p.reference)}` });
    const labels = p.pillars.map((x) => shortPillar(x.code));
    // A pillar with nothing assessed has no score to draw (not a score of 0).
    const known = (x: CountryProfile['pillars'][number]) => p.assessed && x.score !== null && x.coverage > 0;
    const refName = this.ctx.countryName(p.reference);
    void radar(canvas, labels, [
      { label: `${refName} (reference)`, colour: REFERENCE_COLOUR, data: p.pillars.map((x) => x.reference_score ?? null), dashed: true },
      { label: p.name, colour: SERIES_COLOURS[1], data: p.pillars.map((x) => (known(x) ? x.score : null)), fill: true },
    ]);
    const bands = this.ctx.bands();
    const rows = p.pillars.map((x) => {
      const cls = known(x) ? scoreClass(x.score, bands) : NOT_ASSESSED;
      const value = x.score === null ? 'not counted' : !known(x) ? 'not assessed' : fmtIndex(x.score);
      return h('tr', {},
        h('th', { scope: 'row' }, x.name),
        h('td', { class: 'num' }, h('span', { class: `swatch${cls === NOT_ASSESSED ? ' swatch-na' : ''}`, style: `background-color:${colourOf(cls)}`, 'aria-hidden': 'true' }), value),
        h('td', { class: 'num' }, x.score === null ? '—' : fmtCoverage(x.coverage)),
        h('td', { class: 'num muted' }, fmtIndex(x.reference_score ?? null)),
      );
    });
    const png = h('button', { type: 'button', class: 'secondary small-button', 'data-png': 'profile-radar', 'aria-label': `Download PNG of ${p.name}'s pillar scores` }, 'Download PNG');
    png.addEventListener('click', () => this.ctx.downloadChart(canvas, `${p.name}: pillar scores against ${refName}`, `Resemblance by pillar (0–100), coverage ${fmtCoverage(p.coverage)}`));
    return h('section', { 'aria-labelledby': 'pillars-h' },
      h('h3', { id: 'pillars-h' }, 'Pillar scores'),
      h('div', { class: 'chart radar' }, canvas),
      h('div', { class: 'chart-tools' }, png),
      h('table', { class: 'compact' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Pillar'), h('th', { scope: 'col', class: 'num' }, 'Score'), h('th', { scope: 'col', class: 'num' }, 'Coverage'), h('th', { scope: 'col', class: 'num' }, 'Reference'))),
        h('tbody', {}, ...rows)),
    );
  }

  private capabilities(p: CountryProfile): HTMLElement | null {
    const groups = p.pillars.flatMap((pl) => {
      const caps = p.capabilities.filter((c) => c.pillar === pl.code && c.level !== null);
      if (!caps.length) return [];
      return [h('tbody', {},
        h('tr', { class: 'group' }, h('th', { scope: 'rowgroup', colspan: 4 }, pl.name)),
        ...caps.map((c) => capabilityRow(c)))];
    });
    if (!groups.length) return null;
    return h('section', { 'aria-labelledby': 'caps-h' },
      h('h3', { id: 'caps-h' }, 'Assessed capabilities'),
      h('table', { class: 'caps' },
        h('caption', { class: 'muted' }, `Level 0–4 as of ${p.as_of}; reference: ${this.ctx.countryName(p.reference)}. Confidence H, M or L. The capabilities not yet assessed are listed below.`),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Capability and evidence'),
          h('th', { scope: 'col' }, 'Level'),
          h('th', { scope: 'col' }, 'Ref.'),
          h('th', { scope: 'col' }, 'Conf.'))),
        ...groups),
    );
  }

  /** The capabilities without an assessment: listed as such (never as 0), with their definitions. */
  private notAssessed(p: CountryProfile): HTMLElement | null {
    const missing = p.capabilities.filter((c) => c.level === null);
    if (!missing.length) return null;
    const pillarName = new Map(p.pillars.map((x) => [x.code, x.name]));
    return h('section', { 'aria-labelledby': 'na-h', class: 'not-assessed-list' },
      h('h3', { id: 'na-h' }, `Not yet assessed (${missing.length} of ${p.capabilities.length})`),
      h('p', { class: 'muted small' }, `No assessment has been recorded for these capabilities${p.as_of ? ` as of ${p.as_of}` : ''}. This is missing evidence, not a level of 0; the index counts them as 0 and the coverage shows how much is missing.`),
      h('dl', { class: 'na-caps' }, ...missing.flatMap((c) => {
        const def = this.taxonomy.get(c.code)?.definition;
        const ref = c.reference_level === null ? '' : ` · reference level ${c.reference_level}`;
        return [
          h('dt', { 'data-capability': c.code }, c.name, h('span', { class: 'muted small' }, ` · ${pillarName.get(c.pillar) ?? c.pillar}${ref}`)),
          h('dd', {}, def ?? ''),
        ];
      })),
      contributeNote(),
    );
  }

  /** What the tracker changed since the recorded date shown: old level → new level, reason and new sources. */
  private corrections(p: CountryProfile, recorded: string, present: HistoryResponse | null): HTMLElement {
    const head = h('h3', { id: 'corrections-h' }, `Corrections since ${recorded}`);
    if (!present) {
      return h('section', { 'aria-labelledby': 'corrections-h', class: 'corrections' }, head,
        h('p', { class: 'muted' }, 'The history as it stands now could not be loaded, so the corrections since this date are not shown.'));
    }
    const { corrections, added } = changesSince(present.assessments, recorded);
    const names = new Map(p.capabilities.map((c) => [c.code, c.name]));
    const name = (code: string) => names.get(code) ?? this.taxonomy.get(code)?.name ?? code;
    return h('section', { 'aria-labelledby': 'corrections-h', class: 'corrections' }, head,
      h('p', { class: 'muted small' }, `This profile shows the tracker as it stood on ${recorded}. Since then:`),
      corrections.length
        ? h('ol', { class: 'correction-list' }, ...corrections.map((c) => correctionItem(c, name(c.capability))))
        : h('p', { 'data-field': 'no-corrections' }, 'No correction has been recorded since this date.'),
      added.length
        ? h('p', { class: 'small' }, `${added.length} assessment${added.length === 1 ? '' : 's'} recorded since: `,
            added.map((a) => `${name(a.capability)} (level ${a.level}, recorded ${a.recorded_at.slice(0, 10)})`).join('; '), '.')
        : null,
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

/** "Level judgement": the level is an editorial judgement (shown when the API says so). */
export function judgementBadge(flag: boolean | null | undefined): HTMLElement | null {
  if (flag !== true) return null;
  return h('span', { class: 'badge', title: 'The sources establish the capability; the level is an editorial judgement.' }, 'level judgement');
}

function levelText(a: HistoryAssessment): string {
  return `level ${a.level}`;
}

function correctionItem(c: Correction, name: string): HTMLElement {
  const when = c.now.recorded_at.slice(0, 10);
  const change = c.withdrawn ? `${levelText(c.old)} → withdrawn` : `${levelText(c.old)} → ${levelText(c.now)}`;
  const besides = c.changed.filter((x) => x !== 'sources');
  return h('li', { 'data-capability': c.capability },
    h('p', {}, h('strong', {}, name), `: ${change}`, judgementBadge(c.levelJudgement) ? ' ' : null, judgementBadge(c.levelJudgement)),
    h('p', { class: 'muted small' },
      `Recorded ${when}${c.steps > 1 ? ` (${c.steps} corrections)` : ''}`,
      besides.length ? `; also changed: ${besides.join(', ')}` : '',
      c.withdrawn ? '' : `; valid ${c.now.valid_from} – ${c.now.valid_to ?? 'present'}`),
    h('p', { class: 'small' }, c.reason ? `Reason: ${c.reason}` : 'No reason was recorded with this correction.'),
    c.newSources.length ? h('div', { class: 'small' }, 'New sources:', sourceList(c.newSources)) : null,
  );
}

/** Where a level came from when a partner's report (not the shipped dataset) set it. */
function provenanceNote(c: ProfileCapability): HTMLElement | null {
  if (c.provenance !== 'report') return null;
  const org = typeof c.organisation === 'string' ? c.organisation : c.organisation?.name ?? null;
  return h('p', { class: 'muted small provenance', 'data-provenance': 'report' },
    `From a partner report${c.report_id ? ` (#${c.report_id})` : ''}${org ? ` by ${org}` : ' by an organisation that stays unnamed'}, accepted by a reviewer of another organisation.`);
}

function capabilityRow(c: ProfileCapability): HTMLElement {
  const valid = c.valid_from ? `${c.valid_from} – ${c.valid_to ?? 'present'}` : null;
  const reason = typeof c.correction_reason === 'string' && c.correction_reason.trim() ? c.correction_reason.trim() : null;
  return h('tr', { 'data-capability': c.code },
    h('td', {},
      h('div', { class: 'cap-name' }, c.name, judgementBadge(c.level_judgement) ? ' ' : null, judgementBadge(c.level_judgement)),
      c.summary ? h('p', { class: 'cap-summary' }, c.summary) : null,
      reason ? h('p', { class: 'small' }, `Corrected: ${reason}`) : null,
      valid ? h('p', { class: 'muted small' }, `Valid ${valid}`) : null,
      provenanceNote(c),
      sourceList(c.sources)),
    h('td', {}, levelChip(c.level)),
    h('td', { class: 'muted' }, c.reference_level === null ? '—' : String(c.reference_level)),
    h('td', {}, c.confidence ?? '—'),
  );
}


function skeleton(): HTMLElement {
  return h('div', { class: 'skeleton', 'aria-label': 'Loading profile' },
    ...Array.from({ length: 6 }, () => h('div', { class: 'skeleton-line' })));
}

