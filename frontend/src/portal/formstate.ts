// Pure: the report form's state (a ReportInput being typed), new items, the
// copy kept in sessionStorage until the server has it, and the validation
// that mirrors the server's (the server decides; this only answers sooner).

import { pointerOf, type FieldError } from './pointers';
import type { AssessmentInput, ConstraintInput, ReportInput, SiteInput, SourceRef } from './types';
import { CONSTRAINT_KINDS, SITE_STATUSES } from './types';

export const MAX_ITEMS = 500;

export function emptyReport(country = ''): ReportInput {
  return { country, period: { from: '', to: '' }, narrative: '', assessments: [], sites: [], constraints: [] };
}

export function newAssessment(capability = ''): AssessmentInput {
  return { capability, level: null, valid_from: '', valid_to: null, confidence: 'M', summary: '', sources: [] };
}

export function newSite(): SiteInput {
  return { name: '', capability: '', status: 'active', lon: null, lat: null, vendor: '', vendor_country: '', valid_from: '', valid_to: null, confidence: 'M', summary: '', sources: [] };
}

export function newConstraint(): ConstraintInput {
  return { date: '', kind: 'law', title: '', summary: '', sources: [] };
}

export function newSource(): SourceRef {
  return { url: '', title: '', publisher: '', published: null };
}

/** A deep copy with every field present (a Report from the API has more fields; they are dropped). */
export function toInput(r: Partial<ReportInput>): ReportInput {
  const src = (list: SourceRef[] | undefined): SourceRef[] =>
    (list ?? []).map((s) => ('id' in s && typeof s.id === 'number' ? { id: s.id } : { url: (s as { url?: string }).url ?? '', title: (s as { title?: string }).title ?? '', publisher: (s as { publisher?: string }).publisher ?? '', published: (s as { published?: string | null }).published ?? null, ...((s as { archived_url?: string }).archived_url ? { archived_url: (s as { archived_url?: string }).archived_url } : {}) }));
  return {
    country: r.country ?? '',
    period: { from: r.period?.from ?? '', to: r.period?.to ?? '' },
    narrative: r.narrative ?? '',
    assessments: (r.assessments ?? []).map((a) => ({ ...newAssessment(), ...a, sources: src(a.sources) })),
    sites: (r.sites ?? []).map((s) => ({ ...newSite(), ...s, valid_from: s.valid_from ?? '', vendor_country: s.vendor_country ?? '', vendor: s.vendor ?? '', sources: src(s.sources) })),
    constraints: (r.constraints ?? []).map((c) => ({ ...newConstraint(), ...c, sources: src(c.sources) })),
  };
}

/**
 * What is sent: optional empty strings become null (dates, vendor country)
 * or are left out (a new source's url and archived_url), as the API reads them.
 */
export function toWire(r: ReportInput): ReportInput {
  const c = toInput(r);
  const src = (list: SourceRef[]): SourceRef[] =>
    list.map((s) => {
      if ('id' in s) return { id: s.id };
      const out: Record<string, unknown> = { title: s.title.trim(), publisher: s.publisher.trim(), published: s.published || null };
      if (s.url.trim()) out.url = s.url.trim();
      if (s.archived_url?.trim()) out.archived_url = s.archived_url.trim();
      return out as unknown as SourceRef;
    });
  for (const a of c.assessments) { a.valid_to = a.valid_to || null; a.sources = src(a.sources); }
  for (const s of c.sites) {
    s.valid_to = s.valid_to || null;
    (s as { valid_from: string | null }).valid_from = s.valid_from || null;
    (s as { vendor_country: string | null }).vendor_country = s.vendor_country || null;
    s.sources = src(s.sources);
  }
  for (const k of c.constraints) k.sources = src(k.sources);
  return c;
}

