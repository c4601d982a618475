import { ConfigError, loadConfig } from '../src/config/env';
import { viMedia } from '../src/conversation/catalogue';
import { megabytes } from '../src/attachments/download-job';
import { contentDisposition, safeFilename } from '../src/attachments/read';
import { AttachmentRefusal, checkSource, guardedLookup, isPrivateAddress } from '../src/attachments/source-guard';
import { describeTypes, sniff } from '../src/attachments/types';
import { MediaStore } from '../src/sandbox/media-store';
import { eventFor } from '../src/sandbox/media-routes';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const ftyp = (major: string, ...compatible: string[]) => {
  const body = bytes('ftyp', major, [0, 0, 0, 0], ...compatible);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(body.length + 4);
  return Buffer.concat([size, body, Buffer.alloc(32)]);
};
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const utf16 = (s: string) => Buffer.from(s, 'utf16le');

describe('sniff: the type comes from the first bytes', () => {
  test.each([
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF')],
    ['png', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['gif', bytes('GIF89a')],
    ['webp', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 ')],
    ['pdf', bytes('%PDF-1.7')],
    ['heic', ftyp('heic', 'mif1', 'heic')],
    ['heic', ftyp('mif1', 'mif1', 'heix')],
    ['mp4', ftyp('isom', 'isom', 'avc1')],
    ['m4a', ftyp('M4A ', 'M4A ', 'mp42', 'isom')],
    ['docx', bytes([0x50, 0x4b, 0x03, 0x04], '....[Content_Types].xml....word/document.xml')],
    ['xlsx', bytes([0x50, 0x4b, 0x03, 0x04], '....xl/workbook.xml')],
    ['doc', Buffer.concat([Buffer.from(OLE), Buffer.alloc(500), utf16('WordDocument')])],
    ['xls', Buffer.concat([Buffer.from(OLE), Buffer.alloc(501), utf16('Workbook')])],
    ['mp3', bytes('ID3', [4, 0, 0])],
    ['mp3', bytes([0xff, 0xfb, 0x90, 0x64])],
    ['aac', bytes([0xff, 0xf1, 0x50, 0x80])],
  ])('%s', (type, head) => expect(sniff(head)).toBe(type));

  test.each([
    ['HTML named .jpg', bytes('<html><body>hi</body></html>'), 'a.jpg'],
    ['an SVG', bytes('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'), 'a.svg'],
    ['a Windows program', bytes('MZ', [0x90, 0]), 'don.pdf'],
    ['a plain ZIP', bytes([0x50, 0x4b, 0x03, 0x04], 'photos/1.jpg'), 'a.zip'],
    ['a ZIP named .docx without Office parts', bytes([0x50, 0x4b, 0x03, 0x04], 'evil.exe'), 'a.docx'],
    ['an OLE file named .msi', Buffer.concat([Buffer.from(OLE), Buffer.alloc(64)]), 'setup.msi'],
    ['a QuickTime movie', ftyp('qt  ', 'qt  '), 'a.mov'],
    ['AVIF', ftyp('avif', 'avif', 'mif1'), 'a.avif'],
    ['nothing', Buffer.alloc(0), undefined],
  ])('%s is not accepted', (_what, head, name) => expect(sniff(head, name)).toBeUndefined());

  test('the declared name only settles which Office format an Office container is', () => {
    const zip = bytes([0x50, 0x4b, 0x03, 0x04], '[Content_Types].xml');
    expect(sniff(zip, 'báo cáo.xlsx')).toBe('xlsx');
    expect(sniff(zip, 'báo cáo.pdf')).toBeUndefined();
    expect(sniff(Buffer.concat([Buffer.from(OLE), Buffer.alloc(64)]), 'DON.DOC')).toBe('doc');
  });
});

describe('source guard', () => {
  const policy = { hosts: ['zdn.vn', 'zadn.vn', 'zalo.me'], origins: ['http://127.0.0.1:3000'] };
  const reason = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return (e as AttachmentRefusal).reason;
    }
    return 'accepted';
  };

  test.each([
    ['https://f21-zpc.zdn.vn/jpg/123/abc.jpg', 'accepted'],
    ['https://dl.zadn.vn/x', 'accepted'],
    ['https://zalo.me/a', 'accepted'],
    ['HTTPS://F1.ZDN.VN./a', 'accepted'],
    ['http://127.0.0.1:3000/sandbox/zalo/media/1', 'accepted'],
    ['http://127.0.0.1:3001/sandbox/zalo/media/1', 'host_forbidden'],
    ['https://zdn.vn.example.com/a', 'host_forbidden'],
    ['https://evilzdn.vn/a', 'host_forbidden'],
    ['https://10.0.0.1/a', 'host_forbidden'],
    ['https://[::1]/a', 'host_forbidden'],
    ['https://user:pw@f1.zdn.vn/a', 'bad_url'],
    ['file:///etc/passwd', 'bad_url'],
    ['ftp://f1.zdn.vn/a', 'bad_url'],
    ['not a url', 'bad_url'],
  ])('%s → %s', (url, expected) => expect(reason(() => checkSource(url, policy))).toBe(expected));

  test.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:10.0.0.1', true],
    ['not-an-ip', true],
    ['203.162.4.191', false],
    ['8.8.8.8', false],
    ['2001:4860:4860::8888', false],
    ['::ffff:8.8.8.8', false],
  ])('isPrivateAddress(%s) = %s', (ip, expected) => expect(isPrivateAddress(ip)).toBe(expected));

  const resolveTo =
    (...ips: string[]) =>
    (_h: string, cb: (e: NodeJS.ErrnoException | null, a: Array<{ address: string; family: number }>) => void) =>
      cb(
        null,
        ips.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      );
  const lookup = (allowPrivate: boolean, ...ips: string[]) =>
    new Promise<unknown>((resolve) =>
      guardedLookup(allowPrivate, resolveTo(...ips))('f1.zdn.vn', {}, (err, address) => resolve(err ?? address)),
    );

  test('a Zalo name resolving to a private address (DNS rebinding) is refused at connect time', async () => {
    expect(await lookup(false, '203.162.4.191')).toBe('203.162.4.191');
    expect(await lookup(false, '203.162.4.191', '10.0.0.5')).toBeInstanceOf(AttachmentRefusal);
    expect(await lookup(false, '127.0.0.1')).toBeInstanceOf(AttachmentRefusal);
    expect(await lookup(true, '127.0.0.1')).toBe('127.0.0.1');
  });
});

