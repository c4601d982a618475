import { fold } from '../../text/fold';

/** Folded (no diacritics, lower case), punctuation and emoji to spaces, single-spaced: what the parsers match on. */
export function folded(text: string): string {
  return fold(text.normalize('NFC'))
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Politeness particles people add to a short answer ("có ạ", "ok nhé", "dạ không"). */
const PARTICLES = /^(da|vang|uhm|um|thi|a|nhe|nha|nhen|ha|ban|ad|admin|em|anh|chi|roi|luon|oi)$/;

/** The folded words with politeness particles removed. */
export function coreWords(text: string): string[] {
  return folded(text)
    .split(' ')
    .filter((w) => w && !PARTICLES.test(w));
}