/** Sets the value at a pointer ("/assessments/0/level"); returns false when the path does not exist. */
export function setAt(root: unknown, pointer: string, value: unknown): boolean {
  const segs = pointer.split('/').slice(1);
  let cur = root as Record<string, unknown>;
  for (let i = 0; i < segs.length - 1; i++) {
    const next = cur?.[segs[i]];
    if (next === null || typeof next !== 'object') return false;
    cur = next as Record<string, unknown>;
  }
  const last = segs[segs.length - 1];
  if (cur === null || typeof cur !== 'object' || !(last in cur)) return false;
  cur[last] = value;
  return true;
}

export function getAt(root: unknown, pointer: string): unknown {
  let cur = root as Record<string, unknown> | undefined;
  for (const s of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[s] as Record<string, unknown> | undefined;
  }
  return cur;
}

// ---- the unsaved copy --------------------------------------------------------------

/** The sessionStorage key of a report's unsaved copy ("new" before it has an id). */
export const draftKey = (id: number | 'new') => `tracker.portal.draft.${id}`;

export interface StoredDraft {
  input: ReportInput;
  /** The report's version the copy was made from (null for a new report). */
  version: number | null;
  saved_at: string;
}

export function encodeDraft(d: StoredDraft): string {
  return JSON.stringify(d);
}

export function decodeDraft(text: string | null): StoredDraft | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text);
    if (!v || typeof v !== 'object' || !v.input) return null;
    return { input: toInput(v.input), version: typeof v.version === 'number' ? v.version : null, saved_at: String(v.saved_at ?? '') };
  } catch {
    return null;
  }
}

// ---- validation (mirrors the server) -----------------------------------------------

