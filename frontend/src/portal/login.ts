// The login form. A wrong email or password answers the same whether the
// email exists or not; too many attempts answer 429 with Retry-After.

import { fill, h } from '../dom';
import { call } from './http';
import type { Portal } from './shell';
import type { Me } from './types';
import { announce, errorNotice, field, input, isProblem, notice } from './ui';

export function loginView(root: HTMLElement, portal: Portal, onLogin: (me: Me) => void): void {
  const email = input('email', '', { autocomplete: 'username', required: true });
  const password = input('password', '', { autocomplete: 'current-password', required: true });
  const status = h('div', { id: 'login-status', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit' }, 'Log in');
  const form = h('form', { class: 'login-form', id: 'login-form', novalidate: true },
    field('login-email', 'Email', email),
    field('login-password', 'Password', password),
    submit, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    fill(status);
    try {
      const { data } = await call<Me>('POST', '/api/v1/auth/login', { body: { email: email.value.trim(), password: password.value }, noAuthRedirect: true });
      password.value = '';
      announce(`Logged in as ${data.user?.name ?? data.user?.email} ${data.organisation ? ` for ${data.organisation.name}` : ''}.`);
      onLogin(data);
    } catch (e) {
      if (isProblem(e, 401)) fill(status, notice('error', 'Wrong email or password.'));
      else if (isProblem(e, 429)) fill(status, notice('error', `Too many attempts. ${e.detail || 'Wait a little and try again.'}`));
      else fill(status, errorNotice(e));
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  fill(root,
    h('h1', {}, 'Log in to the partner portal'),
    portal.expired ? notice('info', h('strong', {}, 'Your session has ended. '), 'Log in again to continue: what you were typing is kept in this tab and will be there after you log in.') : null,
    h('p', { class: 'muted' }, 'Partner organisations propose assessments with their sources; reviewers of other organisations decide. Accounts are created by the tracker’s administrators.'),
    form);
  setTimeout(() => email.focus(), 0);
}
