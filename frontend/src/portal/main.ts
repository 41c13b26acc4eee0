// The partner portal (/portal): login, my reports, the report form, the
// reviewer queue and review page, and the admin pages. Its own Vite page and
// folder: the public map never imports any of it. Routes live in the hash
// (#/reports, #/reports/12, #/review, #/admin/keys …); no credential is ever
// in a URL or in storage: the HttpOnly session cookie is the only one.

import '../styles.css';
import './portal.css';
import { byId, fill, h } from '../dom';
import { call, setUnauthenticatedHandler, type PortalError } from './http';
import type { Me } from './types';
import { announce, errorNotice, focusHeading } from './ui';
import { loginView } from './login';
import { reportsView, queueView } from './reports';
import { leave, onLeave, type Portal } from './shell';


/** Test hook (read by e2e/portal.mjs). */
declare global {
  interface Window {
    __portal: { route: string; ready: boolean; renders: number };
  }
}
window.__portal = { route: '', ready: false, renders: 0 };

const main = byId('portal-main');
const nav = byId('portal-nav');
const whoami = byId('whoami');


export const portal: Portal = {
  me: null,
  expired: null,
  go(hash) {
    if (location.hash === hash) portal.render();
    else location.hash = hash;
  },
  render: () => void route(),
};

setUnauthenticatedHandler((e: PortalError) => {
  if (!portal.me) return;
  leave();
  portal.me = null;
  portal.expired = e.detail || 'Your session has ended.';
  announce('Your session has ended. Log in again: your work is kept.');
  void route();
});

function home(me: Me): string {
  const role = me.user?.role;
  return role === 'reviewer' ? '#/review' : role === 'admin' ? '#/admin/users' : '#/reports';
}

function header(): void {
  const me = portal.me;
  if (!me) {
    fill(nav);
    fill(whoami);
    return;
  }
  const role = me.user?.role ?? 'partner';
  const links: [string, string][] = [];
  if (role === 'partner') links.push(['#/reports', 'My reports'], ['#/reports/new', 'New report']);
  if (role === 'reviewer') links.push(['#/review', 'Review queue'], ['#/reports', 'Our organisation’s reports']);
  if (role === 'admin') links.push(['#/reports', 'All reports'], ['#/review', 'Review queue'], ['#/admin/organisations', 'Organisations'], ['#/admin/users', 'Users'], ['#/admin/keys', 'API keys'], ['#/admin/audit', 'Audit log']);
  const current = location.hash.split('?')[0];
  fill(nav, ...links.map(([href, label]) => h('a', { href, 'aria-current': current === href ? 'page' : false }, label)));
  const logout = h('button', { type: 'button', class: 'secondary', id: 'logout' }, 'Log out');
  logout.addEventListener('click', async () => {
    leave();
    try {
      await call('POST', '/api/v1/auth/logout', { noAuthRedirect: true });
    } catch {
      // the session may already have ended; either way the page forgets it
    }
    portal.me = null;
    portal.expired = null;
    announce('Logged out.');
    portal.go('#/login');
  });
  fill(whoami,
    h('span', { class: 'who', id: 'whoami-text' },
      h('strong', {}, me.user?.name || me.user?.email || me.key?.name || 'app'),
      ` (${role}) · `, h('span', { class: 'org' }, me.organisation?.name ?? 'no organisation')),
    logout);
}

async function route(): Promise<void> {
  window.__portal.ready = false;
  onLeave(null);
  const hash = location.hash || '#/';
  const [path, query] = hash.slice(1).split('?');
  const params = new URLSearchParams(query ?? '');
  const parts = path.split('/').filter(Boolean);
  window.__portal.route = path;
  header();
  if (!portal.me) {
    loginView(main, portal, async (me) => {
      portal.me = me;
      portal.expired = null;
      if (parts[0] === 'login' || parts.length === 0) portal.go(home(me));
      else void route();
    });
    done();
    return;
  }
  const role = portal.me.user?.role ?? 'partner';
  try {
    if (parts.length === 0 || parts[0] === 'login') {
      portal.go(home(portal.me));
      return;
    }
    if (parts[0] === 'reports' && parts.length === 1) await reportsView(main, portal, params);
    else if (parts[0] === 'reports') await (await import('./form')).reportView(main, portal, parts[1] === 'new' ? 'new' : Number(parts[1]), params);
    else if (parts[0] === 'review' && parts.length === 1) await queueView(main, portal, params);
    else if (parts[0] === 'review') await (await import('./review')).reviewView(main, portal, Number(parts[1]));
    else if (parts[0] === 'admin' && role === 'admin') await (await import('./admin')).adminView(main, portal, parts[1] ?? 'users', params);
    else fill(main, h('h1', {}, 'Not found'), h('p', {}, 'This page of the portal does not exist. ', h('a', { href: home(portal.me) }, 'Go to your start page'), '.'));
  } catch (e) {
    if ((e as PortalError).status === 401) return; // the login is shown
    fill(main, h('h1', {}, 'Something went wrong'), errorNotice(e));
  }
  header();
  done();
}

function done(): void {
  focusHeading(main);
  window.__portal.ready = true;
  window.__portal.renders++;
}

window.addEventListener('hashchange', () => void route());

(async () => {
  try {
    portal.me = (await call<Me>('GET', '/api/v1/me', { noAuthRedirect: true })).data;
  } catch {
    portal.me = null; // 401 (or no auth routes yet): the login form
  }
  await route();
})();
