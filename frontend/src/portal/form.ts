// The report form: country, period, narrative; proposed assessments (with the
// capability's definition and level criteria, and the country's current level
// and sources beside the proposal), sites placed on a small map of the
// country, constraint events, and their sources. Validation mirrors the
// server's and every 422 errors[] pointer is shown on its field; nothing
// typed is ever lost: every keystroke is kept in sessionStorage until the
// server has it, and an expired session brings the login back over it.

import { api } from '../api';
import { fill, h, debounce } from '../dom';
import type { CountryProfile, ProfileCapability, Source } from '../types';
import type { Feature, Geometry } from 'geojson';
import { countryNames, taxonomy, type Taxonomy } from './countries';
import { decodeDraft, draftKey, encodeDraft, isoDay, newAssessment, newConstraint, newSite, setAt, toInput, toWire, validateReport } from './formstate';
import { call, etagOf, newKey, PortalError } from './http';
import { onLeave, type Portal } from './shell';
import { pip } from './pipgeo';
import { describePointer, fieldId, placeErrors, pointerOf, type FieldError } from './pointers';
import { readView } from './readonly';
import { sourcesEditor, type SourcesHost } from './sources';
import { CONFIDENCES, CONSTRAINT_KINDS, SITE_STATUSES, type Report, type ReportInput } from './types';
import { announce, errorNotice, field, input, notice, select, textarea } from './ui';

