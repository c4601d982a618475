import { normalise } from './normalise';

/**
 * Emergency cues on folded text: danger to life or property happening now. The model decides most
 * cases; these catch short, panicked messages it may not have seen. Each cue pairs a danger with a
 * sign that it is happening (or a victim); past events, permits and policy proposals are excluded.
 */
const DANGER: RegExp[] = [
  /\b(dang chay|chay lon|boc chay|lua boc|chay du doi|chay ngun|lua dang lan)\b/,
  /\bcuu (voi|toi|em|chau|con|nguoi|minh|gium|giup)\b/,
  /\b(goi|can|xin) (xe )?cap cuu\b|\bcap cuu gap\b/,
  /\b(tong (nguoi|ng|xe|vao)|tai nan|lat xe|xe lat)\b.*\b(nam im|bat tinh|chay mau|bi thuong|chet|gay chan|nguoi nam|mat nhieu mau)\b/,
  /\b(dang duoi nuoc|te song|te xuong song|roi xuong (song|kenh|ao|ho|muong|rach)|bi nuoc cuon)\b/,
  /\b(ngat xiu|bat tinh|dot quy|ngung tho|co giat)\b.*\b(gap|nhanh|ngay|dang|cuu|giup)\b/,
  /\b(cuop|cuop giat)\b.*\b(dang|vua|chay ve|tau thoat|bo chay)\b/,
  /\b(ro ri|xi) (khi )?(gas|ga|khi doc)\b|\bmui gas\b/,
  /\b(ma tau|cam dao|dao phay|hung khi|chem nhau|dam nhau)\b/,
];
const NOT_NOW =
  /\b(nam ngoai|nam truoc|thang truoc|hom truoc|tuan truoc|truoc day|da lau|hoi thang|giay phep|pccc|phong chay|tham duyet|nghiem thu|ho so|thu tuc|boi thuong|cap lai|lam lai|chinh sach|de nghi|kien nghi|bao hiem|hoan tien|thanh toan|khai tu|dang ky|thu hoi|tong dai)\b/;

export function emergencyRule(text: string): boolean {
  const f = normalise(text).folded;
  if (NOT_NOW.test(f)) return false;
  return DANGER.some((re) => re.test(f));
}
