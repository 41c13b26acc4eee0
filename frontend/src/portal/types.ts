// Shapes of the partner workflow's API (/api/v1/auth, /me, /reports, /admin,
// /keys), as /work/briefs/partner-contract.md and api/openapi.yaml define them.

export type Role = 'admin' | 'reviewer' | 'partner';

export interface Me {
  user: { id: number; email: string; name: string; role: Role } | null;
  key?: { id: number; name: string } | null;
  /** null for an admin who belongs to no organisation. */
  organisation: { id: number; name: string; named: boolean } | null;
  session?: { expires_at: string; idle_expires_at: string } | null;
}

export type ReportStatus = 'draft' | 'submitted' | 'changes_requested' | 'accepted' | 'rejected';
export const STATUSES: ReportStatus[] = ['draft', 'submitted', 'changes_requested', 'accepted', 'rejected'];
export const STATUS_LABEL: Record<ReportStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  changes_requested: 'Changes requested',
  accepted: 'Accepted',
  rejected: 'Rejected',
};

/** An existing source by id, or a new one. */
export type SourceRef = { id: number } | NewSource;
export interface NewSource {
  url: string;
  title: string;
  publisher: string;
  published: string | null;
  archived_url?: string;
}

export interface AssessmentInput {
  capability: string;
  level: number | null;
  valid_from: string;
  valid_to: string | null;
  confidence: string;
  summary: string;
  sources: SourceRef[];
}

export interface SiteInput {
  name: string;
  capability: string;
  status: string;
  lon: number | null;
  lat: number | null;
  vendor: string;
  vendor_country: string;
  valid_from: string;
  valid_to: string | null;
  confidence: string;
  summary: string;
  sources: SourceRef[];
}

export interface ConstraintInput {
  date: string;
  kind: string;
  title: string;
  summary: string;
  sources: SourceRef[];
}

export interface ReportInput {
  country: string;
  period: { from: string; to: string };
  narrative: string;
  assessments: AssessmentInput[];
  sites: SiteInput[];
  constraints: ConstraintInput[];
}

export interface Comment {
  id: number;
  pointer: string | null;
  body: string;
  author: { role: Role; organisation: string | null };
  created_at: string;
}

export interface Report extends ReportInput {
  id: number;
  status: ReportStatus;
  version: number;
  organisation: { id: number; name: string };
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  decided_at: string | null;
  comments: Comment[];
  transitions: { from: string; to: string; at: string; role: Role }[];
}

export interface ReportSummary {
  id: number;
  country: string;
  period: { from: string; to: string };
  status: ReportStatus;
  organisation: { id: number; name: string };
  created_at: string;
  updated_at: string;
  counts: { assessments: number; sites: number; constraints: number; sources: number };
  last_comment?: { body: string; created_at?: string } | string | null;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface Organisation {
  id: number;
  name: string;
  named: boolean;
  created_at?: string;
}

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  organisation: { id: number; name: string } | null;
  organisation_id?: number;
  disabled: boolean;
  created_at?: string;
}

export interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  organisation: { id: number; name: string };
  role: Role;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  token?: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: { user_id: number | null; key_id: number | null; email: string | null };
  organisation_id: number | null;
  action: string;
  subject: string | null;
  detail: Record<string, unknown>;
}

export const SITE_STATUSES = ['planned', 'active', 'suspended', 'cancelled', 'stopped_by_court', 'concluded'];
export const CONSTRAINT_KINDS = ['court_ruling', 'law', 'regulation', 'regulator_decision', 'moratorium', 'other'];
export const CONFIDENCES: { code: string; label: string; rule: string }[] = [
  // As docs/methodology.md, section 4, states them.
  { code: 'H', label: 'H: high (documented)', rule: 'A primary official document, or at least two independent reputable sources.' },
  { code: 'M', label: 'M: medium', rule: 'One reputable source.' },
  { code: 'L', label: 'L: low (rumoured or speculative)', rule: 'A single secondary or partisan source, or inference. An L claim never ships above level 1.' },
];
