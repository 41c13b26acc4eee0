// Sites (geolocated deployments): date filtering and the popup body.

import { h } from './dom';
import { sourceList } from './sources';
import type { SiteCollection } from './api';
import type { SiteProperties } from './types';

/**
 * Sites that existed on `asOf` (YYYY-MM-DD; null = today): started on or
 * before it (or undated) and not ended by then. Dates may be YYYY or YYYY-MM.
 */
export function sitesAt(fc: SiteCollection, asOf: string | null): SiteCollection {
  if (!asOf) return fc;
  const pad = (d: string, end: boolean) => (d.length === 4 ? `${d}${end ? '-12-31' : '-01-01'}` : d.length === 7 ? `${d}-01` : d);
  return {
    ...fc,
    features: fc.features.filter((f) => {
      const p = f.properties;
      if (p.valid_from && pad(p.valid_from, false) > asOf) return false;
      if (p.valid_to && pad(p.valid_to, false) <= asOf) return false;
      return true;
    }),
  };
}

const STATUS: Record<string, string> = {
  planned: 'Planned',
  active: 'Active',
  suspended: 'Suspended',
  cancelled: 'Cancelled',
  stopped_by_court: 'Stopped by a court',
  concluded: 'Concluded',
};

function row(label: string, value: string | null | undefined): HTMLElement | null {
  if (!value) return null;
  return h('div', { class: 'kv' }, h('dt', {}, label), h('dd', {}, value));
}

/**
 * Where a site came from, for its popup: null for the shipped dataset, else
 * the partner report and its organisation (or that it stays unnamed), as the
 * profile says it of a level. The submitting person is never published.
 */
export function siteProvenance(p: Pick<SiteProperties, 'provenance' | 'report_id' | 'organisation'>): string | null {
  if (p.provenance !== 'report') return null;
  return `A partner report${p.report_id ? ` (#${p.report_id})` : ''}${p.organisation ? ` by ${p.organisation}` : ' by an organisation that stays unnamed'}, accepted by a reviewer of another organisation`;
}

/** The popup body for one site. */
export function sitePopup(p: SiteProperties, capabilityName: (code: string) => string = (c) => c): HTMLElement {
  const vendor = p.vendor ? `${p.vendor}${p.vendor_country ? ` (${p.vendor_country})` : ''}` : p.vendor_country;
  const dates = [p.valid_from ?? '?', p.valid_to ?? 'today'].join(' – ');
  return h(
    'div',
    { class: 'site-popup' },
    h('h3', {}, p.name),
    p.summary ? h('p', { class: 'site-summary' }, p.summary) : null,
    h(
      'dl',
      {},
      row('Status', STATUS[p.status] ?? p.status),
      row('Capability', capabilityName(p.capability)),
      row('Vendor', vendor),
      row('Financier', p.financier),
      row('Dates', dates),
      row('Confidence', p.confidence),
      row('Location', p.precision ? `${p.precision}-level precision` : null),
      row('From', siteProvenance(p)),
    ),
    sourceList(p.sources),
  );
}
