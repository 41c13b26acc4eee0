// The admin pages: organisations, users, API keys (the token of a new key is
// shown once, with a copy button; revoke) and the audit log.

import { fill, h } from '../dom';
import { call, get, PortalError } from './http';
import type { Portal } from './shell';
import type { ApiKey, AuditEntry, Organisation, Page, Role, User } from './types';
import { announce, errorNotice, field, input, notice, select, when } from './ui';

const ROLES: Role[] = ['partner', 'reviewer', 'admin'];

export async function adminView(root: HTMLElement, portal: Portal, page: string, params: URLSearchParams): Promise<void> {
  if (page === 'organisations') return organisations(root);
  if (page === 'users') return users(root);
  if (page === 'keys') return keys(root, portal);
  if (page === 'audit') return audit(root, params);
  fill(root, h('h1', {}, 'Not found'));
}

const items = <T>(x: Page<T> | { items: T[] } | T[]): T[] => (Array.isArray(x) ? x : x.items);

/** Shows a 422's errors on the form's fields (ids "<prefix>-<field>"). */
function formErrors(form: HTMLElement, prefix: string, e: unknown, status: HTMLElement): void {
  for (const el of form.querySelectorAll<HTMLElement>('.field-error')) { el.hidden = true; el.textContent = ''; }
  if (e instanceof PortalError && e.fieldErrors.length) {
    let first: HTMLElement | null = null;
    for (const f of e.fieldErrors) {
      const name = f.field.replace(/^\//, '').replace(/\//g, '-');
      const err = document.getElementById(`${prefix}-${name}-err`);
      if (err) { err.textContent = f.reason; err.hidden = false; first ??= document.getElementById(`${prefix}-${name}`); }
    }
    fill(status, notice('error', `${e.title}: ${e.fieldErrors.map((f) => `${f.field.replace(/^\//, '')} ${f.reason}`).join('; ')}`));
    (first ?? status).focus();
    return;
  }
  fill(status, errorNotice(e));
}

async function organisations(root: HTMLElement): Promise<void> {
  const list = items(await get<Page<Organisation>>('/api/v1/admin/organisations'));
  const name = input('text', '', { required: true });
  const unnamed = h('input', { type: 'checkbox', id: 'org-unnamed' });
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'admin-form', id: 'org-form', novalidate: true },
    h('h2', {}, 'New organisation'),
    field('org-name', 'Name', name),
    h('label', { class: 'check' }, unnamed, ' Stays unnamed on the public side (its accepted reports show no organisation name)'),
    h('button', { type: 'submit' }, 'Create organisation'), status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await call('POST', '/api/v1/admin/organisations', { body: { name: name.value.trim(), named: !unnamed.checked } });
      announce(`Organisation ${name.value.trim()} created.`);
      await organisations(root);
    } catch (e) {
      formErrors(form, 'org', e, status);
    }
  });
  fill(root, h('h1', {}, 'Organisations'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'admin', id: 'org-table' },
      h('thead', {}, h('tr', {}, ...['Name', 'Public name', 'Created'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...list.map((o) => h('tr', {}, h('th', { scope: 'row' }, o.name), h('td', {}, o.named ? 'named' : 'unnamed'), h('td', {}, when(o.created_at))))))),
    form);
}

async function users(root: HTMLElement): Promise<void> {
  const [list, orgs] = await Promise.all([get<Page<User>>('/api/v1/admin/users').then(items), get<Page<Organisation>>('/api/v1/admin/organisations').then(items)]);
  const orgName = (u: User) => u.organisation?.name ?? orgs.find((o) => o.id === u.organisation_id)?.name ?? '—';
  const email = input('email', '', { autocomplete: 'off' });
  const name = input('text', '');
  const role = select(ROLES.map((r) => ({ value: r, label: r })), 'partner');
  const org = select(orgs.map((o) => ({ value: String(o.id), label: o.name })), orgs[0] ? String(orgs[0].id) : '');
  const password = input('password', '', { autocomplete: 'new-password', minlength: 12 });
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'admin-form', id: 'user-form', novalidate: true },
    h('h2', {}, 'New user'),
    h('div', { class: 'grid2' }, field('user-email', 'Email', email), field('user-name', 'Name', name),
      field('user-role', 'Role', role), field('user-organisation_id', 'Organisation', org),
      field('user-password', 'Initial password', password, 'At least 12 characters; common passwords are refused. Give it to the person by another channel.')),
    h('button', { type: 'submit' }, 'Create user'), status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await call('POST', '/api/v1/admin/users', { body: { email: email.value.trim(), name: name.value.trim(), role: role.value, organisation_id: Number(org.value), password: password.value } });
      password.value = '';
      announce(`User ${email.value.trim()} created.`);
      await users(root);
    } catch (e) {
      formErrors(form, 'user', e, status);
    }
  });
  const rowStatus = h('div', { 'aria-live': 'polite' });
  const row = (u: User) => {
    const r = select(ROLES.map((x) => ({ value: x, label: x })), u.role, { 'aria-label': `Role of ${u.email}` });
    const dis = h('button', { type: 'button', class: 'secondary' }, u.disabled ? 'Enable' : 'Disable');
    const patch = async (body: Partial<User>) => {
      try {
        await call('PATCH', `/api/v1/admin/users/${u.id}`, { body });
        announce(`${u.email} updated.`);
        await users(root);
      } catch (e) {
        fill(rowStatus, errorNotice(e));
      }
    };
    r.addEventListener('change', () => void patch({ role: r.value as Role }));
    dis.addEventListener('click', () => void patch({ disabled: !u.disabled }));
    return h('tr', { 'data-user': u.email }, h('th', { scope: 'row' }, u.email), h('td', {}, u.name), h('td', {}, r), h('td', {}, orgName(u)), h('td', {}, u.disabled ? 'disabled' : 'active', ' ', dis));
  };
  fill(root, h('h1', {}, 'Users'), rowStatus,
    h('div', { class: 'table-wrap' }, h('table', { class: 'admin', id: 'user-table' },
      h('thead', {}, h('tr', {}, ...['Email', 'Name', 'Role', 'Organisation', 'State'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...list.map(row)))),
    form);
}

async function keys(root: HTMLElement, portal: Portal, created?: ApiKey): Promise<void> {
  const [list, orgs] = await Promise.all([get<{ items: ApiKey[] }>('/api/v1/keys').then(items), get<Page<Organisation>>('/api/v1/admin/organisations').then(items)]);
  const name = input('text', '');
  const org = select(orgs.map((o) => ({ value: String(o.id), label: o.name })), orgs[0] ? String(orgs[0].id) : '');
  const role = select(ROLES.filter((r) => r !== 'admin').map((r) => ({ value: r, label: r })), 'partner');
  const expires = input('date', '');
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'admin-form', id: 'key-form', novalidate: true },
    h('h2', {}, 'New API key'),
    h('div', { class: 'grid2' }, field('key-name', 'Name (what the app is)', name), field('key-organisation_id', 'Organisation', org),
      field('key-role', 'Role', role), field('key-expires_at', 'Expires (optional)', expires)),
    h('button', { type: 'submit' }, 'Create key'), status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const a = await call<ApiKey>('POST', '/api/v1/keys', { body: { name: name.value.trim(), organisation_id: Number(org.value), role: role.value, ...(expires.value ? { expires_at: expires.value } : {}) } });
      announce(`Key ${a.data.name} created. Its token is shown once.`);
      await keys(root, portal, a.data);
    } catch (e) {
      formErrors(form, 'key', e, status);
    }
  });
  let tokenBox: HTMLElement | null = null;
  if (created?.token) {
    const token = h('code', { id: 'new-token', class: 'token' }, created.token);
    const copy = h('button', { type: 'button', id: 'copy-token', class: 'secondary' }, 'Copy');
    const copied = h('span', { role: 'status', class: 'small' });
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(created.token ?? '');
        copied.textContent = 'Copied.';
      } catch {
        const range = document.createRange();
        range.selectNodeContents(token);
        getSelection()?.removeAllRanges();
        getSelection()?.addRange(range);
        copied.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
      }
    });
    tokenBox = notice('ok', h('p', {}, h('strong', {}, `The token of “${created.name}”. `), 'It is shown only now: copy it into the app’s configuration. The tracker keeps only its SHA-256 hash and cannot show it again.'),
      h('p', { class: 'inline' }, token, copy, copied));
    tokenBox.id = 'token-once';
  }
  const rowStatus = h('div', { 'aria-live': 'polite' });
  const row = (k: ApiKey) => {
    const revoke = h('button', { type: 'button', class: 'secondary', 'aria-label': `Revoke ${k.name}` }, 'Revoke');
    revoke.addEventListener('click', async () => {
      if (!confirm(`Revoke the key “${k.name}”? Apps using it stop working at once.`)) return;
      try {
        await call('DELETE', `/api/v1/keys/${k.id}`);
        announce(`Key ${k.name} revoked.`);
        await keys(root, portal);
      } catch (e) {
        fill(rowStatus, errorNotice(e));
      }
    });
    return h('tr', { 'data-key': k.id }, h('th', { scope: 'row' }, k.name), h('td', {}, h('code', {}, `${k.prefix}…`)), h('td', {}, k.organisation.name), h('td', {}, k.role),
      h('td', {}, when(k.created_at)), h('td', {}, k.expires_at ? when(k.expires_at) : 'never'), h('td', {}, when(k.last_used_at)),
      h('td', {}, k.revoked_at ? `revoked ${when(k.revoked_at)}` : revoke));
  };
  fill(root, h('h1', {}, 'API keys'), tokenBox, rowStatus,
    h('div', { class: 'table-wrap' }, h('table', { class: 'admin', id: 'key-table' },
      h('thead', {}, h('tr', {}, ...['Name', 'Prefix', 'Organisation', 'Role', 'Created', 'Expires', 'Last used', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...list.map(row)))),
    form);
  if (tokenBox) (tokenBox.querySelector('button') as HTMLElement | null)?.focus();
}

/** The actions the server writes to the audit log (store.AuditActions). */
export const AUDIT_ACTIONS = ['login', 'login.failed', 'logout', 'password.change', 'password.reset',
  'organisation.create', 'user.create', 'user.update', 'key.create', 'key.revoke',
  'report.create', 'report.update', 'report.submit', 'report.withdraw',
  'report.request-changes', 'report.accept', 'report.reject'] as const;

/** The audit log's filters as the API names them. */
export const AUDIT_FILTERS = ['action', 'organisation_id', 'actor', 'since', 'until', 'limit'] as const;

/** The query of GET /api/v1/admin/audit for these filters: empty values left out, in a fixed order. */
export function auditQuery(values: Partial<Record<(typeof AUDIT_FILTERS)[number], string>>): string {
  const q = new URLSearchParams();
  for (const k of AUDIT_FILTERS) {
    const v = (values[k] ?? '').trim();
    if (v) q.set(k, v);
  }
  return q.toString();
}

/** The audit log, filtered by the server; "Older entries" follows the answer's next link. */
async function audit(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const orgs = items(await get<Page<Organisation>>('/api/v1/admin/organisations'));
  const action = select([{ value: '', label: 'Any action' }, ...AUDIT_ACTIONS.map((a) => ({ value: a, label: a }))], params.get('action') ?? '');
  const org = select([{ value: '', label: 'Any organisation' }, ...orgs.map((o) => ({ value: String(o.id), label: o.name }))], params.get('organisation_id') ?? '');
  const actor = input('email', params.get('actor') ?? '', { placeholder: 'name@example.org', autocomplete: 'off' });
  const since = input('date', params.get('since') ?? '');
  const until = input('date', params.get('until') ?? '');
  const limit = params.get('limit') ?? '';
  const tbody = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', id: 'audit-more', hidden: true }, 'Older entries');
  const status = h('div', { id: 'audit-status', 'aria-live': 'polite' });
  const form = h('form', { class: 'admin-form toolbar', id: 'audit-form', novalidate: true, role: 'search', 'aria-label': 'Filter the audit log' },
    field('audit-action', 'Action', action), field('audit-organisation_id', 'Organisation', org),
    field('audit-actor', 'By (email)', actor), field('audit-since', 'From (day)', since), field('audit-until', 'Until (day)', until),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show entries'), h('button', { type: 'reset', class: 'secondary', id: 'audit-clear' }, 'Clear filters')));
  let next: string | null = null;
  const row = (e: AuditEntry) => h('tr', { 'data-audit': e.id }, h('td', {}, when(e.at)), h('td', {}, e.actor.email ?? (e.actor.key_id ? `key #${e.actor.key_id}` : 'system')),
    h('td', {}, e.action), h('td', {}, e.subject ?? ''), h('td', { class: 'small' }, Object.keys(e.detail ?? {}).length ? JSON.stringify(e.detail) : ''));
  const query = () => auditQuery({ action: action.value, organisation_id: org.value, actor: actor.value, since: since.value, until: until.value, limit });
  // load asks the server: a new query replaces the list, a next link extends it.
  const load = async (path: string, append: boolean) => {
    more.disabled = true;
    try {
      const p = await get<Page<AuditEntry>>(path);
      for (const el of form.querySelectorAll<HTMLElement>('.field-error')) { el.hidden = true; el.textContent = ''; }
      if (append) tbody.append(...p.items.map(row));
      else fill(tbody, ...p.items.map(row));
      next = p.next;
      const n = tbody.children.length;
      fill(status, notice('info', n === 0 ? 'No entry matches the filters.' : `${n === 1 ? '1 entry' : `${n} entries`}${next ? ' shown (older ones follow)' : ''}${query() ? ', matching the filters' : ''}.`));
    } catch (e) {
      if (!append) { fill(tbody); next = null; }
      formErrors(form, 'audit', e, status);
    } finally {
      more.hidden = !next;
      more.disabled = false;
    }
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = query();
    history.replaceState(null, '', `#/admin/audit${q ? `?${q}` : ''}`);
    void load(`/api/v1/admin/audit${q ? `?${q}` : ''}`, false);
  });
  form.addEventListener('reset', () => setTimeout(() => form.requestSubmit(), 0));
  more.addEventListener('click', () => { if (next) void load(next, true); });
  fill(root, h('h1', {}, 'Audit log'), form, status,
    h('div', { class: 'table-wrap' }, h('table', { class: 'admin', id: 'audit-table' },
      h('thead', {}, h('tr', {}, ...['When', 'Who', 'Action', 'Subject', 'Detail'].map((t) => h('th', { scope: 'col' }, t)))), tbody)),
    more);
  const q = query();
  await load(`/api/v1/admin/audit${q ? `?${q}` : ''}`, false);
}
