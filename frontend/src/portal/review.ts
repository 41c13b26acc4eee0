// The review page: each proposal beside the country's published level and
// sources, comments per item and on the whole report, and the decision
// (request changes, accept, reject). A 412 means someone decided first.

import { api } from '../api';
import { fill, h } from '../dom';
import { countryNames, taxonomy } from './countries';
import { call, etagOf, newKey, PortalError } from './http';
import type { Portal } from './shell';
import { proposals, reportHead } from './readonly';
import type { Report } from './types';
import { announce, errorNotice, field, notice, textarea } from './ui';
import { describePointer, fieldId, itemPointers, placeErrors, type PlacedErrors } from './pointers';

type Decision = 'request-changes' | 'accept' | 'reject';
const LABEL: Record<Decision, string> = { 'request-changes': 'Request changes', accept: 'Accept', reject: 'Reject' };

export async function reviewView(root: HTMLElement, portal: Portal, id: number): Promise<void> {
  const [tax, names, a] = await Promise.all([taxonomy(), countryNames(), call<Report>('GET', `/api/v1/reports/${id}`)]);
  const r = a.data;
  const etag = a.etag ?? etagOf(r.version);
  const own = portal.me?.organisation?.id === r.organisation.id;
  const itemComments = new Map<string, HTMLTextAreaElement>();
  const decidable = r.status === 'submitted' && !own && (portal.me?.user?.role === 'reviewer' || portal.me?.user?.role === 'admin');
  const slot = (ptr: string, label: string) => {
    if (!decidable) return null;
    let t = itemComments.get(ptr);
    if (!t) {
      t = textarea('', { rows: 2 });
      itemComments.set(ptr, t);
    }
    return field(`c${fieldId(ptr)}`, label, t);
  };
  const status = h('div', { id: 'decision-status', 'aria-live': 'polite' });
  const comment = textarea('', { rows: 3 });
  const keys: Partial<Record<Decision, string>> = {};
  // A 422 at decision time (e.g. a site whose name exists already) is shown on
  // the item its pointer names; kept so a re-render of the items keeps it.
  let itemErrors: PlacedErrors = { byField: new Map(), unplaced: [] };
  const markItems = (): HTMLElement | null => {
    for (const el of root.querySelectorAll('.item-error')) el.remove();
    let first: HTMLElement | null = null;
    for (const sec of root.querySelectorAll<HTMLElement>('section[data-pointer]')) {
      const reasons = itemErrors.byField.get(sec.dataset.pointer ?? '');
      sec.classList.toggle('has-error', !!reasons);
      if (!reasons) { sec.removeAttribute('aria-describedby'); continue; }
      const id = `err${fieldId(sec.dataset.pointer ?? '')}`;
      const err = h('p', { class: 'field-error item-error', id }, ...reasons.flatMap((x, i) => (i ? [h('br'), x] : [x])));
      sec.querySelector('h3')?.after(err);
      sec.setAttribute('aria-describedby', id);
      sec.tabIndex = -1;
      first ??= sec;
    }
    return first;
  };
  const decide = async (d: Decision) => {
    const body = {
      comment: comment.value.trim() || undefined,
      item_comments: [...itemComments.entries()].filter(([, t]) => t.value.trim()).map(([pointer, t]) => ({ pointer, comment: t.value.trim() })),
    };
    if (d === 'request-changes' && !body.comment && body.item_comments.length === 0) {
      fill(status, notice('error', 'Say what should change: write a comment on the report or on an item.'));
      comment.focus();
      return;
    }
    for (const b of root.querySelectorAll<HTMLButtonElement>('.decisions button')) b.disabled = true;
    itemErrors = { byField: new Map(), unplaced: [] };
    markItems();
    keys[d] ??= newKey(); // a retry of the same decision reuses its key
    try {
      await call<Report>('POST', `/api/v1/reports/${r.id}/${d}`, { body, ifMatch: etag, idempotencyKey: keys[d] });
      announce(`${LABEL[d]}: done.`);
      fill(status, notice('ok', d === 'accept' ? 'Accepted: the report’s assessments are published now. ' : d === 'reject' ? 'Rejected: nothing was published. ' : 'Changes requested: the partner sees your comments. ',
        h('a', { href: '#/review', id: 'back-to-queue' }, 'Back to the queue')));
      root.querySelector<HTMLElement>('#back-to-queue')?.focus();
    } catch (e) {
      for (const b of root.querySelectorAll<HTMLButtonElement>('.decisions button')) b.disabled = false;
      if (e instanceof PortalError && e.status === 412) {
        const reload = h('button', { type: 'button', id: 'reload-review' }, 'Reload the report');
        reload.addEventListener('click', () => portal.render());
        fill(status, notice('error', h('strong', {}, 'Someone else decided first. '), 'The report changed since you opened it (another reviewer decided, or the partner withdrew it). Your decision was not recorded. ', reload));
        announce('Someone else decided first. Your decision was not recorded.');
        reload.focus();
      } else if (e instanceof PortalError && e.status === 422 && e.fieldErrors.length) {
        itemErrors = placeErrors(e.fieldErrors, itemPointers(r));
        const first = markItems();
        const all = e.fieldErrors.map((f) => `${describePointer(f.field)}: ${f.reason}`);
        fill(status, notice('error', h('strong', {}, `${LABEL[d]} refused: ${e.title}. `), all.join('; '), first ? ' The items concerned are marked.' : ''));
        announce(`${LABEL[d]} refused: ${all.join('; ')}`);
        (first ?? status).focus();
      } else if (e instanceof PortalError && e.status === 409) {
        fill(status, notice('error', `${e.title}: ${e.detail || 'this decision is not possible in the report’s current status.'}`));
      } else if (e instanceof PortalError && e.status === 401) {
        // the login is shown
      } else fill(status, errorNotice(e));
    }
  };
  const buttons = (Object.keys(LABEL) as Decision[]).map((d) => {
    const b = h('button', { type: 'button', id: `decide-${d}`, class: d === 'accept' ? '' : 'secondary' }, LABEL[d]);
    b.addEventListener("click", () => void decide(d));
    return b;
  });
  const body = h('div', {}, proposals(r, null, tax, names, slot));
  const preview = h('section', { class: 'preview', id: 'index-preview', 'aria-label': 'Index if accepted', 'aria-live': 'polite' },
    h('h2', {}, 'The index if this report is accepted'), h('p', { class: 'muted' }, 'Computing…'));
  fill(root,
    h('h1', {}, `Review: report #${r.id}`),
    ...reportHead(r, names),
    preview,
    own ? notice('info', 'This report is from your own organisation: a reviewer of another organisation decides on it.') : null,
    !own && r.status !== 'submitted' ? notice('info', `This report is ${r.status.replace('_', ' ')}: there is nothing to decide.`) : null,
    body,
    decidable ? h('section', { class: 'decisions', 'aria-label': 'Decision' }, h('h2', {}, 'Decision'),
      field('review-comment', 'Comment on the report', comment, 'Shown to the partner with the decision.'),
      h('div', { class: 'actions' }, ...buttons), status) : status);
  void api.country(r.country, {}).then((p) => { fill(body, proposals(r, p, tax, names, slot)); markItems(); }).catch(() => {});
  void call<Preview>('GET', `/api/v1/reports/${r.id}/preview`).then(({ data }) => fill(preview, ...previewView(data, tax)))
    .catch((e) => fill(preview, h('h2', {}, 'The index if this report is accepted'), errorNotice(e)));
}

