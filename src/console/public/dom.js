// The only way the console builds DOM: strings become text nodes (textContent), never HTML, so
// whatever a citizen wrote is shown as written and never run.

/** h('p', { class: 'x', onclick: fn }, 'text', child, [more]) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const DAY = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/** dd/mm/yyyy HH:mm in Vietnam time, whatever order the browser's locale data would put them in. */
export function fmtDateTime(s) {
  if (!s) return '—';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return '—';
  const p = Object.fromEntries(PARTS.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}
export const fmtDay = (s) => (s ? DAY.format(new Date(s)) : '—');
const PERCENT = new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 1 });
/** 0.875 → "87,5%" (the Vietnamese decimal comma). */
export const fmtPercent = (x) => (typeof x === 'number' && Number.isFinite(x) ? PERCENT.format(x) : '—');
/** 4 → "4,00" (two decimals by default); the Vietnamese decimal comma and thousands dot. */
export const fmtNumber = (x, decimals = 2, minDecimals = decimals) =>
  typeof x === 'number' && Number.isFinite(x)
    ? new Intl.NumberFormat('vi-VN', { minimumFractionDigits: minDecimals, maximumFractionDigits: decimals }).format(x)
    : '—';

/** Whole days from now to the deadline (negative when past). */
export const daysLeft = (s) => Math.floor((new Date(s).getTime() - Date.now()) / 86_400_000);

/** YYYY-MM-DD in Vietnam time. */
export function isoDay(d) {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(d);
  return p.slice(0, 10);
}

/** A labelled form field; returns [wrapper, input]. */
export function field(label, input) {
  const id = `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  return [h('div', { class: 'field' }, h('label', { for: id }, label), input), input];
}

/** A table in a horizontally scrolling box; a cell is text, a node, or a ready <td> (for a class). */
export function dataTable(cols, rows, attrs = {}) {
  const cell = (c) => (c instanceof Node && c.nodeName === 'TD' ? c : h('td', {}, c));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      attrs,
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          cols.map((c) => h('th', {}, c)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) => h('tr', {}, r.map(cell))),
      ),
    ),
  );
}
