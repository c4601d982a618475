import type { Normalised } from './normalise';

/**
 * Sparse binary features of a normalised message: folded syllables and syllable pairs (what the
 * message is about), character 3–5-grams of the folded text (robust to typos and glued words), and
 * accented syllables when the writer used diacritics (sổ vs số).
 */
export function featureStrings(n: Normalised): string[] {
  const out = new Set<string>();
  const t = n.tokens;
  for (let i = 0; i < t.length; i++) {
    out.add(`w:${t[i]}`);
    if (i + 1 < t.length) out.add(`b:${t[i]}_${t[i + 1]}`);
  }
  const padded = ` ${n.folded} `;
  for (let size = 3; size <= 5; size++) {
    for (let i = 0; i + size <= padded.length; i++) out.add(`c:${padded.slice(i, i + size)}`);
  }
  for (const word of n.text.split(' ')) {
    if (word && /[^\x00-\x7f]/.test(word)) out.add(`a:${word}`);
  }
  if (t.length <= 3) out.add('len:short');
  else if (t.length >= 40) out.add('len:long');
  return [...out];
}

/** Maps feature strings to ids of a fixed vocabulary, dropping unknown ones. */
export function featureIds(features: string[], vocab: ReadonlyMap<string, number>): Int32Array {
  const ids: number[] = [];
  for (const f of features) {
    const id = vocab.get(f);
    if (id !== undefined) ids.push(id);
  }
  return Int32Array.from(ids);
}