interface PreviewScore {
  assessed: boolean;
  index: number | null;
  band: string;
  coverage: number;
  pillars: { code: string; name: string; score: number | null; coverage: number }[];
}
interface Preview {
  country: string;
  as_of: string;
  reference: string;
  current: PreviewScore | null;
  if_accepted: PreviewScore | null;
  unavailable: string | null;
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? 'not assessed' : v.toFixed(1));
const delta = (a: number | null | undefined, b: number | null | undefined) => {
  if (a === null || a === undefined || b === null || b === undefined) return '';
  const d = b - a;
  return Math.abs(d) < 0.05 ? '±0' : `${d > 0 ? '+' : '−'}${Math.abs(d).toFixed(1)}`;
};

/** The server's before/after scores: the index, band, coverage and each pillar. */
function previewView(p: Preview, _tax: unknown): HTMLElement[] {
  const head = h('h2', {}, 'The index if this report is accepted');
  if (!p.current || !p.if_accepted) return [head, notice('info', `No preview: ${p.unavailable ?? 'nothing can be scored today'}.`)];
  const cur = p.current;
  const next = p.if_accepted;
  return [head,
    h('p', { class: 'small muted' }, `Resemblance to ${p.reference} on ${p.as_of}, default weights, computed by the server with the scoring of the map.`),
    h('div', { class: 'table-wrap' }, h('table', { class: 'admin preview-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, 'Published now'), h('th', { scope: 'col' }, 'If accepted'), h('th', { scope: 'col' }, 'Change'))),
      h('tbody', {},
        h('tr', { 'data-row': 'index' }, h('th', { scope: 'row' }, 'Index'), h('td', {}, `${fmt(cur.index)} (${cur.band.replace(/_/g, ' ')})`),
          h('td', { class: 'if-accepted' }, `${fmt(next.index)} (${next.band.replace(/_/g, ' ')})`), h('td', {}, delta(cur.index, next.index))),
        h('tr', { 'data-row': 'coverage' }, h('th', { scope: 'row' }, 'Coverage'), h('td', {}, `${Math.round(cur.coverage * 100)} %`),
          h('td', {}, `${Math.round(next.coverage * 100)} %`), h('td', {}, delta(cur.coverage * 100, next.coverage * 100))),
        ...next.pillars.map((np, i) => {
          const cp = cur.pillars[i];
          return h('tr', { 'data-row': np.code }, h('th', { scope: 'row' }, np.name), h('td', {}, fmt(cp?.score)), h('td', {}, fmt(np.score)), h('td', {}, delta(cp?.score, np.score)));
        }))))];
}
