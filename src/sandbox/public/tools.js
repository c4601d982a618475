// The composer's tools on the sandbox page: attach a picture or file, send a location pin or a
// sticker, and quick replies for yes/no questions. Plain browser JS; rendering via textContent only.
(function () {
  'use strict';
  const { el, page } = window.CchcSandbox;
  const $ = (id) => document.getElementById(id);
  const STICKERS = [
    { id: '46991', emoji: '👍', label: 'Thích' },
    { id: '46992', emoji: '🙏', label: 'Cảm ơn' },
    { id: '46993', emoji: '😊', label: 'Vui' },
    { id: '46994', emoji: '😢', label: 'Buồn' },
  ];
  const panels = { location: $('panel-location'), sticker: $('panel-sticker') };
  const quick = $('quick');
  const now = () => Date.now();

  function toggle(name) {
    for (const [key, panel] of Object.entries(panels)) panel.hidden = key === name ? !panel.hidden : true;
  }
  const closePanels = () => toggle(null);

  /** Picture or file: the page uploads it to the stand-in, which sends the signed user_send_* event. */
  async function sendFile(file) {
    if (!file || !page.state.userId) return;
    const isImage = /^image\/(png|jpeg|gif|webp)$/.test(file.type);
    const item = { kind: 'citizen', at: now(), name: file.name };
    if (!isImage) item.file = file.name + ' (' + Math.max(1, Math.round(file.size / 1024)) + ' KB)';
    const status = page.addItem(isImage ? { ...item, text: '[Đang gửi ảnh ' + file.name + '…]' } : item, false);
    const qs = new window.URLSearchParams({
      userId: page.state.userId,
      name: file.name || 'tep',
      type: file.type || '',
    });
    const answer = await page.request(
      '/upload?' + qs,
      { headers: { 'Content-Type': 'application/octet-stream' }, body: file },
      status,
    );
    if (!answer) return;
    if (isImage) {
      // Shown from the stand-in's media URL (same origin), as the citizen's own picture.
      const bubble = status.closest('.msg').querySelector('.bubble');
      const shown = { ...item, image: answer.mediaPath };
      bubble.replaceChildren(window.CchcSandbox.renderCitizen(shown));
      page.remember(shown);
    } else page.remember(item);
  }

  function sendLocation() {
    const latitude = Number($('lat').value.replace(',', '.'));
    const longitude = Number($('lng').value.replace(',', '.'));
    if (!Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90) {
      $('lat').setCustomValidity('Vĩ độ, kinh độ là số, ví dụ 10.0333 và 105.7833');
      $('lat').reportValidity();
      return;
    }
    $('lat').setCustomValidity('');
    const place = $('place').selectedOptions[0];
    const preset = place && place.value === latitude + ',' + longitude ? ' — ' + place.textContent : '';
    const item = { kind: 'citizen', at: now(), location: latitude + ', ' + longitude + preset };
    page.post('/location', { userId: page.state.userId, latitude, longitude }, page.addItem(item, true));
    closePanels();
  }

  function usePlace() {
    const [lat, lng] = $('place').value.split(',');
    $('lat').value = lat;
    $('lng').value = lng;
  }

  function hereOrExplain() {
    if (!window.navigator.geolocation) return void ($('here').textContent = 'Trình duyệt không hỗ trợ');
    window.navigator.geolocation.getCurrentPosition(
      (pos) => {
        $('lat').value = pos.coords.latitude.toFixed(5);
        $('lng').value = pos.coords.longitude.toFixed(5);
      },
      () => ($('here').textContent = 'Không lấy được vị trí'),
      { timeout: 8000 },
    );
  }

  function sendSticker(sticker) {
    const item = { kind: 'citizen', at: now(), sticker: sticker.emoji };
    page.post('/sticker', { userId: page.state.userId, stickerId: sticker.id }, page.addItem(item, true));
    closePanels();
  }

  for (const sticker of STICKERS) {
    const chip = el('button', 'chip sticker-chip', sticker.emoji);
    chip.type = 'button';
    chip.title = sticker.label;
    chip.setAttribute('aria-label', 'Nhãn dán ' + sticker.label);
    chip.addEventListener('click', () => sendSticker(sticker));
    $('stickers').append(chip);
  }

  // A yes/no question is answered by typing on Zalo; the quick replies type it for the tester.
  const QUESTION = /\?\s*$|\(có\/không\)|có hoặc không/i;
  document.addEventListener('cchc:bot', (ev) => {
    const text = ev.detail && ev.detail.message && ev.detail.message.text;
    // A card or picture after the question leaves the quick replies as they are.
    if (typeof text === 'string') quick.hidden = !QUESTION.test(text.trim());
  });
  quick.addEventListener('click', (ev) => {
    const text = ev.target && ev.target.dataset && ev.target.dataset.text;
    if (!text) return;
    page.sendText(text);
    quick.hidden = true;
  });

  $('file').addEventListener('change', (ev) => {
    const file = ev.target.files && ev.target.files[0];
    ev.target.value = '';
    sendFile(file);
  });
  $('tool-location').addEventListener('click', () => {
    if (!$('lat').value) usePlace();
    toggle('location');
  });
  $('tool-sticker').addEventListener('click', () => toggle('sticker'));
  $('place').addEventListener('change', usePlace);
  $('here').addEventListener('click', hereOrExplain);
  $('send-location').addEventListener('click', sendLocation);
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') closePanels();
  });
})();
