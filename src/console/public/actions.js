// What a role may do to a ticket, as small forms. The server checks every permission and state;
// these only offer what makes sense for the role and the ticket's status.
import { api } from './api.js';
import { field, fmtDateTime, h, replace } from './dom.js';
import { AT_HOTLINE, AT_UNIT, CATEGORIES, KINDS, OPEN, t } from './i18n.js';

const HOTLINE = ['admin', 'operator'];
const UNIT = ['unit_officer', 'unit_head'];

const textarea = (name, required = true, max = 1800) =>
  h('textarea', { name, rows: '3', maxlength: String(max), required });
const text = (name) => h('input', { type: 'text', name, required: true, minlength: '3' });
const options = (entries, value) =>
  entries.map(([code, label]) => h('option', { value: code, selected: code === value }, `${label}`));

/** One action: a collapsible form; on success the page reloads the ticket (onDone). */
function action(key, title, fields, submitLabel, send, onDone, open = false) {
  const msg = h('p', { class: 'form-msg', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  const form = h('form', { class: 'action-form', dataset: { action: key } }, fields, submit, msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    msg.className = 'form-msg';
    try {
      const r = await send(new FormData(form));
      msg.textContent = r?.window && !r.window.open ? t.actions.sentOutsideWindow : t.actions.done;
      msg.classList.add('ok');
      await onDone?.(r);
    } catch (e) {
      msg.textContent = e.message;
      msg.classList.add('error');
    } finally {
      submit.disabled = false;
    }
  });
  return h('details', { class: 'action', open, dataset: { action: key } }, h('summary', {}, title), form);
}

/** An action without a form: one button, and the server's refusal beside it. */
function oneClick(key, label, cls, send, onDone) {
  const msg = h('span', { class: 'form-msg error', role: 'status' });
  const button = h('button', { type: 'button', class: cls, dataset: { action: key } }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    msg.textContent = '';
    try {
      await onDone?.(await send());
    } catch (e) {
      msg.textContent = e.message;
    } finally {
      button.disabled = false;
    }
  });
  return h('div', { class: 'action-row' }, button, ' ', msg);
}

/** Zalo's 7-day window, as the operator must see it before replying. */
export function windowNotice(win) {
  if (!win) return null;
  return win.open
    ? h('p', { class: 'window open' }, t.ticket.windowOpen(fmtDateTime(win.closesAt)))
    : h('p', { class: 'window closed' }, t.ticket.windowClosed);
}

function hotlineActions(s, ctx, done) {
  const path = (a) => `/tickets/${encodeURIComponent(s.trackingCode)}/${a}`;
  const out = [];
  if (OPEN.includes(s.status)) {
    // Already at a unit (routed by hand or by the classifier): only another unit makes sense; the
    // server refuses the same one.
    const atUnit = AT_UNIT.includes(s.status);
    const unitSel = h(
      'select',
      { name: 'unit', required: true },
      h('option', { value: '' }, '—'),
      options(ctx.units.filter((u) => !atUnit || u.code !== s.unitCode).map((u) => [u.code, u.name])),
    );
    out.push(
      action(
        'route',
        atUnit ? t.labels.transfer : t.actions.route,
        [field(t.actions.unit, unitSel)[0], field(t.actions.reason, text('reason'))[0]],
        t.actions.routeSubmit,
        (f) => api.post(path('route'), { unit: f.get('unit'), reason: f.get('reason') }),
        done,
        AT_HOTLINE.includes(s.status),
      ),
    );
    out.push(
      action(
        'classification',
        t.actions.correct,
        [
          field(
            t.ticket.category,
            h('select', { name: 'category' }, options(Object.entries(CATEGORIES), s.category)),
          )[0],
          field(t.ticket.kind, h('select', { name: 'kind' }, options(Object.entries(KINDS), s.kind)))[0],
          h(
            'label',
            { class: 'check' },
            h('input', { type: 'checkbox', name: 'conduct', checked: !!s.conduct }),
            t.ticket.conduct,
          ),
          h(
            'label',
            { class: 'check' },
            h('input', { type: 'checkbox', name: 'emergency', checked: !!s.emergency }),
            t.ticket.emergency,
          ),
        ],
        t.actions.correctSubmit,
        (f) =>
          api.post(path('classification'), {
            category: f.get('category'),
            kind: f.get('kind'),
            conduct: f.has('conduct'),
            emergency: f.has('emergency'),
          }),
        done,
      ),
    );
    out.push(
      action(
        'merge',
        t.actions.merge,
        [
          field(
            t.actions.mergeInto,
            h('input', {
              type: 'text',
              name: 'into',
              required: true,
              pattern: 'PA-\\d{4}-\\d{1,9}',
              placeholder: 'PA-2026-000123',
            }),
          )[0],
          field(t.actions.reason, text('reason'))[0],
        ],
        t.actions.mergeSubmit,
        (f) => api.post(path('merge'), { into: f.get('into').trim(), reason: f.get('reason') }),
        done,
      ),
    );
    out.push(
      action(
        'ineligible',
        t.actions.ineligible,
        [field(t.actions.reason, text('reason'))[0]],
        t.actions.ineligibleSubmit,
        (f) => api.post(path('ineligible'), { reason: f.get('reason') }),
        done,
      ),
    );
  }
  const reply = textarea('text');
  const canned = h(
    'select',
    {
      name: 'canned',
      onchange: (e) => {
        if (e.target.value) reply.value = e.target.value;
      },
    },
    h('option', { value: '' }, '—'),
    t.canned.map((c) => h('option', { value: c }, c)),
  );
  out.push(
    action(
      'reply',
      t.actions.reply,
      [windowNotice(ctx.window), field(t.actions.canned, canned)[0], field(t.actions.replyText, reply)[0]],
      t.actions.replySubmit,
      (f) => api.post(path('reply'), { text: f.get('text') }),
      done,
    ),
  );
  const conv = ctx.handoff ? ['hand-back', t.actions.handBack] : ['takeover', t.actions.takeOver];
  out.push(oneClick(conv[0], conv[1], 'secondary', () => api.post(path(conv[0])), done));
  return out;
}

