// Rendering of the bot's messages for the sandbox page (plain browser JS, no build step).
// Everything is built with createElement + textContent, never innerHTML: message data may contain HTML.
(function () {
  'use strict';

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
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

  function renderButton(button, actions) {
    const title = String(button.title || '?');
    if (button.type === 'oa.query.show' || button.type === 'oa.query.hide') {
      const chip = el('button', 'chip', title);
      chip.type = 'button';
      const text = typeof button.payload === 'string' ? button.payload : '';
      chip.disabled = !text;
      chip.addEventListener('click', () => actions.sendText(text, button.type === 'oa.query.hide' ? title : null));
      return chip;
    }
    const p = button.payload || {};
    let href = null;
    if (button.type === 'oa.open.url') href = safeUrl(p.url);
    else if (button.type === 'oa.open.phone') {
      const phone = String(p.phone_code || '');
      if (!/^\+?\d{3,15}$/.test(phone)) return el('span', 'chip chip-off', title);
      // A computer cannot call: the number is shown, and is a tel: link for phones.
      const link = el('a', 'chip chip-link', '📞 ' + title + ' · ' + phone);
      link.href = 'tel:' + phone;
      return link;
    } else if (button.type === 'oa.open.sms')
      href = /^\+?\d{3,15}$/.test(p.phone_code || '') ? 'sms:' + p.phone_code : null;
    if (!href) return el('span', 'chip chip-off', title);
    const link = el('a', 'chip chip-link', title);
    link.href = href;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    return link;
  }

  function renderInfoCard(element, actions) {
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
      if (await actions.submitInfo(name.value.trim(), phone.value.replace(/[\s.-]/g, ''))) {
        for (const field of form.elements) field.disabled = true;
      }
    });
    card.append(form);
    return card;
  }

  /** An image the bot sent: shown by URL; one uploaded to Zalo (attachment_id) has no URL to show. */
  function renderImage(element) {
    const url = safeUrl(element && element.url);
    if (!url) return el('span', 'media', '[Ảnh đã tải lên Zalo]');
    const link = el('a', 'media');
    Object.assign(link, { href: url, target: '_blank', rel: 'noopener noreferrer' });
    const img = el('img', 'photo');
    Object.assign(img, { src: url, alt: 'Ảnh tổng đài gửi', loading: 'lazy' });
    link.append(img);
    return link;
  }

  /** What the citizen sent: text, a picture, a file, a location pin or a sticker (see tools.js). */
  function renderCitizen(item) {
    const box = el('div', 'content');
    if (item.image && /^\/[\w/%.-]*$/.test(item.image)) {
      const img = el('img', 'photo');
      Object.assign(img, { src: item.image, alt: item.name || 'Ảnh đã gửi' });
      box.append(img);
    } else if (item.file) box.append(el('p', 'text file-line', '📎 ' + item.file));
    if (item.location) box.append(el('p', 'text', '📍 Vị trí: ' + item.location));
    if (item.sticker) box.append(el('p', 'sticker', item.sticker));
    if (item.text) box.append(el('p', 'text', item.text));
    return box;
  }

  /**
   * The DOM of one bot message: text, cards, media links and button chips. `actions` are the page's
   * sendText(text, hiddenLabel) and submitInfo(name, phone) → Promise<boolean>.
   */
  function renderMessage(message, actions) {
    const box = el('div', 'content');
    if (typeof message.text === 'string') box.append(el('p', 'text', message.text));
    const att = message.attachment;
    if (!att || typeof att !== 'object') return box;
    const payload = att.payload || {};
    const elements = Array.isArray(payload.elements) ? payload.elements : [];
    if (payload.template_type === 'request_user_info') box.append(renderInfoCard(elements[0], actions));
    else if (payload.template_type === 'media') {
      for (const e of elements) box.append(renderImage(e));
    } else if (att.type === 'file') box.append(el('span', 'media', '[Tệp đính kèm]'));
    else {
      for (const e of elements)
        if (e && e.title) box.append(el('p', 'text', e.title + (e.subtitle ? ' — ' + e.subtitle : '')));
    }
    const buttons = Array.isArray(payload.buttons) ? payload.buttons.filter((b) => b && typeof b === 'object') : [];
    if (buttons.length) {
      const row = el('div', 'chips');
      buttons.forEach((b) => row.append(renderButton(b, actions)));
      box.append(row);
    }
    if (!box.childNodes.length) box.append(el('p', 'text', renderMessageText(message)));
    return box;
  }

  window.CchcSandbox = { el, safeUrl, renderMessageText, renderMessage, renderCitizen };
})();
