// Boot: who is logged in, the navigation for that role, then the page named by <body data-page>.
import { api, setCsrf, ApiFailure } from './api.js';
import { h, replace } from './dom.js';
import { t, ROLE_LABELS } from './i18n.js';
import { loadUnits, unitName } from './units.js';

const NAV = {
  admin: ['triage', 'list', 'dashboard', 'admin'],
  operator: ['triage', 'list'],
  unit_officer: ['unit', 'list'],
  unit_head: ['unit', 'list'],
  inspector: ['dashboard', 'list'],
};
const HREF = {
  list: '/console/tickets',
  triage: '/console/triage',
  unit: '/console/unit',
  dashboard: '/console/dashboard',
  admin: '/console/admin',
};
export const homeOf = (role) => HREF[NAV[role]?.[0] ?? 'list'];

const PAGES = {
  login: () => import('./page-login.js'),
  list: () => import('./page-list.js'),
  triage: () => import('./page-triage.js'),
  unit: () => import('./page-unit.js'),
  ticket: () => import('./page-ticket.js'),
  dashboard: () => import('./page-dashboard.js'),
  admin: () => import('./page-admin.js'),
};

function header(me, page) {
  const top = document.getElementById('top');
  const links = (NAV[me.role] ?? ['list']).map((p) =>
    h(
      'a',
      { href: HREF[p], class: p === page ? 'active' : undefined, 'aria-current': p === page ? 'page' : undefined },
      t.nav[p],
    ),
  );
  const logout = h('button', { type: 'button', class: 'link', id: 'logout' }, t.logout);
  logout.addEventListener('click', async () => {
    await api.post('/auth/logout').catch(() => undefined);
    location.assign('/console/login');
  });
  replace(
    top,
    h('a', { href: homeOf(me.role), class: 'brand' }, t.appName),
    h('nav', { class: 'nav' }, links),
    h(
      'span',
      { class: 'who' },
      h('span', { id: 'who-email' }, me.email),
      ' · ',
      ROLE_LABELS[me.role] ?? me.role,
      me.unitCode ? ` · ${unitName(me.unitCode)}` : '',
    ),
    logout,
  );
}

export function showError(main, e) {
  const msg =
    e instanceof ApiFailure && e.status === 404
      ? t.errors.notFound
      : e instanceof ApiFailure && e.status === 403
        ? t.errors.forbidden
        : (e?.message ?? t.errors.generic);
  replace(main, h('p', { class: 'error', role: 'alert' }, msg));
}

async function boot() {
  const page = document.body.dataset.page;
  const main = document.getElementById('main');
  replace(main, h('p', { class: 'muted' }, t.loading));
  if (page === 'login') {
    const mod = await PAGES.login();
    return mod.render(main, { homeOf });
  }
  let me;
  try {
    me = await api.get('/me');
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 401) {
      location.assign(`/console/login?next=${encodeURIComponent(location.pathname + location.search)}`);
      return;
    }
    return showError(main, e);
  }
  setCsrf(me.csrfToken);
  // The bare address is "my page": the inspector's is the dashboard, the operator's the triage inbox.
  if (page === 'list' && /^\/console\/?$/.test(location.pathname) && !location.search) {
    location.replace(homeOf(me.role));
    return;
  }
  // Every page shows unit names, never codes.
  await loadUnits();
  header(me, page);
  const load = PAGES[page] ?? PAGES.list;
  try {
    const mod = await load();
    await mod.render(main, { me, showError: (e) => showError(main, e) });
  } catch (e) {
    showError(main, e);
  }
  document.body.dataset.ready = 'true';
}

boot();
