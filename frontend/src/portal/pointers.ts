// Pure: from the API's errors[] (field = JSON pointer such as
// "/assessments/3/level") to the form's fields. Every input of the report
// form has the id fieldId(pointer); an error whose pointer names no field is
// shown on the nearest enclosing one (e.g. "/sites/0" on the site's
// fieldset), or in the list at the top of the form.

export interface FieldError {
  field: string;
  reason: string;
}

/** The pointer's segments, unescaped (RFC 6901: ~1 is "/", ~0 is "~"). */
export function segments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  const p = pointer.startsWith('/') ? pointer.slice(1) : pointer;
  return p.split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The pointer of a path of segments. */
export function pointerOf(...segs: (string | number)[]): string {
  return segs.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** The DOM id of the field a pointer names ("/assessments/0/level" → "f-assessments-0-level"). */
export function fieldId(pointer: string): string {
  const segs = segments(pointer);
  return segs.length === 0 ? 'f-report' : 'f-' + segs.map((s) => s.replace(/[^A-Za-z0-9_]/g, '_')).join('-');
}

/** The nearest pointer in `known` that is `pointer` or encloses it; null when none does. */
export function resolvePointer(pointer: string, known: ReadonlySet<string>): string | null {
  const segs = segments(pointer);
  for (let n = segs.length; n > 0; n--) {
    const p = pointerOf(...segs.slice(0, n));
    if (known.has(p)) return p;
  }
  return null;
}

/** Normalises a field name to a pointer: the API may send "period.from" or "/period/from". */
export function asPointer(field: string): string {
  if (field.startsWith('/')) return field;
  return pointerOf(...field.split(/[.[\]]+/).filter(Boolean));
}

export interface PlacedErrors {
  /** Reasons per known pointer. */
  byField: Map<string, string[]>;
  /** Errors that name no field of the form (shown in the summary only). */
  unplaced: FieldError[];
}

/** Places every error on the nearest known field; nothing is dropped. */
export function placeErrors(errors: readonly FieldError[], known: ReadonlySet<string>): PlacedErrors {
  const byField = new Map<string, string[]>();
  const unplaced: FieldError[] = [];
  for (const e of errors) {
    const at = resolvePointer(asPointer(e.field), known);
    if (at === null) {
      unplaced.push(e);
      continue;
    }
    const reason = at === asPointer(e.field) ? e.reason : `${describePointer(asPointer(e.field))}: ${e.reason}`;
    const list = byField.get(at) ?? [];
    if (!list.includes(reason)) list.push(reason);
    byField.set(at, list);
  }
  return { byField, unplaced };
}

const SECTION: Record<string, string> = { assessments: 'Assessment', sites: 'Site', constraints: 'Constraint event', sources: 'Source' };

/** A human name for a pointer: "/assessments/0/sources/1/url" → "Assessment 1, source 2, url". */
export function describePointer(pointer: string): string {
  const segs = segments(pointer);
  const out: string[] = [];
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const next = segs[i + 1];
    if (s in SECTION && next !== undefined && /^\d+$/.test(next)) {
      out.push(`${out.length ? SECTION[s].toLowerCase() : SECTION[s]} ${Number(next) + 1}`);
      i++;
    } else {
      out.push(s.replace(/_/g, ' '));
    }
  }
  return out.join(', ') || 'report';
}

/** The pointers of a report's items as the read-only and review pages show them ("/sites/0", …). */
export function itemPointers(r: { assessments: readonly unknown[]; sites: readonly unknown[]; constraints: readonly unknown[] }): Set<string> {
  const out = new Set<string>();
  for (const k of ['assessments', 'sites', 'constraints'] as const) r[k].forEach((_, i) => out.add(pointerOf(k, i)));
  return out;
}
