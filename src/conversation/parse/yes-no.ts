import { coreWords, folded } from './words';

/**
 * Reads a typed yes or no, with or without diacritics and in chat shorthand ("có", "co", "dc",
 * "ừ", "uh", "ok"; "không", "ko", "k"). Anything longer than a short answer is not an answer.
 */
export type YesNo = 'yes' | 'no';

const YES = new Set([
  'co',
  'dong y',
  'co dong y',
  'ok',
  'oke',
  'okay',
  'okie',
  'u',
  'uh',
  'uk',
  'dc',
  'duoc',
  'dung',
  'chinh xac',
  'xac nhan',
  'yes',
  'y',
  'gui',
  'gui di',
]);
const NO = new Set(['khong', 'ko', 'k', 'kg', 'khg', 'hong', 'hok', 'no', 'n', 'khong dong y', 'tu choi', 'thoi']);
/** Said alone, these politeness words are a yes ("dạ", "vâng ạ"). */
const POLITE_YES = new Set(['da', 'vang', 'uhm', 'um']);

export function parseYesNo(text: string): YesNo | null {
  const words = coreWords(text);
  if (!words.length) return POLITE_YES.has(folded(text).split(' ')[0] ?? '') ? 'yes' : null;
  if (words.length > 3) return null;
  const phrase = words.join(' ');
  if (NO.has(phrase)) return 'no';
  if (YES.has(phrase)) return 'yes';
  return null;
}
