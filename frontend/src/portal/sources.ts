// The sources of one item in the report form: existing sources cited by id
// (found by search, by id, or among the country's current sources) and new
// ones typed in (URL, title, publisher, date, archived copy).

import { fill, h } from '../dom';
import { call, get } from './http';
import { pointerOf } from './pointers';
import { fieldId } from './pointers';
import type { SourceRef } from './types';
import { field, input } from './ui';
import type { Source } from '../types';

export interface SourcesHost {
  /** Registers a field's pointer and wires its input to the form state. */
  bind(el: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, pointer: string, parse?: (v: string) => unknown): void;
  known: Set<string>;
  /** Structural change (a source added or removed): re-render the form. */
  changed(focusPointer?: string): void;
  readonly: boolean;
}

const titles = new Map<number, Promise<Source | null>>();
export function sourceById(id: number): Promise<Source | null> {
  let p = titles.get(id);
  if (!p) {
    p = get<Source>(`/api/v1/sources/${id}`).catch(() => null);
    titles.set(id, p);
  }
  return p;
}

export function citation(s: Source): string {
  return [s.title, s.publisher, s.published].filter(Boolean).join(', ');
}

/** The sources editor of the item at `base` (e.g. "/assessments/0"). */
export function sourcesEditor(list: SourceRef[], base: (string | number)[], host: SourcesHost, suggestions: Source[] = []): HTMLElement {
  const ptr = pointerOf(...base, 'sources');
  host.known.add(ptr);
  const box = h('fieldset', { class: 'sources', id: fieldId(ptr), tabindex: -1, 'aria-describedby': `${fieldId(ptr)}-err` },
    h('legend', {}, `Sources (${list.length})`),
    h('p', { class: 'field-error', id: `${fieldId(ptr)}-err`, hidden: true }));
  list.forEach((s, i) => {
    const sp = [...base, 'sources', i];
    const remove = h('button', { type: 'button', class: 'secondary small-button', 'aria-label': `Remove source ${i + 1}` }, 'Remove');
    remove.addEventListener('click', () => { list.splice(i, 1); host.changed(ptr); });
    if ('id' in s) {
      const idPtr = pointerOf(...sp, 'id');
      host.known.add(idPtr);
      const label = h('span', { class: 'cited' }, `Source #${s.id}`);
      void sourceById(s.id).then((src) => { if (src) label.textContent = `#${s.id}: ${citation(src)}`; else label.textContent = `#${s.id} (not found)`; });
      box.append(h('div', { class: 'source existing', id: fieldId(idPtr), tabindex: -1 }, label, host.readonly ? null : remove,
        h('p', { class: 'field-error', id: `${fieldId(idPtr)}-err`, hidden: true })));
      return;
    }
    const url = input('url', s.url, { inputmode: 'url', placeholder: 'https://' });
    const title = input('text', s.title);
    const publisher = input('text', s.publisher);
    const published = input('date', s.published ?? '');
    const archived = input('url', s.archived_url ?? '', { inputmode: 'url', placeholder: 'https://web.archive.org/…' });
    host.bind(url, pointerOf(...sp, 'url'));
    host.bind(title, pointerOf(...sp, 'title'));
    host.bind(publisher, pointerOf(...sp, 'publisher'));
    host.bind(published, pointerOf(...sp, 'published'), (v) => v || null);
    host.bind(archived, pointerOf(...sp, 'archived_url'), (v) => v || undefined);
    box.append(h('div', { class: 'source new-source', id: fieldId(pointerOf(...sp)), tabindex: -1 },
      h('p', { class: 'source-head' }, h('strong', {}, `New source ${i + 1}`), ' ', host.readonly ? null : remove),
      h('div', { class: 'grid2' },
        field(fieldId(pointerOf(...sp, 'title')), 'Title', title),
        field(fieldId(pointerOf(...sp, 'publisher')), 'Publisher', publisher),
        field(fieldId(pointerOf(...sp, 'url')), 'URL', url, 'http or https; a source without a date needs one.'),
        field(fieldId(pointerOf(...sp, 'published')), 'Published', published),
        field(fieldId(pointerOf(...sp, 'archived_url')), 'Archived copy (optional)', archived))));
    host.known.add(pointerOf(...sp));
  });
  if (host.readonly) return box;

  const addNew = h('button', { type: 'button', class: 'secondary' }, 'Add a new source');
  addNew.addEventListener('click', () => {
    list.push({ url: '', title: '', publisher: '', published: null });
    host.changed(pointerOf(...base, 'sources', list.length - 1, 'title'));
  });
  const q = input('search', '', { placeholder: 'Title, publisher or source id' });
  const results = h('ul', { class: 'source-results', 'aria-live': 'polite' });
  const find = h('button', { type: 'button', class: 'secondary' }, 'Find');
  const cite = (id: number) => {
    if (!list.some((x) => 'id' in x && x.id === id)) list.push({ id });
    host.changed(ptr);
  };
  const pick = (src: Source) => {
    const b = h('button', { type: 'button', class: 'link-button' }, `Cite #${src.id}: ${citation(src)}`);
    b.addEventListener('click', () => cite(Number(src.id)));
    return h('li', {}, b);
  };
  const search = async () => {
    const text = q.value.trim();
    if (!text) return;
    fill(results, h('li', { class: 'muted' }, 'Searching…'));
    if (/^\d+$/.test(text)) {
      const src = await sourceById(Number(text));
      fill(results, src ? pick(src) : h('li', {}, `No source #${text}.`));
      return;
    }
    try {
      const a = await call<{ items?: Source[]; sources?: Source[] }>('GET', `/api/v1/sources?q=${encodeURIComponent(text)}&limit=10`);
      const found = a.data.items ?? a.data.sources ?? [];
      fill(results, ...(found.length ? found.map(pick) : [h('li', {}, 'No source matches.')]));
    } catch {
      const local = suggestions.filter((s) => citation(s).toLowerCase().includes(text.toLowerCase()));
      fill(results, ...(local.length ? local.map(pick) : [h('li', {}, 'Search by text is not available here: type the source’s id (shown on the country’s profile).')]));
    }
  };
  find.addEventListener('click', () => void search());
  q.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); void search(); } });
  const qid = `${fieldId(ptr)}-q`;
  box.append(h('div', { class: 'source-actions' }, addNew,
    h('div', { class: 'source-search' }, h('label', { for: qid }, 'Cite an existing source'), h('div', { class: 'inline' }, (q.id = qid, q), find)),
    results,
    suggestions.length ? h('details', { class: 'suggestions' }, h('summary', {}, `The country’s current sources for this (${suggestions.length})`),
      h('ul', {}, ...suggestions.map(pick))) : null));
  return box;
}