export interface ValidationContext {
  capabilities: ReadonlySet<string>;
  countries: ReadonlySet<string>;
  /** YYYY-MM-DD */
  today: string;
  /** Whether a site's point is inside the report's country (null: cannot tell yet). */
  inside?: (lon: number, lat: number) => boolean | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isDate(s: string | null | undefined): boolean {
  if (!s || !DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function isHttpUrl(s: string | null | undefined): boolean {
  if (!s) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Every problem the server would report for this input, by JSON pointer, with
 * the server's reasons (reports/validate.go on branch issue8-reports), plus
 * whether a site lies inside the country (the server's store checks that).
 */
export function validateReport(r: ReportInput, ctx: ValidationContext): FieldError[] {
  const out: FieldError[] = [];
  const err = (reason: string, ...path: (string | number)[]) => out.push({ field: pointerOf(...path), reason });
  const date = (v: string | null | undefined, required: boolean, ...path: (string | number)[]): string | null => {
    if (!v) {
      if (required) err('required (YYYY-MM-DD)', ...path);
      return null;
    }
    if (!isDate(v)) { err('not a date (YYYY-MM-DD)', ...path); return null; }
    if (v > ctx.today) { err('in the future', ...path); return null; }
    return v;
  };
  // An end date may lie in the future (a known sunset) but must come after the start.
  const endDate = (v: string | null | undefined, start: string | null, ...path: (string | number)[]) => {
    if (!v) return;
    if (!isDate(v)) err('not a date (YYYY-MM-DD)', ...path);
    else if (start && v <= start) err('must come after valid_from', ...path);
  };
  const capability = (code: string, ...path: (string | number)[]) => {
    if (!code) err('required', ...path);
    else if (ctx.capabilities.size && !ctx.capabilities.has(code)) err('unknown capability (see GET /api/v1/capabilities)', ...path);
  };
  const sources = (list: SourceRef[], ...path: (string | number)[]) => {
    list.forEach((s, i) => {
      const at = [...path, 'sources', i];
      if ('id' in s) {
        if (!Number.isInteger(s.id) || s.id <= 0) err('no such source', ...at, 'id');
        return;
      }
      if (!s.title.trim()) err('required', ...at, 'title');
      if (!s.publisher.trim()) err('required', ...at, 'publisher');
      const url = s.url.trim();
      if (url && !isHttpUrl(url)) err('must be an http or https URL', ...at, 'url');
      if (s.archived_url?.trim() && !isHttpUrl(s.archived_url.trim())) err('must be an http or https URL', ...at, 'archived_url');
      if (!s.published) {
        if (!url) err('an undated source needs a url', ...at, 'published');
      } else date(s.published, false, ...at, 'published');
    });
  };

  const items = r.assessments.length + r.sites.length + r.constraints.length;
  if (items > MAX_ITEMS) {
    err(`a report holds at most ${MAX_ITEMS} items (assessments, sites and constraints together); this one has ${items}`);
    return out;
  }
  if (!r.country) err('required', 'country');
  else if (ctx.countries.size && !ctx.countries.has(r.country)) err('unknown country (ISO 3166-1 alpha-3, as in GET /api/v1/countries)', 'country');
  const from = date(r.period.from, true, 'period', 'from');
  const to = date(r.period.to, true, 'period', 'to');
  if (from && to && to < from) err('before period.from', 'period', 'to');

  r.assessments.forEach((a, i) => {
    const at = ['assessments', i] as const;
    capability(a.capability, ...at, 'capability');
    if (a.level === null || a.level === undefined) err('required: choose a level', ...at, 'level');
    else if (!Number.isInteger(a.level) || a.level < 0 || a.level > 4) err('must be 0 to 4', ...at, 'level');
    const f = date(a.valid_from, true, ...at, 'valid_from');
    endDate(a.valid_to, f, ...at, 'valid_to');
    if (!['H', 'M', 'L'].includes(a.confidence)) err('must be H, M or L', ...at, 'confidence');
    else if (a.confidence === 'L' && (a.level ?? 0) > 1) err('low-confidence (L) claims never ship above level 1', ...at, 'confidence');
    if ((a.level ?? 0) > 0 && a.sources.length === 0) err('a level above 0 needs at least one source', ...at, 'sources');
    sources(a.sources, ...at);
  });

  r.sites.forEach((s, i) => {
    const at = ['sites', i] as const;
    if (!s.name.trim()) err('required', ...at, 'name');
    capability(s.capability, ...at, 'capability');
    if (!SITE_STATUSES.includes(s.status)) err(`must be one of ${SITE_STATUSES.join(', ')}`, ...at, 'status');
    const lonOk = typeof s.lon === 'number' && Number.isFinite(s.lon) && s.lon >= -180 && s.lon <= 180;
    const latOk = typeof s.lat === 'number' && Number.isFinite(s.lat) && s.lat >= -90 && s.lat <= 90;
    if (!lonOk) err('required, -180 to 180', ...at, 'lon');
    if (!latOk) err('required, -90 to 90', ...at, 'lat');
    if (lonOk && latOk && ctx.inside && ctx.inside(s.lon as number, s.lat as number) === false) {
      err(`outside ${r.country || 'the report’s country'}: a site must lie inside the report’s country`, ...at, 'lon');
    }
    if (s.vendor_country && ctx.countries.size && !ctx.countries.has(s.vendor_country)) err('unknown country (ISO 3166-1 alpha-3)', ...at, 'vendor_country');
    const f = s.valid_from ? date(s.valid_from, false, ...at, 'valid_from') : null;
    endDate(s.valid_to, f, ...at, 'valid_to');
    if (!['H', 'M', 'L'].includes(s.confidence)) err('must be H, M or L', ...at, 'confidence');
    if (s.sources.length === 0) err('a site needs at least one source', ...at, 'sources');
    sources(s.sources, ...at);
  });

  r.constraints.forEach((c, i) => {
    const at = ['constraints', i] as const;
    date(c.date, true, ...at, 'date');
    if (!CONSTRAINT_KINDS.includes(c.kind)) err(`must be one of ${CONSTRAINT_KINDS.join(', ')}`, ...at, 'kind');
    if (!c.title.trim()) err('required', ...at, 'title');
    if (c.sources.length === 0) err('a constraint event needs at least one source', ...at, 'sources');
    sources(c.sources, ...at);
  });
  return out;
}

/** The local date (YYYY-MM-DD) of a Date. */
export function isoDay(d = new Date()): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