describe('what people see', () => {
  test('limits in MB with a Vietnamese decimal comma', () => {
    expect(megabytes(10 * 1024 * 1024)).toBe('10');
    expect(megabytes(2.5 * 1024 * 1024)).toBe('2,5');
  });

  test('accepted types, grouped in Vietnamese', () => {
    expect(describeTypes(['png', 'jpeg', 'pdf', 'mp3'], viMedia.groupLabels)).toBe(
      'ảnh (JPEG, PNG), tệp (PDF), ghi âm (MP3)',
    );
  });

  test('download names keep Vietnamese letters and lose paths and markup', () => {
    expect(safeFilename('Đơn khiếu nại.pdf', 7, 'application/pdf')).toBe('Đơn khiếu nại.pdf');
    expect(safeFilename('../../etc/passwd', 7, 'application/pdf')).toBe('passwd');
    expect(safeFilename('a<script>".pdf', 7, 'application/pdf')).toBe('a_script__.pdf');
    expect(safeFilename('...', 7, 'image/png')).toBe('attachment-7.png');
    expect(safeFilename(null, 7, 'application/msword')).toBe('attachment-7.doc');
    expect(contentDisposition('Đơn số 1.pdf')).toBe(
      `attachment; filename="Don so 1.pdf"; filename*=UTF-8''${encodeURIComponent('Đơn số 1.pdf')}`,
    );
  });
});

describe('configuration', () => {
  test('defaults: 10 MB, every type, Zalo hosts', () => {
    const c = loadConfig({}).attachments;
    expect(c.maxBytes).toBe(10 * 1024 * 1024);
    expect(c.types).toContain('heic');
    expect(c.hosts).toEqual(['zdn.vn', 'zadn.vn', 'zalo.me']);
  });
  test('a type that is not known stops the process with the variable named', () => {
    expect(() => loadConfig({ ATTACHMENT_TYPES: 'pdf,exe' })).toThrow(ConfigError);
    expect(() => loadConfig({ ATTACHMENT_TYPES: 'pdf,exe' })).toThrow(/ATTACHMENT_TYPES/);
    expect(loadConfig({ ATTACHMENT_TYPES: ' PDF , png' }).attachments.types).toEqual(['pdf', 'png']);
  });
});

describe('sandbox media store', () => {
  test('keeps files in memory up to its limits, dropping the oldest first', () => {
    const store = new MediaStore(10, 25);
    const a = store.put(Buffer.alloc(10), 'a', 'image/png');
    const b = store.put(Buffer.alloc(10), 'b', 'image/png');
    const c = store.put(Buffer.alloc(10), 'c', 'image/png');
    expect(store.get(a.id)).toBeUndefined();
    expect(store.get(b.id)?.name).toBe('b');
    expect(store.get(c.id)?.name).toBe('c');
    expect(store.totalBytes).toBe(20);
    expect(() => store.put(Buffer.alloc(11), 'd', 'image/png')).toThrow(RangeError);
  });
  test('declared types map to the event Zalo would send', () => {
    expect(eventFor('image/jpeg').eventName).toBe('user_send_image');
    expect(eventFor('image/gif').eventName).toBe('user_send_gif');
    expect(eventFor('video/mp4').eventName).toBe('user_send_video');
    expect(eventFor('audio/mpeg').eventName).toBe('user_send_audio');
    expect(eventFor('').eventName).toBe('user_send_file');
  });
});
