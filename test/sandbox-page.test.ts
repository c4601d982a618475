import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { inboundEvents } from '../src/db/schema';
import { eventually } from './support/hotline';
import { useSandboxHotline } from './support/sandbox-hotline';
import { playwright, useChromium } from './support/chromium';

/*
 * The /sandbox page in a real Chromium, when one is at hand (test/support/chromium.ts); without it
 * the file says so and skips.
 */
const maybe = playwright ? describe : describe.skip;
if (!playwright) test.skip('the sandbox page in Chromium (playwright-core and Chromium not both found)', () => {});

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(2000)]);

maybe('the sandbox page in Chromium', () => {
  const sandbox = useSandboxHotline();
  const chromium = useChromium();

  const eventOf = (userId: string, eventName: string) =>
    eventually(async () => {
      const rows = await sandbox()
        .database.db.select()
        .from(inboundEvents)
        .where(and(eq(inboundEvents.zaloUserId, userId), eq(inboundEvents.eventName, eventName)));
      return rows.length ? rows : undefined;
    }, `${eventName} from ${userId}`);

  test.each([
    [390, 844],
    [1366, 768],
  ])(
    'at %ix%i a person attaches, pins, stickers and uses the bot buttons',
    async (width, height) => {
      const page = await chromium().newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
      try {
        await page.goto(`${sandbox().url}/sandbox`);
        await page.locator('.conn.live').waitFor();
        const user = await page.inputValue('#user-id');

        await page.setInputFiles('#file', { name: 'ảnh.png', mimeType: 'image/png', buffer: PNG });
        await page.locator('.msg-citizen img.photo').waitFor();
        const [image] = await eventOf(user, 'user_send_image');
        expect(JSON.stringify(image!.payload)).toContain('/sandbox/zalo/media/');

        await page.click('#tool-location');
        await page.click('#send-location');
        await eventOf(user, 'user_send_location');
        await page.click('#tool-sticker');
        await page.locator('.sticker-chip').first().click();
        await eventOf(user, 'user_send_sticker');

        // The bot's own replies come first, so the question below is the last thing it said.
        await page.locator('.msg-bot', { hasText: 'nhắn thêm nội dung' }).first().waitFor();
        // Let the replies to the pin and the sticker (if any) arrive before the stand-in sends more.
        for (let last = -1, now = 0; now !== last;) {
          last = now;
          await new Promise((r) => setTimeout(r, 1500));
          now = await page.locator('.msg-bot').count();
        }
        // What the dialogue will send, straight into the stand-in, as the outbound worker would.
        const cs = (message: object) =>
          fetch(`${sandbox().url}/sandbox/zalo/v3.0/oa/message/cs`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', access_token: 't' },
            body: JSON.stringify({ recipient: { user_id: user }, message }),
          });
        await cs({
          attachment: {
            type: 'template',
            payload: {
              template_type: 'media',
              elements: [{ media_type: 'image', url: `${sandbox().url}/sandbox/favicon.svg` }],
            },
          },
        });
        await cs({
          text: 'Anh/Chị xác nhận gửi phản ánh này?',
          attachment: {
            type: 'template',
            payload: {
              buttons: [
                { type: 'oa.query.hide', title: 'Xác nhận', payload: '#xac_nhan' },
                { type: 'oa.open.url', title: 'Cổng dịch vụ công', payload: { url: 'https://dichvucong.gov.vn/' } },
                { type: 'oa.open.phone', title: 'Gọi tổng đài', payload: { phone_code: '02923123456' } },
              ],
            },
          },
        });
        await cs({
          attachment: {
            type: 'template',
            payload: {
              template_type: 'request_user_info',
              elements: [
                { title: 'Chia sẻ thông tin', subtitle: 'Để cán bộ gọi lại', image_url: 'https://example.com/a.png' },
              ],
            },
          },
        });
        await page.locator('.card-form').waitFor();
        await page.locator('.msg-bot a.media img.photo').waitFor();
        const url = page.locator('a.chip-link', { hasText: 'Cổng dịch vụ công' });
        expect(await url.getAttribute('target')).toBe('_blank');
        expect(await url.getAttribute('href')).toBe('https://dichvucong.gov.vn/');
        expect(await page.locator('a.chip-link', { hasText: '02923123456' }).getAttribute('href')).toBe(
          'tel:02923123456',
        );

        const texts = async () =>
          (await eventOf(user, 'user_send_text')).map((e) => (e.payload as { message: { text: string } }).message.text);
        // The yes/no question offers quick replies, typed as a citizen would type them.
        await page.locator('#quick button', { hasText: 'Có' }).click();
        await eventually(async () => (await texts()).includes('Có'), 'the typed yes');

        await page.locator('button.chip', { hasText: 'Xác nhận' }).click();
        await eventually(async () => (await texts()).includes('#xac_nhan'), 'the hidden payload sent as text');

        await page.fill('.card-form input >> nth=0', 'Nguyễn Văn A');
        await page.fill('.card-form input >> nth=1', '0912 345 678');
        await page.click('.card-form button');
        const [info] = await eventOf(user, 'user_submit_info');
        expect((info!.payload as { info: unknown }).info).toEqual({ name: 'Nguyễn Văn A', phone: '0912345678' });

        expect((await page.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(width);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    },
    60_000,
  );
});
