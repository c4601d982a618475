import { folded } from './words';

/** A rating 1–5 as typed: "5", "5 sao", "4*", "⭐⭐⭐", "năm sao", "3/5". */
const WORDS: Record<string, number> = { mot: 1, hai: 2, ba: 3, bon: 4, tu: 4, nam: 5 };

export function parseRating(text: string): number | null {
  const stars = [...text].filter((c) => c === '⭐' || c === '★').length;
  if (stars >= 1 && stars <= 5 && !/\d/.test(text)) return stars;
  const f = folded(text.replace(/\*/g, ' sao '));
  const digit = /^([1-5])(?: ?\/ ?5| 5)?(?: sao| diem)?$/.exec(f);
  if (digit) return Number(digit[1]);
  const word = /^(mot|hai|ba|bon|tu|nam)(?: sao| diem)?$/.exec(f);
  return word ? WORDS[word[1]!]! : null;
}
