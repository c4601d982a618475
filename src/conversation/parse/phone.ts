/**
 * Vietnamese mobile numbers as people type them: 0912 345 678, 0912.345.678, +84 912 345 678,
 * 84912345678. Mobile prefixes after 2018's renumbering: 03, 05, 07, 08, 09, then 8 digits.
 * Returns the national form (0xxxxxxxxx) or null.
 */
export function parseVnMobile(text: string): string | null {
  const compact = text.normalize('NFC').replace(/[\s.\-()]/g, '');
  const m = /^(?:\+?84|0)([35789]\d{8})$/.exec(compact);
  return m ? `0${m[1]}` : null;
}

/** A number anywhere in a short message ("sđt của tôi là 0912 345 678"). */
export function findVnMobile(text: string): string | null {
  const candidates = text.normalize('NFC').match(/(?:\+?84|0)[\d\s.\-()]{8,16}/g) ?? [];
  for (const c of candidates) {
    const phone = parseVnMobile(c.trim());
    if (phone) return phone;
  }
  return null;
}
