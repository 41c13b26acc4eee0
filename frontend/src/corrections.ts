// Corrections made since a recorded date, computed from a country's full
// history (GET /api/v1/countries/{iso3}/history, superseded and retracted rows
// included). Pure.
//
// The tracker never overwrites: a correction is a new row whose `supersedes`
// names the row it replaces, and a withdrawal is such a row with
// `retracted: true`. What the tracker stood by on day D are the rows recorded
// by the end of D that no row recorded by then supersedes and that are not
// retractions themselves. Following each of them forward to the row that
// stands now gives the corrections since D (old level → new level).

import type { HistoryAssessment, Source } from './types';

/** One capability's assessment as the tracker stood on the recorded date, and what replaced it since. */
export interface Correction {
  capability: string;
  /** The row the tracker stood by on the recorded date. */
  old: HistoryAssessment;
  /** The row that stands now; for a withdrawal, the retraction row. */
  now: HistoryAssessment;
  /** True when the assessment was withdrawn (no level stands now). */
  withdrawn: boolean;
  /** How many corrections were recorded after the date (1 when corrected once). */
  steps: number;
  /** The reason given with the latest correction that gives one (null: none given). */
  reason: string | null;
  /** The `level_judgement` flag of the row that stands now (null: the API does not send it). */
  levelJudgement: boolean | null;
  /** Sources the row standing now cites that the old row did not. */
  newSources: Source[];
  /** What changed besides the level: "validity", "confidence", "summary", "sources". */
  changed: string[];
}

export interface ChangesSince {
  corrections: Correction[];
  /** Assessments first recorded after the date (no earlier row), as they stand now. */
  added: HistoryAssessment[];
}

/** The UTC day (YYYY-MM-DD) on which a row was recorded. */
export function recordedDay(a: HistoryAssessment): string {
  const t = new Date(a.recorded_at);
  return Number.isNaN(t.getTime()) ? a.recorded_at.slice(0, 10) : t.toISOString().slice(0, 10);
}

const key = (id: string | number | null | undefined): string => (id === null || id === undefined ? '' : String(id));

/** The rows the tracker stood by at the end of `day`: recorded by then, not superseded by then, not retractions. */
export function standingOn(rows: HistoryAssessment[], day: string): HistoryAssessment[] {
  const by = rows.filter((a) => recordedDay(a) <= day);
  const replaced = new Set(by.map((a) => key(a.supersedes)).filter(Boolean));
  return by.filter((a) => !a.retracted && !replaced.has(key(a.id)));
}

function changesBetween(old: HistoryAssessment, now: HistoryAssessment): string[] {
  const out: string[] = [];
  if (old.valid_from !== now.valid_from || (old.valid_to ?? null) !== (now.valid_to ?? null)) out.push('validity');
  if (old.confidence !== now.confidence) out.push('confidence');
  if ((old.summary ?? '') !== (now.summary ?? '')) out.push('summary');
  const ids = (a: HistoryAssessment) => (a.sources ?? []).map((s) => key(s.id)).sort().join(',');
  if (ids(old) !== ids(now)) out.push('sources');
  return out;
}

const reasonOf = (a: HistoryAssessment): string | null => {
  const r = typeof a.correction_reason === 'string' ? a.correction_reason.trim() : '';
  return r || null;
};

/** The corrections and additions recorded after the end of `day`, in the order of `rows` (capability order). */
export function changesSince(rows: HistoryAssessment[], day: string): ChangesSince {
  const successor = new Map<string, HistoryAssessment>();
  for (const a of rows) if (key(a.supersedes)) successor.set(key(a.supersedes), a);
  /** Follows the chain of corrections from `a` to the row that stands now. */
  const chain = (a: HistoryAssessment): HistoryAssessment[] => {
    const out: HistoryAssessment[] = [];
    const seen = new Set([key(a.id)]);
    for (let next = successor.get(key(a.id)); next && !seen.has(key(next.id)); next = successor.get(key(next.id))) {
      seen.add(key(next.id));
      out.push(next);
    }
    return out;
  };
  const corrections: Correction[] = [];
  for (const old of standingOn(rows, day)) {
    const later = chain(old);
    if (!later.length) continue;
    const now = later[later.length - 1];
    const oldSources = new Set((old.sources ?? []).map((s) => key(s.id)));
    corrections.push({
      capability: old.capability,
      old,
      now,
      withdrawn: Boolean(now.retracted),
      steps: later.length,
      reason: [...later].reverse().map(reasonOf).find((r) => r !== null) ?? null,
      levelJudgement: typeof now.level_judgement === 'boolean' ? now.level_judgement : null,
      newSources: now.retracted ? [] : (now.sources ?? []).filter((s) => !oldSources.has(key(s.id))),
      changed: now.retracted ? [] : changesBetween(old, now),
    });
  }
  const added = rows
    .filter((a) => recordedDay(a) > day && !key(a.supersedes) && !a.retracted)
    .map((a) => chain(a).at(-1) ?? a)
    .filter((a) => !a.retracted);
  return { corrections, added };
}

/** The earliest recording day among the rows, or null for none. */
export function firstRecordedDay(rows: HistoryAssessment[]): string | null {
  let first: string | null = null;
  for (const a of rows) {
    const d = recordedDay(a);
    if (first === null || d < first) first = d;
  }
  return first;
}
