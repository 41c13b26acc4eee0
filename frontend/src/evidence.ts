// Thin evidence: which colours on the map rest on less than half of what they
// summarise. Pure; documented in docs/methodology.md ("Thin evidence").
//
// - Index: the country's coverage (the weighted share of counted capabilities
//   that have an assessment), as /index reports it.
// - Pillar score: the pillar's coverage, computed here from the levels with
//   the API's weights rule (resemblance.Weights.effective). A pillar with no
//   assessed capability is not assessed, never a score of 0.
// - Capability level: one assessment, present or not, so the level itself is
//   never partial; the map marks the country's coverage there, because the
//   rest of such a country's profile is not yet known.

import { NOT_ASSESSED, classFor, modeKind } from './colours';
import type { PillarCodes } from './state';
import type { Band, IndexRow } from './types';

/** Below this coverage a colour is drawn as resting on thin evidence. */
export const THIN_COVERAGE = 0.5;

/** What pillar coverage needs besides the row: the taxonomy, the weights and the reference's levels on the same date. */
export interface CoverageContext {
  pillars: PillarCodes[];
  weights: Record<string, number>;
  /** The reference country's levels (its /index row); a capability counts when its level is above 0. */
  referenceLevels: Record<string, number | null>;
}

const usable = (v: number | undefined): number => (v !== undefined && Number.isFinite(v) && v > 0 ? v : 0);

/**
 * The effective weight of every capability, as the API computes it: a
 * capability weight when given, otherwise the pillar weight (default 1) split
 * evenly among the pillar's counted capabilities; 0 for a capability the
 * reference lacks.
 */
export function effectiveWeights(ctx: CoverageContext): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of ctx.pillars) {
    const counted = p.capabilities.filter((c) => (ctx.referenceLevels[c] ?? 0) > 0);
    const share = (p.code in ctx.weights ? usable(ctx.weights[p.code]) : 1) / Math.max(1, counted.length);
    for (const c of p.capabilities) {
      if (!counted.includes(c)) out.set(c, 0);
      else out.set(c, c in ctx.weights ? usable(ctx.weights[c]) : share);
    }
  }
  return out;
}

/** Each pillar's coverage (0..1) for one country; null for a pillar that counts nothing (no score). */
export function pillarCoverages(levels: Record<string, number | null>, ctx: CoverageContext): Record<string, number | null> {
  const w = effectiveWeights(ctx);
  const out: Record<string, number | null> = {};
  for (const p of ctx.pillars) {
    let total = 0;
    let assessed = 0;
    for (const c of p.capabilities) {
      const wc = w.get(c) ?? 0;
      total += wc;
      if (levels[c] !== null && levels[c] !== undefined) assessed += wc;
    }
    out[p.code] = total > 0 ? assessed / total : null;
  }
  return out;
}

/**
 * The coverage behind a country's colour in a colour mode: the country's
 * coverage for the index and for capability levels, the pillar's coverage for
 * a pillar score (null when it cannot be known without the taxonomy).
 * Countries without any assessment have none (they are "not assessed").
 */
export function coverageBehind(row: IndexRow, mode: string, ctx: CoverageContext | null): number | null {
  if (!row.assessed) return null;
  if (modeKind(mode) !== 'pillar') return row.coverage;
  if (!ctx) return null;
  return pillarCoverages(row.levels ?? {}, ctx)[mode] ?? null;
}

/** True when the colour rests on thin evidence: assessed, with coverage below THIN_COVERAGE. */
export function isThin(coverage: number | null): boolean {
  return coverage !== null && coverage < THIN_COVERAGE;
}

/** The legend's words for the thin-evidence entry in a colour mode. */
export function thinLabel(mode: string): string {
  const pct = `${Math.round(THIN_COVERAGE * 100)} %`;
  switch (modeKind(mode)) {
    case 'index':
      return `Thin evidence: coverage below ${pct}`;
    case 'pillar':
      return `Thin evidence: pillar coverage below ${pct}`;
    case 'capability':
      return `Country coverage below ${pct} (profile mostly not yet assessed)`;
  }
}

/** Colour classes and thin-evidence marks of every country for a colour mode. */
export function paintClasses(
  rows: IndexRow[],
  mode: string,
  bands: Band[],
  ctx: CoverageContext | null,
): { classes: Map<string, number>; thin: Set<string>; coverage: Map<string, number | null> } {
  const classes = new Map<string, number>();
  const thin = new Set<string>();
  const coverage = new Map<string, number | null>();
  for (const r of rows) {
    const cov = coverageBehind(r, mode, ctx);
    const cls = classFor(r, mode, bands, modeKind(mode) === 'pillar' ? cov : undefined);
    classes.set(r.iso3, cls);
    coverage.set(r.iso3, cov);
    if (cls !== NOT_ASSESSED && isThin(cov)) thin.add(r.iso3);
  }
  return { classes, thin, coverage };
}
