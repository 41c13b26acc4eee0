// Shapes of the tracker API v1 responses the app reads (see DESIGN.md §4).

export interface Band {
  code: string;
  label: string;
  min: number;
  max: number;
}

export interface IndexRow {
  iso3: string;
  name: string;
  region: string;
  subregion: string;
  assessed: boolean;
  index: number | null;
  band: string;
  coverage: number;
  pillars: Record<string, number | null>;
  levels: Record<string, number | null>;
}

export interface IndexResponse {
  dataset_version: string;
  revision?: number;
  as_of: string;
  reference: string;
  weights: string;
  time_range: { min: string; max: string };
  bands: Band[];
  countries: IndexRow[];
}

export interface Pillar {
  code: string;
  name: string;
  description: string;
  capabilities: string[];
}

export interface Capability {
  code: string;
  name: string;
  pillar: string;
  definition: string;
  level4_marker: string;
}

export interface Source {
  id: string;
  url: string | null;
  title: string;
  publisher: string;
  published: string;
}

export interface ProfilePillar {
  code: string;
  name: string;
  score: number | null;
  coverage: number;
  reference_score?: number | null;
}

export interface ProfileCapability {
  code: string;
  name: string;
  pillar: string;
  level: number | null;
  reference_level: number | null;
  confidence: string | null;
  summary: string | null;
  valid_from: string | null;
  valid_to: string | null;
  sources: Source[];
  /** The row behind this level (GET /countries/{iso3}). */
  assessment_id?: string | number | null;
  /** True when the level is an editorial judgement (sent by newer APIs; absent otherwise). */
  level_judgement?: boolean | null;
  /** Why the assessment behind this level corrected an earlier one (newer APIs; absent otherwise). */
  correction_reason?: string | null;
  /** "dataset" (shipped) or "report" (a partner's accepted report), with the report and the organisation (null: unnamed). */
  provenance?: 'dataset' | 'report';
  report_id?: number | string | null;
  organisation?: string | { name: string } | null;
}

export interface ConstraintEvent {
  id: string;
  date: string;
  kind: string;
  title: string;
  description: string;
  ends: string | null;
  sources: Source[];
}

export interface CountryProfile {
  iso3: string;
  iso2: string;
  name: string;
  region: string;
  subregion: string;
  label_point: [number, number] | null;
  bbox: [number, number, number, number] | null;
  area_km2: number | null;
  neighbours: { iso3: string; name: string }[];
  dataset_version: string;
  as_of: string;
  reference: string;
  assessed: boolean;
  index: number | null;
  band: string;
  coverage: number;
  pillars: ProfilePillar[];
  capabilities: ProfileCapability[];
  constraint_events: ConstraintEvent[];
  notes: { text: string; sources: Source[] }[];
}

export interface HistoryAssessment {
  id: string | number;
  capability: string;
  level: number;
  valid_from: string;
  valid_to: string | null;
  recorded_at: string;
  superseded_by: string | number | null;
  /** Present in the real API: a retracted row no longer counts. */
  retracted?: boolean;
  supersedes?: string | number | null;
  valid_from_precision?: string;
  confidence: string;
  summary: string;
  provenance: string;
  sources: Source[];
  /** Why this row corrects the one it supersedes (newer APIs; absent otherwise). */
  correction_reason?: string | null;
  /** True when the level is an editorial judgement (newer APIs; absent otherwise). */
  level_judgement?: boolean | null;
}

export interface HistoryResponse {
  iso3: string;
  name: string;
  dataset_version: string;
  assessments: HistoryAssessment[];
}

export interface CompareCountry {
  iso3: string;
  name: string;
  assessed: boolean;
  index: number | null;
  band: string;
  coverage: number;
  pillars: ProfilePillar[];
  series: { year: number; index: number | null; assessed: boolean }[];
}

export interface CompareCapability {
  code: string;
  name: string;
  pillar: string;
  reference_level: number | null;
  levels: Record<string, number | null>;
}

export interface CompareResponse {
  dataset_version: string;
  as_of: string;
  reference: string;
  countries: CompareCountry[];
  capabilities: CompareCapability[];
}

