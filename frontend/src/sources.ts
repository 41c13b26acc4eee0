// Rendering of citations: every claim on the page links to its sources.

import { h, safeHref } from './dom';
import type { Source } from './types';

/** One citation: a link when the source has a usable URL, plain text otherwise. */
export function sourceItem(s: Source): HTMLLIElement {
  const href = safeHref(s.url);
  const label = s.title || s.publisher || s.id;
  const meta = [s.publisher, s.published].filter(Boolean).join(', ');
  return h(
    'li',
    { class: 'source' },
    href ? h('a', { href, rel: 'noopener noreferrer', target: '_blank', class: 'source-link' }, label) : h('span', {}, label),
    meta ? h('span', { class: 'muted' }, ` (${meta})`) : null,
  );
}

/** A list of citations, or null when there are none. */
export function sourceList(sources: Source[] | null | undefined): HTMLUListElement | null {
  if (!sources || sources.length === 0) return null;
  return h('ul', { class: 'sources' }, ...sources.map(sourceItem));
}
