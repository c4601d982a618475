import { api, ApiFailure, setCsrf } from './api.js';
import { field, h, replace } from './dom.js';
import { t } from './i18n.js';

/**
 * Only same-site paths under /console: "next" must never send someone elsewhere. The bare /console
 * (where a bookmark or a typed address lands) means "my page": each role's home, not the list.
 */
function nextPath(fallback) {
  const next = new URLSearchParams(location.search).get('next');
  if (!next || /^\/console\/?$/.test(next)) return fallback;
  return /^\/console(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : fallback;
}

export function render(main, { homeOf }) {
  const [emailF, email] = field(
    t.login.email,
    h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true }),
  );
  const [passF, pass] = field(
    t.login.password,
    h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true }),
  );
  const [totpF, totp] = field(
    t.login.totp,
    h('input', {
      type: 'text',
      name: 'totp',
      inputmode: 'numeric',
      pattern: '\\d{6}',
      maxlength: '6',
      autocomplete: 'one-time-code',
    }),
  );
  totpF.hidden = true;
  const msg = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, t.login.submit);
  const form = h(
    'form',
    { class: 'card login', novalidate: true },
    h('h1', {}, t.login.title),
    emailF,
    passF,
    totpF,
    h('p', { class: 'muted', hidden: true, id: 'totp-hint' }, t.login.totpHint),
    msg,
    submit,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    // One attempt at a time: a second tap while the first is on its way would send it again without
    // the code the first answer asks for (and count against the throttle).
    if (submit.disabled) return;
    submit.disabled = true;
    msg.hidden = true;
    const body = { email: email.value, password: pass.value };
    if (!totpF.hidden && totp.value) body.totp = totp.value.trim();
    try {
      const me = await api.post('/auth/login', body);
      setCsrf(me.csrfToken);
      location.assign(nextPath(homeOf(me.role)));
    } catch (e) {
      if (e instanceof ApiFailure && e.code === 'TOTP_REQUIRED') {
        totpF.hidden = false;
        form.querySelector('#totp-hint').hidden = false;
        totp.focus();
      }
      msg.textContent = e.message;
      msg.hidden = false;
      submit.disabled = false;
    }
  });
  replace(main, form);
  email.focus();
}
