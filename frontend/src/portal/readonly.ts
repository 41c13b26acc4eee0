// A report shown read-only: each proposal beside what is published now for
// the country (level and sources), the comments and the history. The review
// page (review.ts) adds comment fields and the decisions; a partner may
// withdraw a submitted report from here.

import { api } from '../api';
import { fill, h } from '../dom';
import type { CountryProfile, Source } from '../types';
import { nameOf, type Taxonomy } from './countries';
import { call, etagOf, newKey, PortalError } from './http';
import type { Portal } from './shell';
import { pointerOf } from './pointers';
import { statusBadge } from './reports';
import { citation, sourceById } from './sources';
import type { Report, SourceRef } from './types';
import { announce, errorNotice, notice, when } from './ui';

export function sourceList(list: SourceRef[]): HTMLElement {
  return h('ul', { class: 'src-list small' }, ...list.map((s) => {
    if ('id' in s) {
      const li = h('li', {}, `#${s.id}`);
      void sourceById(s.id).then((src) => { if (src) li.textContent = `#${s.id}: ${citation(src)}`; });
      return li;
    }
    return h('li', { class: 'new-src' }, h('span', { class: 'tag' }, 'new'), ' ', [s.title, s.publisher, s.published].filter(Boolean).join(', '), s.url ? h('span', { class: 'muted' }, ` · ${s.url}`) : null);
  }));
}

function published(list: Source[]): HTMLElement {
  return h('ul', { class: 'src-list small' }, ...list.map((s) => h('li', {}, `#${s.id}: ${citation(s)}`)));
}

/** Optional per-item comment fields (the review page passes them). */
export type CommentSlot = (pointer: string, label: string) => HTMLElement | null;

export function proposals(r: Report, profile: CountryProfile | null, tax: Taxonomy, names: Map<string, string>, slot: CommentSlot = () => null): HTMLElement {
  const capName = (code: string) => tax.capabilities.find((c) => c.code === code)?.name ?? code;
  const lvl = (n: number | null | undefined) => (n === null || n === undefined ? 'not assessed' : `${n}${tax.scale[n] ? ` (${tax.scale[n].name})` : ''}`);
  const comments = (ptr: string) => r.comments.filter((c) => c.pointer === ptr).map((c) => h('blockquote', { class: 'comment item-comment' }, h('strong', {}, `${c.author.role}, ${c.author.organisation ?? 'another organisation'}: `), c.body));
  return h('div', { class: 'proposals' },
    h('h2', {}, `Proposed assessments (${r.assessments.length})`),
    ...r.assessments.map((a, i) => {
      const cur = profile?.capabilities.find((c) => c.code === a.capability) ?? null;
      const ptr = pointerOf('assessments', i);
      return h('section', { class: 'side-by-side', 'data-pointer': ptr, 'aria-label': `Assessment ${i + 1}: ${capName(a.capability)}` },
        h('h3', {}, `${i + 1}. ${capName(a.capability)}`),
        h('div', { class: 'columns' },
          h('div', { class: 'col proposed' }, h('h4', {}, 'Proposed'),
            h('p', { class: 'level' }, `Level ${lvl(a.level)} · confidence ${a.confidence} · from ${a.valid_from}${a.valid_to ? ` to ${a.valid_to}` : ''}`),
            a.summary ? h('p', {}, a.summary) : null, sourceList(a.sources)),
          h('div', { class: 'col current' }, h('h4', {}, 'Published now'),
            !profile ? h('p', { class: 'muted' }, 'Loading…') :
              h('div', {}, h('p', { class: 'level' }, `Level ${lvl(cur?.level)}${cur?.confidence ? ` · confidence ${cur.confidence}` : ''}${cur?.valid_from ? ` · from ${cur.valid_from}` : ''}`),
                cur?.summary ? h('p', {}, cur.summary) : null, published(cur?.sources ?? [])))),
        ...comments(ptr), slot(ptr, `Comment on assessment ${i + 1}`));
    }),
    h('h2', {}, `Sites (${r.sites.length})`),
    ...r.sites.map((s, i) => {
      const ptr = pointerOf('sites', i);
      return h('section', { class: 'side-by-side', 'data-pointer': ptr },
        h('h3', {}, `${i + 1}. ${s.name}`),
        h('p', {}, `${capName(s.capability)} · ${s.status.replace(/_/g, ' ')} · at ${s.lat}, ${s.lon}${s.vendor ? ` · vendor ${s.vendor}` : ''}${s.vendor_country ? ` (${nameOf(names, s.vendor_country)})` : ''} · confidence ${s.confidence}`),
        s.summary ? h('p', {}, s.summary) : null, sourceList(s.sources), ...comments(ptr), slot(ptr, `Comment on site ${i + 1}`));
    }),
    h('h2', {}, `Constraint events (${r.constraints.length})`),
    ...r.constraints.map((c, i) => {
      const ptr = pointerOf('constraints', i);
      return h('section', { class: 'side-by-side', 'data-pointer': ptr },
        h('h3', {}, `${i + 1}. ${c.title}`), h('p', {}, `${c.date} · ${c.kind.replace(/_/g, ' ')}`),
        c.summary ? h('p', {}, c.summary) : null, sourceList(c.sources), ...comments(ptr), slot(ptr, `Comment on constraint event ${i + 1}`));
    }));
}