export async function reportView(root: HTMLElement, portal: Portal, id: number | 'new', _params: URLSearchParams): Promise<void> {
  const [tax, names] = await Promise.all([taxonomy(), countryNames()]);
  let report: Report | null = null;
  let etag: string | null = null;
  if (id !== 'new') {
    if (!Number.isInteger(id) || id <= 0) throw new PortalError(404, 'Not found', 'There is no such report.', 'about:blank', []);
    const a = await call<Report>('GET', `/api/v1/reports/${id}`);
    report = a.data;
    etag = a.etag ?? etagOf(report.version);
  }
  const me = portal.me;
  const editable = me?.user?.role === 'partner' && (report === null || (report.organisation.id === me.organisation?.id && (report.status === 'draft' || report.status === 'changes_requested')));
  if (!editable && report) {
    readView(root, portal, report, etag, tax, names);
    return;
  }
  if (!editable) {
    fill(root, h('h1', {}, 'New report'), notice('info', 'Only partners create reports.'));
    return;
  }
  new ReportForm(root, portal, tax, names, report, etag).mount();
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

class ReportForm implements SourcesHost {
  input: ReportInput;
  id: number | null;
  version: number | null;
  etag: string | null;
  status: Report['status'] | 'new';
  known = new Set<string>();
  readonly = false;
  touched = new Set<string>();
  serverErrors: FieldError[] = [];
  showAll = false;
  createKey = newKey();
  profile: CountryProfile | null = null;
  country: Feature<Geometry> | null = null;
  activeSite = 0;
  siteMap: import('./sitemap').SiteMap | null = null;
  siteMapCountry = '';
  readonly mapBox = h('div', { class: 'site-map', id: 'site-map' });
  readonly body = h('div', { class: 'report-body' });
  readonly summary = h('div', { class: 'error-summary', id: 'error-summary', tabindex: -1, hidden: true });
  readonly statusLine = h('div', { class: 'save-status', id: 'save-status', role: 'status', 'aria-live': 'polite' });
  readonly csvBox = h('div', { class: 'csv-box', id: 'csv-box' });
  busy = false;

  constructor(
    readonly root: HTMLElement,
    readonly portal: Portal,
    readonly tax: Taxonomy,
    readonly names: Map<string, string>,
    readonly report: Report | null,
    etag: string | null,
  ) {
    this.id = report?.id ?? null;
    this.version = report?.version ?? null;
    this.etag = etag;
    this.status = report?.status ?? 'new';
    this.input = toInput(report ?? {});
    const stored = decodeDraft(sessionStorage.getItem(draftKey(this.id ?? 'new')));
    if (stored) {
      this.input = stored.input;
      this.restored = stored.version === this.version ? 'same' : 'stale';
    }
  }

  restored: 'same' | 'stale' | null = null;

  private readonly persist = () => {
    sessionStorage.setItem(draftKey(this.id ?? 'new'), encodeDraft({ input: this.input, version: this.version, saved_at: new Date().toISOString() }));
  };

  private forget(): void {
    sessionStorage.removeItem(draftKey('new'));
    if (this.id !== null) sessionStorage.removeItem(draftKey(this.id));
  }

  private readonly revalidate = debounce(() => this.applyErrors(), 250);

  bind(el: Control, pointer: string, parse: (v: string) => unknown = (v) => v): void {
    this.known.add(pointer);
    el.id = fieldId(pointer);
    el.addEventListener('input', () => {
      setAt(this.input, pointer, parse(el.value));
      this.touched.add(pointer);
      // an edited field loses the server's errors on it
      this.serverErrors = this.serverErrors.filter((e) => e.field !== pointer);
      this.persist();
      this.revalidate();
    });
    el.addEventListener('change', () => {
      this.touched.add(pointer);
      this.applyErrors();
    });
  }

  changed(focusPointer?: string): void {
    this.persist();
    this.render(focusPointer);
  }

  mount(): void {
    const title = this.id === null ? 'New report' : `Report #${this.id}`;
    const save = h('button', { type: 'button', id: 'save-draft' }, 'Save draft');
    const submit = h('button', { type: 'button', id: 'submit-report' }, this.status === 'changes_requested' ? 'Resubmit for review' : 'Submit for review');
    save.addEventListener('click', () => void this.save());
    submit.addEventListener('click', () => void this.submit());
    const discard = h('button', { type: 'button', class: 'secondary', id: 'discard-local' }, 'Discard unsaved changes');
    discard.addEventListener('click', () => {
      this.forget();
      this.portal.render();
    });
    const comments = (this.report?.comments ?? []).filter((c) => !c.pointer);
    fill(this.root,
      h('h1', {}, title),
      h('p', { class: 'muted' }, this.report ? `Status: ${this.status.replace('_', ' ')} · last saved ${this.report.updated_at.slice(0, 16).replace('T', ' ')}` : 'Nothing is published until a reviewer of another organisation accepts the report.'),
      this.restored === 'same' ? notice('info', 'Restored what you typed in this tab that was not saved yet. ', discard) : null,
      this.restored === 'stale' ? notice('error', 'Restored what you typed in this tab, but the report was changed on the server since: saving will be refused until you reload. ', discard) : null,
      comments.length ? h('section', { class: 'comments', 'aria-label': 'Reviewer comments' }, h('h2', {}, 'Reviewer comments'),
        ...comments.map((c) => h('blockquote', { class: 'comment' }, c.body, h('footer', { class: 'small muted' }, `${c.author.role}, ${c.author.organisation ?? 'an organisation'} · ${c.created_at.slice(0, 10)}`)))) : null,
      this.summary,
      h('form', { class: 'report-form', novalidate: true, id: 'report-form' }, this.body),
      h('div', { class: 'actions sticky-actions' }, save, submit, this.statusLine),
      this.csvBox);
    this.root.querySelector('form')!.addEventListener('submit', (e) => e.preventDefault());
    onLeave(this.persist);
    this.render();
    this.renderCsv();
    this.loadCountry();
  }

  // ---- country data: profile (current levels and sources) and shape ---------------

  private loadCountry(): void {
    const iso3 = this.input.country;
    this.profile = null;
    this.country = null;
    if (!iso3) return;
    void api.country(iso3, {}).then((p) => {
      if (this.input.country !== iso3) return;
      this.profile = p;
      this.render();
    }).catch(() => {});
    void api.geo('50m').then((fc) => {
      if (this.input.country !== iso3) return;
      this.country = fc.features.find((f) => f.properties.iso3 === iso3) ?? null;
      this.render();
    }).catch(() => {});
  }

  private inside = (lon: number, lat: number): boolean | null => (this.country ? pip(lon, lat, this.country) : null);

  private current(code: string): ProfileCapability | null {
    return this.profile?.capabilities.find((c) => c.code === code) ?? null;
  }

  // ---- rendering --------------------------------------------------------------

  render(focusPointer?: string): void {
    const active = document.activeElement as HTMLElement | null;
    const keepFocus = focusPointer ? fieldId(focusPointer) : active && this.body.contains(active) ? active.id : null;
    this.known.clear();
    this.known.add('/country').add('/period/from').add('/period/to').add('/narrative');
    const r = this.input;
    const country = select([{ value: '', label: 'Choose a country' }, ...[...this.names.entries()].sort((a, b) => a[1].localeCompare(b[1])).map(([iso3, name]) => ({ value: iso3, label: `${name} (${iso3})` }))], r.country);
    this.bind(country, '/country');
    country.addEventListener('change', () => {
      this.loadCountry();
      this.render();
    });
    const from = input('date', r.period.from);
    const to = input('date', r.period.to);
    const narrative = textarea(r.narrative, { rows: 5 });
    this.bind(from, '/period/from');
    this.bind(to, '/period/to');
    this.bind(narrative, '/narrative');
    fill(this.body,
      h('section', { class: 'report-head', 'aria-labelledby': 'sec-report' },
        h('h2', { id: 'sec-report' }, 'The report'),
        h('div', { class: 'grid3' },
          field(fieldId('/country'), 'Country', country),
          field(fieldId('/period/from'), 'Period from', from),
          field(fieldId('/period/to'), 'Period to', to)),
        field(fieldId('/narrative'), 'Narrative', narrative, 'What the report covers and how the evidence was gathered.')),
      this.section('assessments', 'Proposed assessments', 'Add an assessment', () => r.assessments.push(newAssessment()), r.assessments.map((_, i) => this.assessment(i))),
      this.section('sites', 'Sites (deployments)', 'Add a site', () => { r.sites.push(newSite()); this.activeSite = r.sites.length - 1; }, [
        r.sites.length ? this.mapPanel() : null,
        ...r.sites.map((_, i) => this.site(i)),
      ]),
      this.section('constraints', 'Constraint events', 'Add a constraint event', () => r.constraints.push(newConstraint()), r.constraints.map((_, i) => this.constraint(i))));
    this.applyErrors();
    this.updateMap();
    if (keepFocus) document.getElementById(keepFocus)?.focus();
  }

  private section(key: 'assessments' | 'sites' | 'constraints', title: string, addLabel: string, add: () => void, children: (HTMLElement | null)[]): HTMLElement {
    const b = h('button', { type: 'button', class: 'secondary add-item', id: `add-${key}` }, addLabel);
    b.addEventListener('click', () => {
      add();
      const n = this.input[key].length - 1;
      this.changed(pointerOf(key, n, key === 'constraints' ? 'date' : key === 'sites' ? 'name' : 'capability'));
      announce(`${title}: item ${n + 1} added.`);
    });
    this.known.add(pointerOf(key));
    return h('section', { class: 'items', id: fieldId(pointerOf(key)), 'aria-labelledby': `sec-${key}`, tabindex: -1 },
      h('h2', { id: `sec-${key}` }, `${title} (${this.input[key].length})`),
      h('p', { class: 'field-error', id: `${fieldId(pointerOf(key))}-err`, hidden: true }),
      ...children, b);
  }

  private itemBox(key: 'assessments' | 'sites' | 'constraints', i: number, label: string, ...children: (Node | null)[]): HTMLElement {
    const ptr = pointerOf(key, i);
    this.known.add(ptr);
    const remove = h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${label.toLowerCase()}` }, 'Remove');
    remove.addEventListener('click', () => {
      this.input[key].splice(i, 1);
      this.serverErrors = []; // their pointers no longer match the items
      this.changed(pointerOf(key));
      announce(`${label} removed.`);
    });
    const comments = (this.report?.comments ?? []).filter((c) => c.pointer === ptr || c.pointer?.startsWith(ptr + '/'));
    return h('fieldset', { class: 'item', id: fieldId(ptr), tabindex: -1, 'aria-describedby': `${fieldId(ptr)}-err` },
      h('legend', {}, label),
      h('p', { class: 'field-error', id: `${fieldId(ptr)}-err`, hidden: true }),
      ...comments.map((c) => h('blockquote', { class: 'comment item-comment' }, h('strong', {}, 'Reviewer: '), c.body)),
      ...children,
      h('div', { class: 'item-actions' }, remove));
  }

  private capabilitySelect(value: string): HTMLSelectElement {
    const el = h('select', {}, h('option', { value: '' }, 'Choose a capability'),
      ...this.tax.pillars.map((p) => h('optgroup', { label: p.name },
        ...p.capabilities.map((code) => h('option', { value: code }, this.tax.capabilities.find((c) => c.code === code)?.name ?? code)))));
    el.value = value;
    return el;
  }

  private confidenceSelect(value: string): HTMLSelectElement {
    return select(CONFIDENCES.map((c) => ({ value: c.code, label: c.label })), value);
  }

  private confidenceRule(value: string): HTMLElement {
    return h('span', {}, CONFIDENCES.find((c) => c.code === value)?.rule ?? '', ' ', h('a', { href: '/methodology', target: '_blank', rel: 'noopener' }, 'Methodology, section 4 (confidence)'));
  }

  private assessment(i: number): HTMLElement {
    const a = this.input.assessments[i];
    const at = (f: string) => pointerOf('assessments', i, f);
    const cap = this.capabilitySelect(a.capability);
    this.bind(cap, at('capability'));
    cap.addEventListener('change', () => this.render());
    const level = select([{ value: '', label: 'Choose a level' }, ...this.tax.scale.map((l) => ({ value: String(l.level), label: `${l.level}: ${l.name}` }))], a.level === null ? '' : String(a.level));
    this.bind(level, at('level'), (v) => (v === '' ? null : Number(v)));
    level.addEventListener('change', () => this.render());
    const conf = this.confidenceSelect(a.confidence);
    this.bind(conf, at('confidence'));
    conf.addEventListener('change', () => this.render());
    const vf = input('date', a.valid_from);
    const vt = input('date', a.valid_to ?? '');
    this.bind(vf, at('valid_from'));
    this.bind(vt, at('valid_to'), (v) => v || null);
    const summary = textarea(a.summary);
    this.bind(summary, at('summary'));
    const def = this.tax.capabilities.find((c) => c.code === a.capability);
    const chosen = this.tax.scale.find((l) => l.level === a.level);
    const cur = a.capability ? this.current(a.capability) : null;
    const suggestions: Source[] = cur?.sources ?? [];
    const currentBox = !this.input.country ? null : h('aside', { class: 'current', 'aria-label': 'Published now' },
      h('h3', {}, `Published now for ${this.names.get(this.input.country) ?? this.input.country}`),
      !a.capability ? h('p', { class: 'muted' }, 'Choose a capability to see its current level.') :
        !this.profile ? h('p', { class: 'muted' }, 'Loading…') :
          cur?.level === null || cur?.level === undefined ? h('p', { class: 'current-level' }, 'Not assessed yet.') :
            h('div', {},
              h('p', { class: 'current-level' }, `Level ${cur.level}${this.tax.scale[cur.level] ? ` (${this.tax.scale[cur.level].name})` : ''}, confidence ${cur.confidence ?? '—'}, valid from ${cur.valid_from ?? '—'}${cur.valid_to ? ` to ${cur.valid_to}` : ''}.`),
              cur.summary ? h('p', { class: 'small' }, cur.summary) : null,
              h('ul', { class: 'small' }, ...cur.sources.map((s) => h('li', {}, `#${s.id}: `, s.title, s.publisher ? `, ${s.publisher}` : '', s.published ? `, ${s.published}` : '')))));
    return this.itemBox('assessments', i, `Assessment ${i + 1}${def ? `: ${def.name}` : ''}`,
      h('div', { class: 'proposal' },
        h('div', { class: 'proposal-main' },
          field(fieldId(at('capability')), 'Capability', cap),
          def ? h('div', { class: 'definition small' }, h('p', {}, h('strong', {}, 'Definition: '), def.definition), def.level4_marker ? h('p', {}, h('strong', {}, 'Level 4 looks like: '), def.level4_marker) : null) : null,
          field(fieldId(at('level')), 'Proposed level', level, chosen ? `${chosen.name}: ${chosen.criteria}` : 'Each level has written criteria: see below.'),
          h('details', { class: 'scale small' }, h('summary', {}, 'The criteria of each level'),
            h('dl', {}, ...this.tax.scale.flatMap((l) => [h('dt', {}, `${l.level}: ${l.name}`), h('dd', {}, l.criteria)]))),
          h('div', { class: 'grid3' },
            field(fieldId(at('valid_from')), 'Valid from', vf),
            field(fieldId(at('valid_to')), 'Valid to (optional)', vt),
            field(fieldId(at('confidence')), 'Confidence', conf, this.confidenceRule(a.confidence))),
          field(fieldId(at('summary')), 'Summary', summary)),
        currentBox),
      sourcesEditor(a.sources, ['assessments', i], this, suggestions));
  }

  private site(i: number): HTMLElement {
    const s = this.input.sites[i];
    const at = (f: string) => pointerOf('sites', i, f);
    const name = input('text', s.name);
    this.bind(name, at('name'));
    const cap = this.capabilitySelect(s.capability);
    this.bind(cap, at('capability'));
    const status = select(SITE_STATUSES.map((x) => ({ value: x, label: x.replace(/_/g, ' ') })), s.status);
    this.bind(status, at('status'));
    const num = (v: string) => (v.trim() === '' ? null : Number(v));
    const lon = input('number', s.lon === null ? '' : String(s.lon), { step: 'any', min: -180, max: 180, inputmode: 'decimal' });
    const lat = input('number', s.lat === null ? '' : String(s.lat), { step: 'any', min: -90, max: 90, inputmode: 'decimal' });
    this.bind(lon, at('lon'), num);
    this.bind(lat, at('lat'), num);
    for (const el of [lon, lat]) el.addEventListener('change', () => this.updateMap());
    const place = h('button', { type: 'button', class: i === this.activeSite ? 'place active' : 'secondary place', 'aria-pressed': String(i === this.activeSite), id: `place-site-${i}` }, i === this.activeSite ? 'Placing on the map' : 'Place on the map');
    place.addEventListener('click', () => {
      this.activeSite = i;
      this.render();
      announce(`Click the map to place site ${i + 1}.`);
      document.getElementById('site-map')?.scrollIntoView({ block: 'nearest' });
    });
    const vendor = input('text', s.vendor);
    this.bind(vendor, at('vendor'));
    const vc = select([{ value: '', label: 'Unknown or home-grown' }, ...[...this.names.entries()].sort((a, b) => a[1].localeCompare(b[1])).map(([iso3, n]) => ({ value: iso3, label: `${n} (${iso3})` }))], s.vendor_country);
    this.bind(vc, at('vendor_country'));
    const vf = input('date', s.valid_from);
    const vt = input('date', s.valid_to ?? '');
    this.bind(vf, at('valid_from'));
    this.bind(vt, at('valid_to'), (v) => v || null);
    const conf = this.confidenceSelect(s.confidence);
    this.bind(conf, at('confidence'));
    const summary = textarea(s.summary);
    this.bind(summary, at('summary'));
    return this.itemBox('sites', i, `Site ${i + 1}${s.name ? `: ${s.name}` : ''}`,
      h('div', { class: 'grid3' },
        field(fieldId(at('name')), 'Name', name),
        field(fieldId(at('capability')), 'Capability', cap),
        field(fieldId(at('status')), 'Status', status)),
      h('div', { class: 'grid3 location' },
        field(fieldId(at('lon')), 'Longitude', lon),
        field(fieldId(at('lat')), 'Latitude', lat),
        h('div', { class: 'field' }, place)),
      h('div', { class: 'grid3' },
        field(fieldId(at('vendor')), 'Vendor', vendor),
        field(fieldId(at('vendor_country')), 'Vendor’s home country', vc),
        field(fieldId(at('confidence')), 'Confidence', conf, this.confidenceRule(s.confidence))),
      h('div', { class: 'grid3' },
        field(fieldId(at('valid_from')), 'Start (optional)', vf),
        field(fieldId(at('valid_to')), 'End (optional)', vt)),
      field(fieldId(at('summary')), 'Summary', summary),
      sourcesEditor(s.sources, ['sites', i], this));
  }

  private constraint(i: number): HTMLElement {
    const c = this.input.constraints[i];
    const at = (f: string) => pointerOf('constraints', i, f);
    const date = input('date', c.date);
    this.bind(date, at('date'));
    const kind = select(CONSTRAINT_KINDS.map((k) => ({ value: k, label: k.replace(/_/g, ' ') })), c.kind);
    this.bind(kind, at('kind'));
    const title = input('text', c.title);
    this.bind(title, at('title'));
    const summary = textarea(c.summary);
    this.bind(summary, at('summary'));
    return this.itemBox('constraints', i, `Constraint event ${i + 1}`,
      h('div', { class: 'grid3' },
        field(fieldId(at('date')), 'Date', date),
        field(fieldId(at('kind')), 'Kind', kind),
        field(fieldId(at('title')), 'Title', title)),
      field(fieldId(at('summary')), 'Summary', summary),
      sourcesEditor(c.sources, ['constraints', i], this));
  }

  // ---- the site map -------------------------------------------------------------

  private mapPanel(): HTMLElement {
    const where = this.input.country ? this.names.get(this.input.country) ?? this.input.country : null;
    return h('div', { class: 'map-panel' },
      h('p', { class: 'small', id: 'site-map-help' }, where ? `Click inside ${where} to place site ${this.activeSite + 1}. A point outside the country is refused.` : 'Choose the report’s country first: its map appears here.'),
      this.mapBox,
      h('p', { class: 'small field-error', id: 'site-map-refusal', role: 'alert', hidden: true }));
  }

  private updateMap(): void {
    if (!this.input.sites.length || !this.country) return;
    const iso3 = this.input.country;
    const points = () => this.input.sites
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => typeof s.lon === 'number' && typeof s.lat === 'number' && Number.isFinite(s.lon) && Number.isFinite(s.lat))
      .map(({ s, i }) => ({ lon: s.lon as number, lat: s.lat as number, label: String(i + 1), active: i === this.activeSite }));
    if (this.siteMap && this.siteMapCountry === iso3) {
      this.siteMap.setPoints(points());
      this.siteMap.map.resize();
      return;
    }
    this.siteMap?.destroy();
    this.siteMap = null;
    this.siteMapCountry = iso3;
    const country = this.country;
    void import('./sitemap').then(async ({ createSiteMap }) => {
      if (this.input.country !== iso3 || this.siteMap) return;
      const m = await createSiteMap(this.mapBox, country, (lon, lat) => this.placeAt(lon, lat));
      if (this.input.country !== iso3 || this.siteMap) { m.destroy(); return; }
      this.siteMap = m;
      (window as unknown as { __portalMap: unknown }).__portalMap = this.siteMap.map;
      this.siteMap.setPoints(points());
    });
  }

  /** A click on the map: places the active site, or says why not. */
  placeAt(lon: number, lat: number): void {
    const refusal = document.getElementById('site-map-refusal');
    const i = this.activeSite;
    const s = this.input.sites[i];
    if (!s) return;
    const name = this.names.get(this.input.country) ?? this.input.country;
    if (this.inside(lon, lat) === false) {
      const text = `Refused: the point ${lat.toFixed(4)}, ${lon.toFixed(4)} is outside ${name}. A site of this report must lie inside ${name}.`;
      if (refusal) { refusal.textContent = text; refusal.hidden = false; }
      announce(text);
      return;
    }
    if (refusal) refusal.hidden = true;
    s.lon = lon;
    s.lat = lat;
    this.touched.add(pointerOf('sites', i, 'lon')).add(pointerOf('sites', i, 'lat'));
    this.serverErrors = this.serverErrors.filter((e) => !e.field.startsWith(pointerOf('sites', i)));
    this.persist();
    announce(`Site ${i + 1} placed at ${lat.toFixed(4)}, ${lon.toFixed(4)}.`);
    this.render();
  }

  // ---- errors -------------------------------------------------------------------

  private clientErrors(): FieldError[] {
    const errs = validateReport(this.input, { capabilities: new Set(this.tax.capabilities.map((c) => c.code)), countries: new Set(this.names.keys()), today: isoDay(), inside: this.inside });
    return this.showAll ? errs : errs.filter((e) => this.touched.has(e.field));
  }

  /** Shows every error on its field (server's first, then the live checks'), and the summary. */
  applyErrors(): FieldError[] {
    for (const el of this.root.querySelectorAll<HTMLElement>('.field-error')) {
      if (el.id === 'site-map-refusal') continue;
      el.hidden = true;
      el.textContent = '';
    }
    for (const el of this.root.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    const seen = new Set(this.serverErrors.map((e) => `${e.field}\u0000${e.reason}`));
    const all = [...this.serverErrors, ...this.clientErrors().filter((e) => !seen.has(`${e.field}\u0000${e.reason}`))];
    const placed = placeErrors(all, this.known);
    for (const [ptr, reasons] of placed.byField) {
      const id = fieldId(ptr);
      const err = document.getElementById(`${id}-err`);
      if (err) {
        err.textContent = reasons.join('; ');
        err.hidden = false;
      }
      document.getElementById(id)?.setAttribute('aria-invalid', 'true');
    }
    if (all.length === 0) {
      this.summary.hidden = true;
      fill(this.summary);
      return all;
    }
    const item = (e: FieldError) => {
      const target = placed.byField.size ? [...placed.byField.keys()].find((p) => e.field === p || e.field.startsWith(p + '/')) ?? null : null;
      const b = h('button', { type: 'button', class: 'link-button' }, `${describePointer(e.field)}: ${e.reason}`);
      b.addEventListener('click', () => target && document.getElementById(fieldId(target))?.focus());
      return h('li', { 'data-pointer': e.field }, target ? b : `${e.field ? describePointer(e.field) + ': ' : ''}${e.reason}`);
    };
    fill(this.summary, h('h2', {}, all.length === 1 ? 'One thing to fix' : `${all.length} things to fix`), h('ul', {}, ...all.map(item)));
    this.summary.hidden = false;
    return all;
  }

  private focusFirstError(): void {
    const first = this.root.querySelector<HTMLElement>('[aria-invalid="true"]');
    (first ?? this.summary).focus();
  }

  // ---- saving and transitions ---------------------------------------------------

  private say(kind: 'ok' | 'error' | 'info', ...text: (string | Node)[]): void {
    fill(this.statusLine, notice(kind, ...text));
  }

  private handleError(e: unknown, what: string): void {
    if (!(e instanceof PortalError)) {
      this.say('error', errorNotice(e));
      return;
    }
    if (e.status === 401) return; // the login is shown; the work is in sessionStorage
    if (e.status === 422) {
      this.serverErrors = e.fieldErrors.map((f) => ({ field: f.field, reason: f.reason }));
      this.showAll = true;
      const n = this.applyErrors().length;
      this.say('error', `${what} refused: ${n === 1 ? 'one field needs' : `${n} fields need`} attention (marked below). Nothing you typed is lost.`);
      announce(`${what} refused. ${n} problems; the first is focused.`);
      this.focusFirstError();
      return;
    }
    if (e.status === 412 || e.status === 409) {
      const reload = h('button', { type: 'button', class: 'secondary', id: 'reload-report' }, 'Load the server’s version (your changes here are discarded)');
      reload.addEventListener('click', () => { this.forget(); this.portal.render(); });
      this.say('error', e.status === 412 ? 'The report was changed elsewhere since you opened it (in another tab or by a colleague). What you typed is kept in this tab. ' : `${e.title}. ${e.detail} `, reload);
      announce(e.status === 412 ? 'The report was changed elsewhere.' : e.title);
      return;
    }
    this.say('error', errorNotice(e));
  }

  private adopt(r: Report, etag: string | null): void {
    const wasNew = this.id === null;
    this.id = r.id;
    this.version = r.version;
    this.etag = etag ?? etagOf(r.version);
    this.status = r.status;
    this.forget();
    this.serverErrors = [];
    if (wasNew) history.replaceState(null, '', `#/reports/${r.id}`);
  }

  /** PUTs (or POSTs) the draft; true when the server has it. */
  async save(quiet = false): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.persist();
    this.say('info', 'Saving…');
    try {
      const body = toWire(this.input);
      const a = this.id === null
        ? await call<Report>('POST', '/api/v1/reports', { body, idempotencyKey: this.createKey })
        : await call<Report>('PUT', `/api/v1/reports/${this.id}`, { body, ifMatch: this.etag });
      const wasNew = this.id === null;
      this.adopt(a.data, a.etag);
      if (!quiet) this.say('ok', `Draft saved at ${new Date().toLocaleTimeString()}.`);
      if (!quiet) announce('Draft saved.');
      this.applyErrors();
      if (wasNew) this.renderCsv();
      return true;
    } catch (e) {
      this.handleError(e, 'Saving');
      return false;
    } finally {
      this.busy = false;
    }
  }

  async submit(): Promise<void> {
    this.showAll = true;
    const errs = this.applyErrors();
    if (errs.length) {
      this.say('error', `Not submitted: ${errs.length === 1 ? 'one field needs' : `${errs.length} fields need`} attention (marked below). You can still save the draft.`);
      announce(`Not submitted: ${errs.length} problems; the first is focused.`);
      this.focusFirstError();
      return;
    }
    if (!(await this.save(true))) return;
    try {
      this.busy = true;
      const a = await call<Report>('POST', `/api/v1/reports/${this.id}/submit`, { body: {}, ifMatch: this.etag, idempotencyKey: newKey() });
      this.adopt(a.data, a.etag);
      announce('Report submitted for review.');
      this.portal.go(`#/reports/${this.id}`);
      this.portal.render();
    } catch (e) {
      this.handleError(e, 'Submitting');
    } finally {
      this.busy = false;
    }
  }

  // ---- CSV ----------------------------------------------------------------------

  renderCsv(): void {
    if (this.id === null) {
      fill(this.csvBox, h('h2', {}, 'Bulk entry (CSV)'), h('p', { class: 'small' }, h('a', { href: '/api/v1/reports/template.csv', download: 'report-template.csv' }, 'Download the CSV template'), '. Save the draft once to upload a filled-in file into it.'));
      return;
    }
    const file = h('input', { type: 'file', accept: '.csv,text/csv', id: 'csv-file' });
    const upload = h('button', { type: 'button', class: 'secondary', id: 'csv-upload' }, 'Upload into this draft');
    const result = h('div', { id: 'csv-result', 'aria-live': 'polite' });
    upload.addEventListener('click', async () => {
      const f = file.files?.[0];
      if (!f) {
        fill(result, notice('error', 'Choose a CSV file first.'));
        file.focus();
        return;
      }
      const text = await f.text();
      if (!(await this.save(true))) return;
      try {
        const a = await call<Report>('POST', `/api/v1/reports/${this.id}/csv`, { raw: { text, type: 'text/csv' }, ifMatch: this.etag });
        this.adopt(a.data, a.etag);
        this.input = toInput(a.data);
        this.render();
        fill(result, notice('ok', `Imported: the draft now has ${a.data.assessments.length} assessments, ${a.data.sites.length} sites and ${a.data.constraints.length} constraint events.`));
      } catch (e) {
        if (e instanceof PortalError && e.status === 422) {
          fill(result, notice('error', `Nothing was imported: ${e.fieldErrors.length === 1 ? 'one error' : `${e.fieldErrors.length} errors`} in the file.`),
            h('table', { class: 'csv-errors', id: 'csv-errors' },
              h('caption', {}, 'Errors by row and column'),
              h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Row'), h('th', { scope: 'col' }, 'Column'), h('th', { scope: 'col' }, 'Problem'))),
              h('tbody', {}, ...e.fieldErrors.map((x) => h('tr', {}, h('td', {}, x.row !== undefined ? String(x.row) : '—'), h('td', {}, x.column ?? '—'), h('td', {}, x.reason))))));
          announce(`Nothing was imported: ${e.fieldErrors.length} errors listed.`);
          result.querySelector<HTMLElement>('table')?.setAttribute('tabindex', '-1');
          result.querySelector<HTMLElement>('table')?.focus();
        } else {
          this.handleError(e, 'The upload');
        }
      }
    });
    fill(this.csvBox, h('h2', {}, 'Bulk entry (CSV)'),
      h('p', { class: 'small' }, h('a', { href: '/api/v1/reports/template.csv', download: 'report-template.csv', id: 'csv-template' }, 'Download the CSV template'), ', fill it in a spreadsheet, and upload it: its rows are added to this draft. A file with any error imports nothing, and its errors are listed by row and column.'),
      h('div', { class: 'inline' }, h('label', { for: 'csv-file' }, 'CSV file'), file, upload), result);
  }
}


