import { fold } from '../../text/fold';

/**
 * The citizen's words as the summary shows them back: greetings and openers at the start of a
 * message left out ("alo", "dạ", "em chào anh chị", "ad ơi", "cho em hỏi"), chat shorthand written
 * out and administrative acronyms in capitals. Diacritics are never added to a message typed
 * without them: there "ko" becomes "khong", not "không". The ticket keeps the text as typed.
 */

/** Openers, on folded words; tried again and again at the start of a message. */
const OPENERS: RegExp[] = [
  /^(alo+|a lo|a lu|hello|hi+|xin chao|chao)( (ban|ad|admin|anh chi|anh|chi|em|tong dai|tong dai vien|ca nha|moi nguoi|ac))?/,
  /^(em|toi|chau|minh|con|tui|e) (xin )?chao( (anh chi|anh|chi|ad|admin|tong dai|ca nha|moi nguoi|ac))?/,
  /^(ad|admin|anh chi|anh|chi|tong dai|shop|ban|moi nguoi|ac) oi/,
  /^((cho|xin cho) (em|toi|minh|chau|con|tui|e|t|mk|ba|bac|co|chu) |cho |xin (phep )?)hoi( (voi|chut|xiu|ti))?( ve)?/,
  /^(em|toi|minh|chau|con|tui|e) (muon|can|xin|co viec can) hoi( ve)?/,
];

/** Particles, on the word as typed: folded, "da" may be "đã" and "vang" "vàng". */
const PARTICLES = new Set(['dạ', 'vâng', 'ạ', 'à', 'ừ', 'ừm', 'uhm', 'um', 'ơi', 'nha', 'nhé']);

/** Chat shorthand: [with diacritics, without]. Only shorthands with one reading in a citizen's message. */
const SHORTHAND: Record<string, [string, string]> = {
  ko: ['không', 'khong'],
  k0: ['không', 'khong'],
  kg: ['không', 'khong'],
  khg: ['không', 'khong'],
  hok: ['không', 'khong'],
  k: ['không', 'khong'],
  dc: ['được', 'duoc'],
  đc: ['được', 'duoc'],
  j: ['gì', 'gi'],
  z: ['vậy', 'vay'],
  bn: ['bao nhiêu', 'bao nhieu'],
  bnh: ['bao nhiêu', 'bao nhieu'],
  mk: ['mình', 'minh'],
  r: ['rồi', 'roi'],
  ms: ['mới', 'moi'],
  cx: ['cũng', 'cung'],
  vs: ['với', 'voi'],
  trc: ['trước', 'truoc'],
  ntn: ['như thế nào', 'nhu the nao'],
  sdt: ['số điện thoại', 'so dien thoai'],
  sđt: ['số điện thoại', 'so dien thoai'],
  sdd: ['sổ đỏ', 'so do'],
};

/** Acronyms people know in capitals: kept as typed, only upper-cased. */
const ACRONYMS = new Set([
  'cccd',
  'cmnd',
  'gplx',
  'gpxd',
  'gpkd',
  'ubnd',
  'hdnd',
  'hđnd',
  'bhxh',
  'bhyt',
  'bhtn',
  'dvc',
  'hkd',
  'gcn',
  'qsdd',
  'qsdđ',
  'lltp',
  'mst',
  'tthc',
  'csgt',
  'hcc',
  'tncn',
]);

const hasDiacritics = (text: string) => /[\u0300-\u036f]/.test(text.normalize('NFD')) || /đ/i.test(text);

/** Drops the openers at the start, with the punctuation that followed them. */
function withoutOpeners(text: string): string {
  let rest = text.trim();
  for (;;) {
    const words = [...rest.matchAll(/[\p{L}\p{M}\p{N}]+/gu)];
    const f = words.map((w) => fold(w[0])).join(' ');
    const particle = words[0] && PARTICLES.has(words[0][0].toLowerCase()) ? 1 : 0;
    const hit = OPENERS.map((re) => re.exec(f)?.[0]).find((m) => m);
    if (!hit && !particle) return rest;
    const n = hit ? hit.split(' ').length : particle;
    const last = words[n - 1]!;
    rest = rest
      .slice(last.index! + last[0].length)
      .replace(/^[\s,.;:!?…\-–—~]+/u, '')
      .trim();
    if (!rest) return '';
  }
}

function expand(text: string): string {
  const accented = hasDiacritics(text);
  return text.replace(/(?<![\p{L}\p{M}\p{N}])[\p{L}\p{M}\p{N}]+(?![\p{L}\p{M}\p{N}])/gu, (word, at: number) => {
    const lower = word.toLowerCase();
    if (ACRONYMS.has(lower)) return word.toUpperCase();
    if (lower === 'vneid') return 'VNeID';
    const pair = SHORTHAND[lower];
    if (!pair) return word;
    // "500 k" is 500 thousand, not "không".
    if (lower === 'k' && /\p{N}\s*$/u.test(text.slice(0, at))) return word;
    return accented ? pair[0] : pair[1];
  });
}

/** One message of the citizen's, tidied; empty when it held nothing but openers. */
export function tidyPart(text: string): string {
  const rest = withoutOpeners(text.normalize('NFC'));
  return rest ? expand(rest) : '';
}

/** The draft's messages, tidied and joined into the one line the summary shows. */
export function tidyContent(parts: string[]): string {
  const out = parts.map(tidyPart).filter(Boolean).join(' ').replace(/\s+/g, ' ').trim();
  return out.charAt(0).toUpperCase() + out.slice(1);
}