export interface SiteProperties {
  id: string;
  name: string;
  country: string;
  capability: string;
  status: string;
  vendor: string | null;
  vendor_country: string | null;
  financier: string | null;
  valid_from: string | null;
  valid_to: string | null;
  confidence: string;
  precision: string;
  /** What the evidence says, from a partner report; '' (or absent) for shipped sites. */
  summary?: string;
  /** "dataset" (shipped) or "report" (a partner's accepted report), with the report and the organisation (null: unnamed). */
  provenance?: 'dataset' | 'report';
  report_id?: number | null;
  organisation?: string | null;
  sources: Source[];
}

/** The taxonomy: pillars in display order and every capability by code. */
export interface Taxonomy {
  pillars: Pillar[];
  capabilities: Capability[];
}

// ---- diffusion analytics (/api/v1/diffusion/…) ----------------------------------

export interface DiffusionScopeOut {
  kind: 'world' | 'region' | 'subregion' | 'countries';
  name: string | null;
  iso3: string[] | null;
  countries: number;
}

/** What every diffusion answer starts with. */
export interface DiffusionMeta {
  dataset_version: string;
  revision: number;
  as_of: string;
  recorded_as_of: string | null;
  scope: DiffusionScopeOut;
}

export interface DiffusionSeries {
  kind: 'capability' | 'pillar';
  code: string;
  name: string;
  capabilities: string[];
  min_capabilities: number;
}

export interface CurvePoint {
  year: number;
  date: string;
  assessed: number;
  adopted: number;
  at_or_above: number;
  share: number | null;
  share_at_or_above: number | null;
}

export interface CurvesResponse extends DiffusionMeta {
  min_level: number;
  from: number;
  to: number;
  series: (DiffusionSeries & { points: CurvePoint[] })[];
}

export interface ExposureCountry {
  iso3: string;
  name: string;
  adopted: string;
  neighbours: string[];
  neighbours_not_assessed: string[];
  adopted_before: string[];
  exposure: number | null;
  baseline: number;
}

export interface ExposureResponse extends DiffusionMeta {
  min_level: number;
  from: number | null;
  to: number | null;
  series: DiffusionSeries;
  summary: { adopters: number; counted: number; population: number; mean_exposure: number | null; mean_baseline: number | null; difference: number | null };
  countries: ExposureCountry[];
}

export interface MoranYear {
  year: number;
  date: string;
  n: number;
  defined: boolean;
  reason: string | null;
  i: number | null;
  expected: number | null;
  p_value: number | null;
  z: number | null;
  mean_permuted: number | null;
  sd_permuted: number | null;
  nearest: string[];
}

export interface MoranResponse extends DiffusionMeta {
  variable: { kind: 'index' | 'pillar' | 'capability'; code: string | null; name: string };
  k_nearest: number;
  permutations: number;
  from: number;
  to: number;
  years: MoranYear[];
}

export interface FlowSite {
  id: number;
  name: string;
  country: string;
  capability: string;
  status: string;
  vendor: string;
  valid_from: string | null;
  valid_from_precision: string;
  valid_to: string | null;
  confidence: string;
  point: [number, number];
  provenance?: 'dataset' | 'report';
  report_id?: number | null;
  organisation?: string | null;
  sources: Source[];
}

export interface Flow {
  from: string;
  from_name: string;
  to: string;
  to_name: string;
  from_point: [number, number];
  to_point: [number, number];
  domestic: boolean;
  sites: number;
  capabilities: string[];
  first_year: number | null;
  statuses: Record<string, number>;
  site_list: FlowSite[];
}

export interface FlowsResponse extends DiffusionMeta {
  vendor_country: string | null;
  series: DiffusionSeries | null;
  totals: { sites: number; vendor_known: number; undated: number };
  flows: Flow[];
  share: {
    vendor_country: string;
    from: number;
    to: number;
    years: { year: number; date: string; sites: number; vendor_known: number; vendor: number; share: number | null; share_of_known: number | null }[];
  };
}
