/** NFC for storage and display: decomposed input (common from some keyboards) is recomposed. */
export function nfc(text: string): string {
  return text.normalize('NFC');
}

/** Lower case without diacritics, for matching what people type with or without accents. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'd')
    .toLowerCase();
}
