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

  const { el, renderMessage, renderCitizen } = window.CchcSandbox;

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

  const timeOf = (at) => new Date(at).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' });

  /** Appends one chat item; returns its status line (for the webhook's answer). */
  function addItem(item, persist) {
    const empty = chat.querySelector('.empty');
    if (empty) empty.remove();
    const li = el('li', 'msg msg-' + item.kind);
    const bubble = el('div', 'bubble');
    bubble.append(item.kind === 'bot' ? renderMessage(item.message, actions) : renderCitizen(item));
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
    document.dispatchEvent(new window.CustomEvent('cchc:bot', { detail: m }));
  }

  /** POSTs to the sandbox API, writes the webhook's answer into `status`; resolves to the answer or null. */
  async function request(path, init, status) {
    try {
      const res = await fetch(API + path, { method: 'POST', ...init });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error((data.error && data.error.message) || 'HTTP ' + res.status);
      const good = data.status >= 200 && data.status < 300;
      status.textContent = good ? ' · ✓ webhook ' + data.status : ' · ✗ webhook trả về HTTP ' + data.status;
      status.className = good ? 'status ok' : 'status bad';
      return good ? data : null;
    } catch (e) {
      status.textContent = ' · ✗ ' + e.message;
      status.className = 'status bad';
      return null;
    }
  }

  async function post(path, body, status) {
    const init = { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
    return (await request(path, init, status)) !== null;
  }

  function sendText(text, hiddenLabel) {
    const value = String(text || '').trim();
    if (!value || !state.userId) return;
    const item = hiddenLabel
      ? { kind: 'note', text: 'Đã bấm “' + hiddenLabel + '”', at: Date.now() }
      : { kind: 'citizen', text: value, at: Date.now() };
    post('/send', { userId: state.userId, text: value }, addItem(item, true));
  }

  const actions = {
    sendText,
    submitInfo(name, phone) {
      const label = 'Đã chia sẻ: ' + [name, phone].filter(Boolean).join(' · ');
      const status = addItem({ kind: 'citizen', text: label, at: Date.now() }, true);
      return post('/submit-info', { userId: state.userId, name, phone }, status);
    },
  };

  function setConn(text, live) {
    connStatus.textContent = text;
    connStatus.className = live ? 'conn live' : 'conn';
  }

  async function poll(generation) {
    if (generation !== state.generation) return;
    try {
      const url = API + '/messages?userId=' + encodeURIComponent(state.userId) + '&after=' + state.lastSeq;
      const data = await (await fetch(url)).json();
      if (generation !== state.generation) return;
      // A restarted server numbers its messages from 1 again: reload the whole conversation.
      if ((data.lastSeq || 0) < state.lastSeq) return connect();
      (data.messages || []).forEach(acceptBot);
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
    let reconnecting = false;
    source.onopen = () => {
      stopPolling();
      setConn('trực tiếp (Server-Sent Events)', true);
      if (reconnecting) poll(generation); // catch up, and notice a restarted server
    };
    source.onmessage = (ev) => {
      try {
        acceptBot(JSON.parse(ev.data));
      } catch {
        /* ignore a malformed event */
      }
    };
    source.onerror = () => {
      reconnecting = true;
      startPolling(generation);
    };
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

  // tools.js (attachments, location, stickers, quick replies) works through these.
  window.CchcSandbox.page = { state, request, post, addItem, sendText, remember };

  const saved = storage.get(USER_KEY);
  setUser(saved && USER_ID.test(saved) ? saved : randomUserId());
})();
