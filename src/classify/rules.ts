import { normalise } from './normalise';

/**
 * Emergency cues on folded text: danger to life or property happening now. The model decides most
 * cases; these catch short, panicked messages it may not have seen. Past events ("năm ngoái bị
 * cháy") and procedures about fire safety are kept out by the guards.
 */
const DANGER = [
  /\bchay (lon|nha|cho|rung|xuong|quan|to|du|nhu|o|tai|roi|kia)\b/,
  /\b(dang|bi) chay\b/,
  /\bcuu (voi|toi|em|chau|con|nguoi|minh|gium|giup)\b/,
  /\b(tai nan|dam xe|tong xe|xe dam)\b.*\b(bi thuong|nguoi|chet|mau|nang|cap cuu)\b/,
  /\b(cuop|cuop giat|trom)\b.*\b(dang|vua|ngay bay gio|chay ve|tau thoat)\b/,
  /\b(duoi nuoc|chet duoi|roi xuong (song|kenh|ao|ho|muong))\b/,
  /\b(cap cuu|ngat xiu|bat tinh|dot quy|khong tho)\b.*\b(gap|nhanh|ngay|dang|voi)\b/,
  /\b(ro ri|xi) (khi )?gas\b/,
  /\b(sat lo|lu cuon|nuoc cuon)\b/,
  /\b(dam nhau|chem nhau|dao|hung khi)\b.*\b(dang|ngay|gap|mau)\b/,
];
const NOT_NOW = /\b(nam ngoai|nam truoc|thang truoc|hom truoc|truoc day|da lau|giay phep|pccc|phong chay|tham duyet|nghiem thu|ho so|thu tuc|boi thuong|cap lai)\b/;

export function emergencyRule(text: string): boolean {
  const f = normalise(text).folded;
  if (NOT_NOW.test(f)) return false;
  return DANGER.some((re) => re.test(f));
}
