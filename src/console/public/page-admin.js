// Admins: the accounts, the dead-letter list with retry, the canned answers' history, and turning on
// TOTP for their own account.
import { api, qs } from './api.js';
import { auditTable } from './describe.js';
import { dataTable, field, fmtDateTime, h, replace } from './dom.js';
import { ROLE_LABELS, t } from './i18n.js';
import { unitName } from './units.js';

function deadLetterTable(items, reload) {
  if (!items.length) return h('p', { class: 'muted' }, t.admin.empty);
  const retryCell = (d) => {
    if (d.retriedAt) return h('span', { class: 'muted' }, `${t.admin.retried} ${fmtDateTime(d.retriedAt)}`);
    const retry = h('button', { type: 'button', class: 'secondary' }, t.admin.retry);
    retry.addEventListener('click', async () => {
      retry.disabled = true;
      await api.post(`/admin/dead-letters/${d.id}/retry`).then(reload, (e) => replace(retry, e.message));
    });
    return retry;
  };
  return dataTable(
    [t.admin.failedAt, t.admin.queue, t.admin.job, t.admin.error, ''],
    items.map((d) => [
      fmtDateTime(d.failedAt),
      d.queue,
      d.jobName ?? '',
      h('td', { class: 'wrap' }, `${d.errorCode}: ${d.errorMessage}`),
      retryCell(d),
    ]),
    { id: 'dead-letters' },
  );
}

function usersTable(items) {
  return dataTable(
    t.admin.userCols,
    items.map((u) => [
      h('td', { class: 'wrap' }, u.email),
      ROLE_LABELS[u.role] ?? u.role,
      u.unitCode ? unitName(u.unitCode) : '—',
      u.totp ? t.admin.yes : t.admin.no,
      u.disabled ? t.admin.disabled : t.admin.active,
      fmtDateTime(u.lastLoginAt),
    ]),
    { id: 'users' },
  );
}

function totpBox() {
  const box = h('section', {}, h('h2', {}, t.admin.totp));
  const start = h('button', { type: 'button', class: 'secondary' }, t.admin.totpStart);
  start.addEventListener('click', async () => {
    const r = await api.post('/me/totp').catch((e) => ({ error: e.message }));
    if (r.error) return replace(box, h('h2', {}, t.admin.totp), h('p', { class: 'error' }, r.error));
    const [codeF, code] = field(
      t.login.totp,
      h('input', { type: 'text', inputmode: 'numeric', maxlength: '6', required: true }),
    );
    const msg = h('p', { role: 'status' });
    const form = h(
      'form',
      { class: 'action-form' },
      h('p', {}, t.admin.totpSecret),
      h('code', { class: 'secret' }, r.secret),
      h('p', { class: 'muted wrap' }, r.uri),
      codeF,
      h('button', { type: 'submit', class: 'primary' }, t.admin.totpConfirm),
      msg,
    );
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      await api.post('/me/totp', { secret: r.secret, code: code.value.trim() }).then(
        () => (msg.textContent = t.admin.totpOn),
        (e) => (msg.textContent = e.message),
      );
    });
    replace(box, h('h2', {}, t.admin.totp), form);
  });
  box.append(start);
  return box;
}

export async function render(main, { me, showError }) {
  if (me.role !== 'admin') return showError({ message: t.errors.forbidden });
  const pendingOnly = h('input', { type: 'checkbox', checked: true });
  const holder = h('div', {}, h('p', { class: 'muted' }, t.loading));
  async function reload() {
    try {
      const r = await api.get(`/admin/dead-letters${qs({ retried: pendingOnly.checked ? 'false' : undefined })}`);
      replace(holder, deadLetterTable(r.items, reload));
    } catch (e) {
      showError(e);
    }
  }
  pendingOnly.addEventListener('change', reload);
  const usersHolder = h('div', {}, h('p', { class: 'muted' }, t.loading));
  api.get('/admin/users').then(
    (r) => replace(usersHolder, usersTable(r.items)),
    (e) => replace(usersHolder, h('p', { class: 'error' }, e.message)),
  );
  const historyHolder = h('div', { id: 'canned-history' }, h('p', { class: 'muted' }, t.loading));
  api.get('/admin/canned-answers/history').then(
    (r) =>
      replace(
        historyHolder,
        r.items.length ? auditTable(r.items) : h('p', { class: 'muted' }, t.admin.cannedHistoryEmpty),
      ),
    (e) => replace(historyHolder, h('p', { class: 'error' }, e.message)),
  );
  replace(
    main,
    h('h1', {}, t.admin.title),
    h('section', {}, h('h2', {}, t.admin.users), usersHolder, h('p', { class: 'muted' }, t.admin.usersNote)),
    h(
      'section',
      {},
      h('h2', {}, t.admin.deadLetters),
      h('label', { class: 'check' }, pendingOnly, t.admin.onlyPending),
      holder,
    ),
    h('section', {}, h('h2', {}, t.admin.cannedHistory), historyHolder),
    totpBox(),
  );
  await reload();
}