export function reportHead(r: Report, names: Map<string, string>): HTMLElement[] {
  const general = r.comments.filter((c) => !c.pointer);
  return [
    h('p', { class: 'report-meta' }, statusBadge(r.status), ` ${nameOf(names, r.country)} · ${r.period.from} – ${r.period.to} · ${r.organisation.name} · last change ${when(r.updated_at)}`),
    r.narrative ? h('section', { 'aria-label': 'Narrative' }, h('h2', {}, 'Narrative'), h('p', { class: 'narrative' }, r.narrative)) : h('p', { class: 'muted' }, 'No narrative.'),
    general.length ? h('section', { class: 'comments', 'aria-label': 'Comments' }, h('h2', {}, 'Comments'),
      ...general.map((c) => h('blockquote', { class: 'comment' }, c.body, h('footer', { class: 'small muted' }, `${c.author.role}, ${c.author.organisation ?? 'another organisation'} · ${when(c.created_at)}`)))) : h('span'),
    r.transitions.length ? h('details', { class: 'transitions small' }, h('summary', {}, 'History'),
      h('ul', {}, ...r.transitions.map((t) => h('li', {}, `${when(t.at)}: ${t.from} → ${t.to} (${t.role})`)))) : h('span'),
  ];
}

export function readView(root: HTMLElement, portal: Portal, r: Report, etag: string | null, tax: Taxonomy, names: Map<string, string>): void {
  const me = portal.me;
  const own = me?.organisation?.id === r.organisation.id;
  const status = h('div', { id: 'report-status', 'aria-live': 'polite' });
  const actions: HTMLElement[] = [];
  if (me?.user?.role === 'partner' && own && r.status === 'submitted') {
    const b = h('button', { type: 'button', id: 'withdraw-report', class: 'secondary' }, 'Withdraw (back to draft)');
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await call<Report>('POST', `/api/v1/reports/${r.id}/withdraw`, { body: {}, ifMatch: etag ?? etagOf(r.version), idempotencyKey: newKey() });
        announce('Report withdrawn: it is a draft again.');
        portal.render();
      } catch (e) {
        b.disabled = false;
        if (e instanceof PortalError && (e.status === 412 || e.status === 409)) {
          const reload = h('button', { type: 'button', class: 'secondary' }, 'Reload');
          reload.addEventListener('click', () => portal.render());
          fill(status, notice('error', `The report changed meanwhile (${e.status === 412 ? 'a reviewer may have decided' : e.detail || e.title}). `, reload));
        } else fill(status, errorNotice(e));
      }
    });
    actions.push(b);
  }
  if ((me?.user?.role === 'reviewer' || me?.user?.role === 'admin') && !own && r.status === 'submitted') {
    actions.push(h('a', { class: 'button', href: `#/review/${r.id}` }, 'Review this report'));
  }
  if (me?.user?.role === 'reviewer' && own) actions.push(h('p', { class: 'muted small' }, 'This is your own organisation’s report: reviewers of other organisations decide on it.'));
  const body = h('div', {}, proposals(r, null, tax, names));
  fill(root, h('h1', {}, `Report #${r.id}`), ...reportHead(r, names), h('div', { class: 'actions' }, ...actions), status, body);
  void api.country(r.country, {}).then((p) => fill(body, proposals(r, p, tax, names))).catch(() => {});
}
