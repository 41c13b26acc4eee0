// The review page: each proposal beside the country's published level and
// sources, comments per item and on the whole report, and the decision
// (request changes, accept, reject). A 412 means someone decided first.

import { api } from '../api';
import { fill, h } from '../dom';
import { countryNames, taxonomy } from './countries';
import { call, etagOf, newKey, PortalError } from './http';
import type { Portal } from './main';
import { proposals, reportHead } from './readonly';
import type { Report } from './types';
import { announce, errorNotice, field, notice, textarea } from './ui';
import { fieldId } from './pointers';

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
    keys[d] ??= newKey(); // a retry of the same decision reuses its key
    try {
      await call<Report>('POST', `/api/v1/reports/${r.id}/${d}`, { body, ifMatch: etag, idempotencyKey: keys[d] });
      announce(`${LABEL[d]}: done.`);
      fill(status, notice('ok', d === 'accept' ? 'Accepted: the report’s assessments are published now.' : d === 'reject' ? 'Rejected: nothing was published.' : 'Changes requested: the partner sees your comments.'));
      setTimeout(() => portal.go('#/review'), 1200);
    } catch (e) {
      for (const b of root.querySelectorAll<HTMLButtonElement>('.decisions button')) b.disabled = false;
      if (e instanceof PortalError && e.status === 412) {
        const reload = h('button', { type: 'button', id: 'reload-review' }, 'Reload the report');
        reload.addEventListener('click', () => portal.render());
        fill(status, notice('error', h('strong', {}, 'Someone else decided first. '), 'The report changed since you opened it (another reviewer decided, or the partner withdrew it). Your decision was not recorded. ', reload));
        announce('Someone else decided first. Your decision was not recorded.');
        reload.focus();
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
  fill(root,
    h('h1', {}, `Review: report #${r.id}`),
    ...reportHead(r, names),
    own ? notice('info', 'This report is from your own organisation: a reviewer of another organisation decides on it.') : null,
    !own && r.status !== 'submitted' ? notice('info', `This report is ${r.status.replace('_', ' ')}: there is nothing to decide.`) : null,
    body,
    decidable ? h('section', { class: 'decisions', 'aria-label': 'Decision' }, h('h2', {}, 'Decision'),
      field('review-comment', 'Comment on the report', comment, 'Shown to the partner with the decision.'),
      h('div', { class: 'actions' }, ...buttons), status) : status);
  void api.country(r.country, {}).then((p) => fill(body, proposals(r, p, tax, names, slot))).catch(() => {});
}
