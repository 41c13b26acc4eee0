// Small UI pieces shared by the portal's views (plain DOM through h()).

import { byId, h } from '../dom';
import { describeError } from '../api';
import { PortalError } from './http';

/** Says something to screen readers (the assertive live region) and returns the text. */
export function announce(text: string): string {
  const el = byId('portal-announce');
  el.textContent = '';
  // A new text node after a tick, so the same message is announced twice.
  setTimeout(() => (el.textContent = text), 30);
  return text;
}

/** A labelled field: label, control, hint and the place for its errors. */
export function field(id: string, label: string, control: HTMLElement, hint?: string | Node): HTMLElement {
  control.id = id;
  const hintId = hint ? `${id}-hint` : null;
  const errId = `${id}-err`;
  control.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  return h('div', { class: 'field', 'data-field': id },
    h('label', { for: id }, label),
    control,
    hint ? h('p', { class: 'hint small muted', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errId, hidden: true }));
}

/** A status or error line ("role=alert" for errors). */
export function notice(kind: 'error' | 'ok' | 'info', ...children: (Node | string)[]): HTMLElement {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...children);
}

export function errorNotice(e: unknown): HTMLElement {
  return notice('error', describeError(e));
}

export function isProblem(e: unknown, status?: number): e is PortalError {
  return e instanceof PortalError && (status === undefined || e.status === status);
}

/** "2026-12-02 03:14" from an RFC 3339 time (local time). */
export function when(t: string | null | undefined): string {
  if (!t) return '—';
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return t;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Days between a time and now, rounded down. */
export function ageDays(t: string, now = Date.now()): number {
  return Math.max(0, Math.floor((now - new Date(t).getTime()) / 86_400_000));
}

export function input(type: string, value: string, attrs: Record<string, string | boolean | number | undefined> = {}): HTMLInputElement {
  const el = h('input', { type, ...attrs });
  el.value = value;
  return el;
}

export function select(options: { value: string; label: string }[], value: string, attrs: Record<string, string | boolean | undefined> = {}): HTMLSelectElement {
  const el = h('select', attrs, ...options.map((o) => h('option', { value: o.value }, o.label)));
  el.value = value;
  return el;
}

export function textarea(value: string, attrs: Record<string, string | number | boolean | undefined> = {}): HTMLTextAreaElement {
  const el = h('textarea', { rows: 3, ...attrs });
  el.value = value;
  return el;
}

/** Moves the keyboard focus to a view's heading (after a route change). */
export function focusHeading(root: HTMLElement): void {
  const head = root.querySelector<HTMLElement>('h1, h2');
  if (head) {
    head.tabIndex = -1;
    head.focus();
  }
}
