import type { Classification } from '../../src/classify/taxonomy';

/**
 * A small province for routing tests: real Cần Thơ names chosen for the hard cases (an old ward
 * merged into a new one, a name shared by two old wards, a ward and an old unit with nested names,
 * a name that is also an ordinary word, old wards written with Roman numerals).
 */
const communes = [
  [
    'phuong-cai-khe',
    'Phường Cái Khế',
    'phuong',
    ['Phường An Hòa', 'Phường Cái Khế', 'Phường Bùi Hữu Nghĩa'],
    { lat: 10.0457, lon: 105.7865 },
  ],
  [
    'phuong-ninh-kieu',
    'Phường Ninh Kiều',
    'phuong',
    ['Phường Tân An', 'Phường Thới Bình', 'Phường Xuân Khánh'],
    { lat: 10.0333, lon: 105.7833 },
  ],
  [
    'phuong-o-mon',
    'Phường Ô Môn',
    'phuong',
    ['Phường Châu Văn Liêm', 'Phường Thới An'],
    { lat: 10.1093, lon: 105.6196 },
  ],
  ['phuong-thoi-an-dong', 'Phường Thới An Đông', 'phuong', ['Phường Thới An Đông', 'Phường Trà An'], null],
  ['phuong-thot-not', 'Phường Thốt Nốt', 'phuong', ['Phường Thuận An (quận Thốt Nốt)', 'Phường Thốt Nốt'], null],
  ['phuong-long-my', 'Phường Long Mỹ', 'phuong', ['Phường Thuận An (thị xã Long Mỹ)', 'Phường Vĩnh Tường'], null],
  [
    'phuong-vi-thanh',
    'Phường Vị Thanh',
    'phuong',
    ['Phường I', 'Phường III', 'Phường VII'],
    { lat: 9.783, lon: 105.467 },
  ],
  ['xa-thoi-lai', 'Xã Thới Lai', 'xa', ['Thị trấn Thới Lai', 'Xã Xuân Thắng'], { lat: 10.065, lon: 105.558 }],
  ['xa-luong-tam', 'Xã Lương Tâm', 'xa', ['Xã Lương Tâm', 'Xã Lương Nghĩa'], null],
] as const;

const unit = (code: string, name: string, type: string) => ({ code, name, type, aliases: [] as string[] });

export function fixtureConfig() {
  return {
    province: { code: 'test', name: 'Thành phố thử' },
    sources: ['Danh sách thử cho kiểm thử'],
    units: [
      unit('tong-dai', 'Tổng đài', 'hotline'),
      unit('kiem-tra-cong-vu', 'Kiểm tra công vụ', 'inspection'),
      unit('thanh-tra', 'Thanh tra thành phố', 'inspection'),
      unit('vp-dat-dai', 'Văn phòng đăng ký đất đai', 'office'),
      unit('so-xay-dung', 'Sở Xây dựng', 'department'),
      unit('cong-an', 'Công an thành phố', 'vertical'),
      unit('so-tu-phap', 'Sở Tư pháp', 'department'),
      unit('so-noi-vu', 'Sở Nội vụ', 'department'),
      unit('so-tai-chinh', 'Sở Tài chính', 'department'),
      ...communes.map(([code, name]) => unit(`ubnd-${code}`, `UBND ${name}`, 'commune')),
    ],
    communes: communes.map(([code, name, type, mergedFrom, centre]) => ({
      code,
      name,
      type,
      formerlyOf: 'Cần Thơ',
      mergedFrom: [...mergedFrom],
      aliases: [],
      centre,
    })),
    communeMatching: { prefixOnly: ['Lương Tâm'] },
    rules: [
      {
        id: 'dat-dai-lan-dau',
        category: 'dat_dai',
        keywords: ['cấp lần đầu', 'cấp sổ đỏ lần đầu'],
        communeLevel: true,
      },
      { id: 'dat-dai', category: 'dat_dai', unit: 'vp-dat-dai' },
      { id: 'xay-dung', category: 'xay_dung', unit: 'so-xay-dung' },
      { id: 'gplx', category: 'giao_thong', keywords: ['giấy phép lái xe', 'bằng lái'], unit: 'cong-an' },
      { id: 'dang-ky-xe', category: 'giao_thong', keywords: ['đăng ký xe', 'biển số'], communeLevel: true },
      { id: 'giao-thong', category: 'giao_thong', unit: 'so-xay-dung' },
      { id: 'ho-tich-nuoc-ngoai', category: 'ho_tich', keywords: ['nước ngoài'], unit: 'so-tu-phap' },
      { id: 'ho-tich', category: 'ho_tich', communeLevel: true },
      { id: 'tu-phap', category: 'tu_phap', unit: 'so-tu-phap' },
      { id: 'cu-tru', category: 'cu_tru', unit: 'cong-an' },
      { id: 'kinh-doanh', category: 'kinh_doanh', unit: 'so-tai-chinh' },
      ...['thue', 'bhxh', 'lao_dong', 'y_te', 'giao_duc', 'moi_truong', 'dich_vu_cong', 'cong_vu'].map((c) => ({
        id: c.replace(/_/g, '-'),
        category: c,
        unit: 'so-noi-vu',
      })),
      { id: 'khac', category: 'khac', unit: 'tong-dai' },
    ],
    copyRules: [
      { id: 'conduct', when: { conduct: true }, unit: 'kiem-tra-cong-vu' },
      { id: 'to-cao', when: { kind: 'khieu_nai_to_cao', conduct: true }, unit: 'thanh-tra' },
    ],
    triage: { unit: 'tong-dai' },
  };
}

export const toText = (config: unknown) => JSON.stringify(config, null, 2) + '\n';

/** The 1-based line of the first occurrence of a string in a text. */
export function lineOf(text: string, needle: string, from = 0): number {
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`"${needle}" not in the text`);
  return text.slice(0, at).split('\n').length;
}

export function classified(over: Partial<Classification> & { p?: number } = {}): Classification {
  const { p = 0.95, ...rest } = over;
  return {
    category: 'khac',
    kind: 'phan_anh',
    conduct: false,
    emergency: false,
    confidence: { category: p, kind: 0.9, conduct: 0.9, emergency: 0.99 },
    ...rest,
  };
}