function unitActions(s, ctx, done) {
  const path = (a) => `/tickets/${encodeURIComponent(s.trackingCode)}/${a}`;
  if (!AT_UNIT.includes(s.status)) return [];
  const out = [];
  if (['da_phan_loai', 'da_chuyen_don_vi'].includes(s.status)) {
    out.push(oneClick('accept', t.actions.accept, 'primary', () => api.post(path('accept')), done));
  }
  out.push(
    action(
      'answer',
      t.actions.answer,
      [
        field(t.actions.publicAnswer, textarea('publicAnswer'))[0],
        field(t.actions.internalNote, textarea('internalNote', false, 4000))[0],
      ],
      t.actions.answerSubmit,
      (f) =>
        api.post(path('answer'), {
          publicAnswer: f.get('publicAnswer'),
          ...(f.get('internalNote') ? { internalNote: f.get('internalNote') } : {}),
        }),
      done,
      s.status === 'dang_xu_ly',
    ),
    action(
      'ask-info',
      t.actions.askInfo,
      [windowNotice(ctx.window), field(t.actions.question, textarea('question', true, 1500))[0]],
      t.actions.askSubmit,
      (f) => api.post(path('ask-info'), { question: f.get('question') }),
      done,
    ),
    action(
      'not-ours',
      t.actions.notOurs,
      [field(t.actions.reason, text('reason'))[0]],
      t.actions.notOursSubmit,
      (f) => api.post(path('not-ours'), { reason: f.get('reason') }),
      done,
    ),
    action(
      'extension',
      t.actions.extension,
      [
        field(
          t.actions.days,
          h('input', { type: 'number', name: 'days', min: '1', max: '30', value: '5', required: true }),
        )[0],
        field(t.actions.reason, text('reason'))[0],
      ],
      t.actions.extensionSubmit,
      (f) => api.post(path('extension'), { days: Number(f.get('days')), reason: f.get('reason') }),
      done,
    ),
  );
  return out;
}

/** ctx: { me, units, window, handoff } */
export function actionPanel(s, ctx, done) {
  const items = HOTLINE.includes(ctx.me.role)
    ? hotlineActions(s, ctx, done)
    : UNIT.includes(ctx.me.role)
      ? unitActions(s, ctx, done)
      : [];
  if (!items.length) return null;
  return h('section', { class: 'actions' }, h('h2', {}, t.ticket.actions), items);
}

/**
 * "Thao tác" under a card in a list: the ticket is fetched (and the view audited) only when the
 * person opens it, so a list does not count as viewing every ticket in it.
 */
export function lazyActions(code, ctx, done) {
  const holder = h('div', { class: 'panel-holder' });
  const details = h('details', { class: 'item-actions' }, h('summary', {}, t.ticket.actions), holder);
  details.addEventListener('toggle', async () => {
    if (!details.open || holder.dataset.loaded) return;
    holder.dataset.loaded = 'true';
    try {
      const d = await api.get(`/tickets/${encodeURIComponent(code)}`);
      const handoff = d.conversation?.state === 'handoff';
      replace(holder, actionPanel(d.ticket, { ...ctx, window: d.window, handoff }, done));
    } catch (e) {
      replace(holder, h('p', { class: 'error' }, e.message));
    }
  });
  return details;
}
