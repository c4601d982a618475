import { fold } from '../text/fold';
import { ABBREVIATIONS } from './abbreviations';

/**
 * Normalises Vietnamese chat text for matching and features: NFC, lower case, emoji and punctuation
 * to spaces, chat abbreviations and domain shorthands expanded, then (for `folded`) diacritics removed
 * so that "sổ đỏ", "so do" and "sdd" meet.
 */
export interface Normalised {
  /** NFC, lower case, abbreviations expanded, punctuation removed: keeps diacritics. */
  text: string;
  /** The same without diacritics: what features and rules match on. */
  folded: string;
  /** Folded syllables. */
  tokens: string[];
}

const FOLDED_ABBREVIATIONS = new Map(Object.entries(ABBREVIATIONS).map(([k, v]) => [fold(k), v]));

/** Letters (any script, with combining marks) and digits are kept; everything else separates words. */
const NON_WORD = /[^\p{L}\p{M}\p{N}]+/gu;

/** Splits digits glued to letters ("3thang") so the word is seen; "500k" is 500 thousand, not "không". */
function splitDigits(word: string): string[] {
  const parts = word.match(/\p{N}+|[\p{L}\p{M}]+/gu) ?? [word];
  return parts.map((p, i) => (p === 'k' && i > 0 && /^\p{N}+$/u.test(parts[i - 1]!) ? 'nghìn' : p));
}

export function normalise(input: string): Normalised {
  const words = input.normalize('NFC').toLowerCase().replace(NON_WORD, ' ').trim().split(/\s+/).filter(Boolean);
  const expanded: string[] = [];
  for (const raw of words) {
    for (const w of /\p{N}/u.test(raw) && /\p{L}/u.test(raw) ? splitDigits(raw) : [raw]) {
      const hit = FOLDED_ABBREVIATIONS.get(fold(w));
      // Expand only words typed without their own accents, so a real "cá" is not read as "chị".
      expanded.push(hit && (w === fold(w) || ABBREVIATIONS[w] !== undefined) ? hit : w);
    }
  }
  const text = expanded.join(' ').normalize('NFC');
  const folded = fold(text);
  return { text, folded, tokens: folded ? folded.split(' ') : [] };
}
