// "My reports" (a partner's organisation; everything for an admin) and the
// reviewer's queue (submitted reports of other organisations, oldest first).

import { fill, h } from '../dom';
import { countryNames, nameOf } from './countries';
import { get } from './http';
import type { Portal } from './shell';
import { STATUSES, STATUS_LABEL, type Page, type ReportStatus, type ReportSummary } from './types';
import { ageDays, errorNotice, field, input, select, when } from './ui';

const MAX_PAGES = 20;

/** Every page of /reports for a status (or all), following `next`. */
export async function allReports(status: string | null): Promise<ReportSummary[]> {
  const out: ReportSummary[] = [];
  let url: string | null = `/api/v1/reports?limit=100${status ? `&status=${encodeURIComponent(status)}` : ''}`;
  for (let i = 0; url && i < MAX_PAGES; i++) {
    const page: Page<ReportSummary> = await get<Page<ReportSummary>>(url);
    out.push(...page.items);
    url = page.next ? (page.next.startsWith('/') ? page.next : `/api/v1/reports?limit=100${status ? `&status=${encodeURIComponent(status)}` : ''}&cursor=${encodeURIComponent(page.next)}`) : null;
  }
  return out;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "1 assessment, 0 sites, 2 constraint events" */
export function itemsOf(r: ReportSummary): string {
  return [plural(r.counts.assessments, 'assessment', 'assessments'), plural(r.counts.sites, 'site', 'sites'),
    plural(r.counts.constraints, 'constraint event', 'constraint events')].join(', ');
}

export function lastComment(r: ReportSummary): string {
  const c = r.last_comment;
  if (!c) return '';
  return typeof c === 'string' ? c : c.body;
}

export function statusBadge(s: ReportStatus): HTMLElement {
  return h('span', { class: `status status-${s}` }, STATUS_LABEL[s] ?? s);
}

export async function reportsView(root: HTMLElement, portal: Portal, params: URLSearchParams): Promise<void> {
  const status = params.get('status');
  const role = portal.me?.user?.role;
  const filter = select([{ value: '', label: 'All statuses' }, ...STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }))], status ?? '');
  filter.addEventListener('change', () => portal.go(`#/reports${filter.value ? `?status=${filter.value}` : ''}`));
  const list = h('div', { id: 'report-list', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading…'));
  fill(root,
    h('h1', {}, role === 'admin' ? 'All reports' : `Reports of ${portal.me?.organisation?.name ?? 'your organisation'}`),
    h('div', { class: 'toolbar' },
      field('status-filter', 'Status', filter),
      role === 'partner' ? h('a', { class: 'button', href: '#/reports/new', id: 'new-report' }, 'New report') : null,
      h('a', { class: 'button secondary', href: '/api/v1/reports/template.csv', download: 'report-template.csv' }, 'CSV template')),
    list);
  try {
    const [rows, names] = await Promise.all([allReports(status), countryNames()]);
    rows.sort((a, b) => b.updated_at.localeCompare(a.updated_at));
    if (rows.length === 0) {
      fill(list, h('p', { class: 'empty' }, status ? `No report is ${STATUS_LABEL[status as ReportStatus]?.toLowerCase() ?? status}.` : 'No report yet.', role === 'partner' ? ' ' : null, role === 'partner' ? h('a', { href: '#/reports/new' }, 'Start one') : null));
      return;
    }
    fill(list, h('div', { class: 'table-wrap' }, h('table', { class: 'reports' },
      h('caption', { class: 'visually-hidden' }, 'Reports'),
      h('thead', {}, h('tr', {}, ...['Country', 'Period', 'Status', 'Last change', 'Items', 'Reviewer comment'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...rows.map((r) => h('tr', { 'data-report': r.id, 'data-status': r.status },
        h('th', { scope: 'row' }, h('a', { href: `#/reports/${r.id}` }, nameOf(names, r.country))),
        h('td', { 'data-label': 'Period' }, `${r.period.from} – ${r.period.to}`),
        h('td', { 'data-label': 'Status' }, statusBadge(r.status)),
        h('td', { 'data-label': 'Last change' }, when(r.updated_at)),
        h('td', { class: 'small', 'data-label': 'Items' }, itemsOf(r)),
        h('td', { class: 'comment', 'data-label': 'Reviewer comment' }, lastComment(r))))))));
  } catch (e) {
    fill(list, errorNotice(e));
  }
}

export async function queueView(root: HTMLElement, portal: Portal, params: URLSearchParams): Promise<void> {
  const own = portal.me?.organisation?.id;
  const list = h('div', { id: 'queue-list', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading…'));
  fill(root, h('h1', {}, 'Review queue'),
    h('p', { class: 'muted' }, 'Submitted reports of other organisations, the longest waiting first. You never decide on your own organisation’s reports.'),
    list);
  try {
    const [rows, names] = await Promise.all([allReports('submitted'), countryNames()]);
    const queue = rows.filter((r) => r.organisation.id !== own || portal.me?.user?.role === 'admin');
    const waiting = (r: ReportSummary) => r.updated_at;
    queue.sort((a, b) => waiting(a).localeCompare(waiting(b)));
    const countries = [...new Set(queue.map((r) => r.country))].sort();
    const orgs = [...new Map(queue.map((r) => [String(r.organisation.id), r.organisation.name])).entries()];
    const fCountry = select([{ value: '', label: 'Any country' }, ...countries.map((c) => ({ value: c, label: nameOf(names, c) }))], params.get('country') ?? '');
    const fOrg = select([{ value: '', label: 'Any organisation' }, ...orgs.map(([id, name]) => ({ value: id, label: name }))], params.get('org') ?? '');
    const fAge = input('number', params.get('min_age') ?? '', { min: 0, step: 1, inputmode: 'numeric' });
    const body = h('div');
    const draw = () => {
      const minAge = Number(fAge.value || 0);
      const shown = queue.filter((r) => (!fCountry.value || r.country === fCountry.value) && (!fOrg.value || String(r.organisation.id) === fOrg.value) && ageDays(waiting(r)) >= minAge);
      const q = new URLSearchParams();
      if (fCountry.value) q.set('country', fCountry.value);
      if (fOrg.value) q.set('org', fOrg.value);
      if (fAge.value) q.set('min_age', fAge.value);
      history.replaceState(null, '', `#/review${q.size ? `?${q}` : ''}`);
      fill(body, shown.length === 0 ? h('p', { class: 'empty' }, queue.length ? 'No submitted report matches these filters.' : 'Nothing is waiting for review.') :
        h('div', { class: 'table-wrap' }, h('table', { class: 'reports queue' },
          h('caption', { class: 'visually-hidden' }, 'Reports waiting for review'),
          h('thead', {}, h('tr', {}, ...['Country', 'Organisation', 'Period', 'Waiting', 'Items'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, ...shown.map((r) => h('tr', { 'data-report': r.id },
            h('th', { scope: 'row' }, h('a', { href: `#/review/${r.id}` }, nameOf(names, r.country))),
            h('td', { 'data-label': 'Organisation' }, r.organisation.name),
            h('td', { 'data-label': 'Period' }, `${r.period.from} – ${r.period.to}`),
            h('td', { 'data-label': 'Waiting' }, `${ageDays(waiting(r))} days (since ${when(waiting(r))})`),
            h('td', { class: 'small', 'data-label': 'Items' }, itemsOf(r))))))));
    };
    for (const el of [fCountry, fOrg, fAge]) el.addEventListener(el === fAge ? 'input' : 'change', draw);
    fill(list, h('div', { class: 'toolbar' }, field('queue-country', 'Country', fCountry), field('queue-org', 'Organisation', fOrg), field('queue-age', 'Waiting at least (days)', fAge)), body);
    draw();
  } catch (e) {
    fill(list, errorNotice(e));
  }
}
