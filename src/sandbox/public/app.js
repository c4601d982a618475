// The sandbox chat page: plain browser JS, no build step. All message data is rendered with
// textContent (never innerHTML): what citizens and the bot write may contain HTML.
(function () {
  'use strict';
  const BASE = document.body.dataset.base || '/sandbox';
  const API = BASE + '/api';
  const USER_KEY = 'cchc-sandbox-user-id';
  const HISTORY_KEY = 'cchc-sandbox-history:';
  const USER_ID = /^\d{1,30}$/;
  const POLL_MS = 2000;
  const EXAMPLES = ['Xin chào', 'Cho tôi hỏi thủ tục cấp lại CCCD', 'Tôi muốn phản ánh về thủ tục đăng ký kinh doanh'];

  const $ = (id) => document.getElementById(id);
  const chat = $('chat');
  const userInput = $('user-id');
  const textInput = $('text');
  const connStatus = $('conn-status');
  const state = { userId: '', lastSeq: 0, seen: new Set(), source: null, pollTimer: null, generation: 0 };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  const storage = {
    get(key) {
      try {
        return window.localStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        window.localStorage.setItem(key, value);
      } catch {
        /* private mode: keep going without persistence */
      }
    },
  };

  function randomUserId() {
    const digits = new Uint8Array(19);
    window.crypto.getRandomValues(digits);
    return Array.from(digits, (d, i) => (i === 0 ? 1 + (d % 9) : d % 10)).join('');
  }

  // The citizen's side of the conversation lives only in this browser (the server keeps the bot's).
  function localHistory(userId) {
    try {
      const list = JSON.parse(storage.get(HISTORY_KEY + userId) || '[]');
      return Array.isArray(list) ? list : [];
    } catch {
      return [];
    }
  }
  function remember(entry) {
    const list = localHistory(state.userId);
    list.push(entry);
    storage.set(HISTORY_KEY + state.userId, JSON.stringify(list.slice(-200)));
  }

  function safeUrl(value) {
    try {
      const url = new URL(String(value));
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch {
      return null;
    }
  }

  /** A one-line text form of a CS message (buttons as [title], cards and media as labels). */
  function renderMessageText(message) {
    if (!message || typeof message !== 'object') return '';
    const parts = [];
    if (typeof message.text === 'string') parts.push(message.text);
    const att = message.attachment;
    const payload = (att && att.payload) || {};
    if (att && att.type === 'file') parts.push('[Tệp đính kèm]');
    if (payload.template_type === 'request_user_info') parts.push('[Đề nghị chia sẻ thông tin liên hệ]');
    else if (payload.template_type === 'media') parts.push('[Ảnh]');
    const elements = Array.isArray(payload.elements) ? payload.elements : [];
    for (const e of elements) if (e && e.title) parts.push(String(e.title) + (e.subtitle ? ' — ' + e.subtitle : ''));
    const buttons = Array.isArray(payload.buttons) ? payload.buttons : [];
    if (buttons.length) parts.push(buttons.map((b) => '[' + String((b && b.title) || '?') + ']').join(' '));
    return parts.join('\n') || '[Tin nhắn không hiển thị được]';
  }

  function renderButton(button) {
    const title = String(button.title || '?');
    if (button.type === 'oa.query.show' || button.type === 'oa.query.hide') {
      const chip = el('button', 'chip', title);
      chip.type = 'button';
      const text = typeof button.payload === 'string' ? button.payload : '';
      chip.disabled = !text;
      chip.addEventListener('click', () => sendText(text, button.type === 'oa.query.hide' ? title : null));
      return chip;
    }
    const p = button.payload || {};
    let href = null;
    if (button.type === 'oa.open.url') href = safeUrl(p.url);
    else if (button.type === 'oa.open.phone')
      href = /^\+?\d{3,15}$/.test(p.phone_code || '') ? 'tel:' + p.phone_code : null;
    else if (button.type === 'oa.open.sms')
      href = /^\+?\d{3,15}$/.test(p.phone_code || '') ? 'sms:' + p.phone_code : null;
    if (!href) return el('span', 'chip chip-off', title);
    const link = el('a', 'chip chip-link', title);
    link.href = href;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    return link;
  }

  function renderInfoCard(element) {
    const card = el('div', 'card');
    card.append(el('div', 'card-title', (element && element.title) || 'Chia sẻ thông tin'));
    if (element && element.subtitle) card.append(el('div', 'card-sub', element.subtitle));
    const form = el('form', 'card-form');
    const name = el('input');
    name.placeholder = 'Họ và tên';
    name.maxLength = 100;
    name.autocomplete = 'name';
    const phone = el('input');
    phone.placeholder = 'Số điện thoại';
    phone.inputMode = 'tel';
    phone.autocomplete = 'tel';
    const submit = el('button', 'chip', 'Chia sẻ thông tin');
    submit.type = 'submit';
    form.append(name, phone, submit);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = { userId: state.userId, name: name.value.trim(), phone: phone.value.replace(/[\s.-]/g, '') };
      const label = 'Đã chia sẻ: ' + [body.name, body.phone].filter(Boolean).join(' · ');
      if (await post('/submit-info', body, addItem({ kind: 'citizen', text: label, at: Date.now() }, true))) {
        for (const field of form.elements) field.disabled = true;
      }
    });
    card.append(form);
    return card;
  }

  /** The DOM of one bot message: text, cards, media links and button chips, all as textContent. */
  function renderMessage(message) {
    const box = el('div', 'content');
    if (typeof message.text === 'string') box.append(el('p', 'text', message.text));
    const att = message.attachment;
    if (!att || typeof att !== 'object') return box;
    const payload = att.payload || {};
    const elements = Array.isArray(payload.elements) ? payload.elements : [];
    if (payload.template_type === 'request_user_info') box.append(renderInfoCard(elements[0]));
    else if (payload.template_type === 'media') {
      for (const e of elements) {
        const url = safeUrl(e && e.url);
        const link = url ? el('a', 'media', 'Xem ảnh') : el('span', 'media', '[Ảnh đính kèm]');
        if (url) Object.assign(link, { href: url, target: '_blank', rel: 'noopener noreferrer' });
        box.append(link);
      }
    } else if (att.type === 'file') box.append(el('span', 'media', '[Tệp đính kèm]'));
    else {
      for (const e of elements)
        if (e && e.title) box.append(el('p', 'text', e.title + (e.subtitle ? ' — ' + e.subtitle : '')));
    }
    const buttons = Array.isArray(payload.buttons) ? payload.buttons.filter((b) => b && typeof b === 'object') : [];
    if (buttons.length) {
      const row = el('div', 'chips');
      buttons.forEach((b) => row.append(renderButton(b)));
      box.append(row);
    }
    if (!box.childNodes.length) box.append(el('p', 'text', renderMessageText(message)));
    return box;
  }

  const timeOf = (at) => new Date(at).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' });

  /** Appends one chat item; returns its status line (for the webhook's answer). */
  function addItem(item, persist) {
    const empty = chat.querySelector('.empty');
    if (empty) empty.remove();
    const li = el('li', 'msg msg-' + item.kind);
    const bubble = el('div', 'bubble');
    bubble.append(item.kind === 'bot' ? renderMessage(item.message) : el('p', 'text', item.text));
    li.append(bubble);
    const meta = el('div', 'meta', timeOf(item.at));
    const status = el('span', 'status');
    meta.append(status);
    li.append(meta);
    chat.append(li);
    chat.scrollTop = chat.scrollHeight;
    if (persist) remember(item);
    return status;
  }

  function showEmpty() {
    const li = el('li', 'empty');
    li.append(el('p', null, 'Bấm “Quan tâm OA” hoặc gửi một câu hỏi, ví dụ:'));
    const row = el('div', 'chips');
    for (const text of EXAMPLES) {
      const chip = el('button', 'chip', text);
      chip.type = 'button';
      chip.addEventListener('click', () => sendText(text));
      row.append(chip);
    }
    li.append(row);
    chat.append(li);
  }

  function acceptBot(m) {
    if (!m || m.userId !== state.userId || state.seen.has(m.seq)) return;
    state.seen.add(m.seq);
    state.lastSeq = Math.max(state.lastSeq, m.seq);
    addItem({ kind: 'bot', message: m.message || {}, at: m.at });
  }

  /** POSTs to the sandbox API and writes the webhook's answer into `status`. */
  async function post(path, body, status) {
    try {
      const res = await fetch(API + path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error((data.error && data.error.message) || 'HTTP ' + res.status);
      const good = data.status >= 200 && data.status < 300;
      status.textContent = good ? ' · ✓ webhook ' + data.status : ' · ✗ webhook trả về HTTP ' + data.status;
      status.className = good ? 'status ok' : 'status bad';
      return good;
    } catch (e) {
      status.textContent = ' · ✗ ' + e.message;
      status.className = 'status bad';
      return false;
    }
  }

  function sendText(text, hiddenLabel) {
    const value = String(text || '').trim();
    if (!value || !state.userId) return;
    const item = hiddenLabel
      ? { kind: 'note', text: 'Đã bấm “' + hiddenLabel + '”', at: Date.now() }
      : { kind: 'citizen', text: value, at: Date.now() };
    post('/send', { userId: state.userId, text: value }, addItem(item, true));
  }

  function setConn(text, live) {
    connStatus.textContent = text;
    connStatus.className = live ? 'conn live' : 'conn';
  }

  async function poll(generation) {
    if (generation !== state.generation) return;
    try {
      const url = API + '/messages?userId=' + encodeURIComponent(state.userId) + '&after=' + state.lastSeq;
      const data = await (await fetch(url)).json();
      if (generation === state.generation) (data.messages || []).forEach(acceptBot);
    } catch {
      setConn('mất kết nối tới máy chủ, đang thử lại…', false);
    }
  }

  function startPolling(generation) {
    if (state.pollTimer) return;
    setConn('hỏi định kỳ mỗi 2 giây', false);
    state.pollTimer = setInterval(() => poll(generation), POLL_MS);
  }

  function stopPolling() {
    clearInterval(state.pollTimer);
    state.pollTimer = null;
  }

  /** Loads the conversation of the current user, then follows new bot messages (SSE, or polling). */
  async function connect() {
    const generation = ++state.generation;
    if (state.source) state.source.close();
    state.source = null;
    stopPolling();
    state.seen = new Set();
    state.lastSeq = 0;
    chat.replaceChildren();
    let bot = [];
    try {
      const data = await (await fetch(API + '/messages?userId=' + encodeURIComponent(state.userId))).json();
      bot = data.messages || [];
      state.lastSeq = data.lastSeq || 0;
    } catch {
      setConn('không tải được lịch sử', false);
    }
    if (generation !== state.generation) return;
    const items = localHistory(state.userId).map((i) => ({ ...i, time: i.at }));
    for (const m of bot) items.push({ bot: m, time: Date.parse(m.at) });
    items.sort((a, b) => a.time - b.time);
    if (!items.length) showEmpty();
    for (const item of items) {
      if (item.bot) acceptBot(item.bot);
      else addItem(item);
    }
    if (typeof EventSource === 'undefined') return startPolling(generation);
    const qs = '?userId=' + encodeURIComponent(state.userId) + '&after=' + state.lastSeq;
    const source = new EventSource(API + '/stream' + qs);
    state.source = source;
    source.onopen = () => {
      stopPolling();
      setConn('trực tiếp (Server-Sent Events)', true);
    };
    source.onmessage = (ev) => {
      try {
        acceptBot(JSON.parse(ev.data));
      } catch {
        /* ignore a malformed event */
      }
    };
    source.onerror = () => startPolling(generation);
  }

  function setUser(id) {
    state.userId = id;
    userInput.value = id;
    storage.set(USER_KEY, id);
    connect();
  }

  userInput.addEventListener('change', () => {
    const id = userInput.value.trim();
    userInput.setCustomValidity(USER_ID.test(id) ? '' : 'Mã người dùng gồm 1–30 chữ số');
    if (userInput.reportValidity() && id !== state.userId) setUser(id);
  });
  $('user-form').addEventListener('submit', (ev) => ev.preventDefault());
  $('new-user').addEventListener('click', () => setUser(randomUserId()));
  $('follow').addEventListener('click', () => {
    post(
      '/follow',
      { userId: state.userId },
      addItem({ kind: 'note', text: 'Bạn đã quan tâm OA', at: Date.now() }, true),
    );
  });
  $('composer').addEventListener('submit', (ev) => {
    ev.preventDefault();
    sendText(textInput.value);
    textInput.value = '';
    textInput.style.height = '';
    textInput.focus();
  });
  textInput.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      $('composer').requestSubmit();
    }
  });
  textInput.addEventListener('input', () => {
    textInput.style.height = 'auto';
    textInput.style.height = Math.min(textInput.scrollHeight, 140) + 'px';
  });

  const saved = storage.get(USER_KEY);
  setUser(saved && USER_ID.test(saved) ? saved : randomUserId());
})();
