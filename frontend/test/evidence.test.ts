import { describe, expect, it } from 'vitest';
import { DEFAULT_BANDS, NOT_ASSESSED } from '../src/colours';
import { THIN_COVERAGE, coverageBehind, effectiveWeights, isThin, paintClasses, pillarCoverages, thinLabel, type CoverageContext } from '../src/evidence';
import type { IndexRow } from '../src/types';

// Three pillars of the real taxonomy (codes from data/taxonomy.yaml).
const PILLARS = [
  { code: 'integration', capabilities: ['integration.credit_platform', 'integration.state_to_private', 'integration.private_to_state'] },
  { code: 'sanctions', capabilities: ['sanctions.blacklist', 'sanctions.redlist', 'sanctions.joint_punishment', 'sanctions.mobility_restriction', 'sanctions.access_restriction', 'sanctions.public_disclosure'] },
  { code: 'surveillance', capabilities: ['surveillance.cctv_network', 'surveillance.facial_recognition', 'surveillance.communications_monitoring', 'surveillance.predictive_analytics'] },
];
const CHINA: Record<string, number> = Object.fromEntries(PILLARS.flatMap((p) => p.capabilities.map((c) => [c, 3])));
const ctx = (over: Partial<CoverageContext> = {}): CoverageContext => ({ pillars: PILLARS, weights: {}, referenceLevels: CHINA, ...over });

// Russia's assessed capabilities in dataset 2026.11.0 (docs/methodology.md, "Thin evidence").
const RUSSIA = { 'integration.private_to_state': 4, 'sanctions.joint_punishment': 4, 'sanctions.mobility_restriction': 4, 'surveillance.facial_recognition': 2 };

const row = (over: Partial<IndexRow>): IndexRow => ({
  iso3: 'RUS', name: 'Russia', region: 'Europe', subregion: 'Eastern Europe', assessed: true, index: 13.89, band: 'isolated',
  coverage: 0.153, pillars: { integration: 33.33, sanctions: 33.33, surveillance: 16.67 }, levels: RUSSIA, ...over,
});

describe('pillar coverage (the API weights rule)', () => {
  it('is the share of counted capabilities assessed, with default weights', () => {
    // The API gives RUS: integration 0.333, sanctions 0.333, surveillance 0.25.
    const got = pillarCoverages(RUSSIA, ctx());
    expect(got.integration).toBeCloseTo(1 / 3, 9);
    expect(got.sanctions).toBeCloseTo(2 / 6, 9);
    expect(got.surveillance).toBeCloseTo(1 / 4, 9);
  });

  it('leaves out capabilities the reference lacks, assessed or not', () => {
    const ref = { ...CHINA, 'sanctions.redlist': 0, 'sanctions.blacklist': 0 };
    const got = pillarCoverages({ ...RUSSIA, 'sanctions.redlist': 2 }, ctx({ referenceLevels: ref }));
    expect(got.sanctions).toBeCloseTo(2 / 4, 9);
  });

  it('uses a capability weight instead of its share; a pillar weight alone changes nothing within the pillar', () => {
    // sanctions: 6 counted, default share 1/6; joint punishment weighs 0.5 instead.
    const got = pillarCoverages(RUSSIA, ctx({ weights: { 'sanctions.joint_punishment': 0.5 } }));
    expect(got.sanctions).toBeCloseTo((0.5 + 1 / 6) / (0.5 + 5 / 6), 9);
    expect(pillarCoverages(RUSSIA, ctx({ weights: { sanctions: 3 } })).sanctions).toBeCloseTo(2 / 6, 9);
  });

  it('has no value for a pillar that counts nothing (weight 0, or nothing in the reference)', () => {
    expect(pillarCoverages(RUSSIA, ctx({ weights: { surveillance: 0 } })).surveillance).toBeNull();
    const ref = { ...CHINA };
    for (const c of PILLARS[0].capabilities) ref[c] = 0;
    expect(pillarCoverages(RUSSIA, ctx({ referenceLevels: ref })).integration).toBeNull();
  });

  it('gives every counted capability of a pillar the pillar weight split evenly', () => {
    const w = effectiveWeights(ctx({ weights: { surveillance: 2 } }));
    expect(w.get('surveillance.cctv_network')).toBeCloseTo(0.5, 9);
    expect(w.get('sanctions.blacklist')).toBeCloseTo(1 / 6, 9);
  });
});

