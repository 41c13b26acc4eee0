// The invitation to contribute evidence, in one place: plain text until the
// partner portal exists. To turn it into a link, set CONTRIBUTE.href.

import { h } from './dom';

export const CONTRIBUTE = {
  /** The partner portal's address; null until it exists (then the note becomes a link). */
  href: null as string | null,
  linkText: 'Contribute evidence',
  text: 'Know of evidence for one of these capabilities? Partner organisations will be able to propose assessments with their sources through the partner portal, which is not open yet. Until then, the methodology says what evidence each level needs.',
};

/** The invitation under a list of capabilities that are not yet assessed. */
export function contributeNote(): HTMLElement {
  const link = CONTRIBUTE.href ? h('a', { href: CONTRIBUTE.href, class: 'contribute-link' }, CONTRIBUTE.linkText) : null;
  return h('p', { class: 'contribute' }, CONTRIBUTE.text, link ? ' ' : null, link,
    ' ', h('a', { href: '/methodology' }, 'Read the methodology'), '.');
}
