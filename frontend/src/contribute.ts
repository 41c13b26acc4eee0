// The invitation to contribute evidence, in one place, with a link to the
// partner portal (/portal, its own page: the map never loads its code).

import { h } from './dom';

export const CONTRIBUTE = {
  /** The partner portal's address (null would make the note plain text). */
  href: '/portal' as string | null,
  linkText: 'Contribute evidence',
  text: 'Know of evidence for one of these capabilities? Partner organisations propose assessments with their sources through the partner portal; a reviewer of another organisation decides. The methodology says what evidence each level needs.',
};

/** The invitation under a list of capabilities that are not yet assessed. */
export function contributeNote(): HTMLElement {
  const link = CONTRIBUTE.href ? h('a', { href: CONTRIBUTE.href, class: 'contribute-link' }, CONTRIBUTE.linkText) : null;
  return h('p', { class: 'contribute' }, CONTRIBUTE.text, link ? ' ' : null, link,
    ' ', h('a', { href: '/methodology' }, 'Read the methodology'), '.');
}