describe('thin evidence', () => {
  it('uses a documented threshold of 50 %, strictly below', () => {
    expect(THIN_COVERAGE).toBe(0.5);
    expect(isThin(0.499)).toBe(true);
    expect(isThin(0.5)).toBe(false);
    expect(isThin(null)).toBe(false);
  });

  it('looks at the coverage behind the colour in each mode', () => {
    const r = row({});
    expect(coverageBehind(r, 'index', ctx())).toBe(0.153);
    expect(coverageBehind(r, 'sanctions.blacklist', ctx())).toBe(0.153);
    expect(coverageBehind(r, 'surveillance', ctx())).toBeCloseTo(0.25, 9);
    expect(coverageBehind(r, 'surveillance', null)).toBeNull();
    expect(coverageBehind(row({ assessed: false, coverage: 0 }), 'index', ctx())).toBeNull();
  });

  it('marks thin colours and draws a pillar with nothing assessed as not assessed, never 0', () => {
    const china = row({ iso3: 'CHN', coverage: 1, index: 100, band: 'comparable', levels: CHINA, pillars: { integration: 100, sanctions: 100, surveillance: 100 } });
    const bare = row({ iso3: 'ARG', coverage: 0.04, index: 2.1, band: 'none', levels: { 'surveillance.cctv_network': 2 }, pillars: { integration: 0, sanctions: 0, surveillance: 16.7 } });
    const none = row({ iso3: 'FJI', assessed: false, index: null, band: 'not_assessed', coverage: 0, levels: {}, pillars: {} });
    const rows = [china, row({}), bare, none];

    const byIndex = paintClasses(rows, 'index', DEFAULT_BANDS, ctx());
    expect([...byIndex.thin].sort()).toEqual(['ARG', 'RUS']);
    expect(byIndex.classes.get('FJI')).toBe(NOT_ASSESSED);

    const bySanctions = paintClasses(rows, 'sanctions', DEFAULT_BANDS, ctx());
    expect(bySanctions.classes.get('ARG')).toBe(NOT_ASSESSED); // score 0 with nothing assessed
    expect(bySanctions.thin.has('ARG')).toBe(false); // not assessed is its own mark
    expect(bySanctions.classes.get('RUS')).toBe(2); // 33.3: emerging
    expect(bySanctions.thin.has('RUS')).toBe(true); // 2 of 6 assessed
    expect(bySanctions.thin.has('CHN')).toBe(false);

    const byLevel = paintClasses(rows, 'surveillance.cctv_network', DEFAULT_BANDS, ctx());
    expect(byLevel.classes.get('ARG')).toBe(2);
    expect(byLevel.thin.has('ARG')).toBe(true); // the country's profile is mostly unknown
    expect(byLevel.classes.get('RUS')).toBe(NOT_ASSESSED);
    expect(byLevel.thin.has('RUS')).toBe(false);
  });

  it('without the taxonomy, pillar colours are not marked (coverage unknown) and keep their scores', () => {
    const out = paintClasses([row({})], 'sanctions', DEFAULT_BANDS, null);
    expect(out.classes.get('RUS')).toBe(2);
    expect(out.thin.size).toBe(0);
  });

  it('names the mark per mode in the legend', () => {
    expect(thinLabel('index')).toBe('Thin evidence: coverage below 50 %');
    expect(thinLabel('rating')).toBe('Thin evidence: pillar coverage below 50 %');
    expect(thinLabel('rating.private_score')).toMatch(/^Country coverage below 50 %/);
  });
});
