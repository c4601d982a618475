import { parseYesNo } from '../parse/yes-no';
import { folded } from '../parse/words';
import { firstIntent } from '../first-intent';
import { tidyContent } from './tidy';
import type { Understanding } from '../../understand/understand';
import type { Draft } from './types';

/** Longest part of the content shown back in the summary: a phone screen, not the whole story. */
const SUMMARY_CHARS = 400;

/** A part that carries no content of its own: a greeting, thanks, yes/no, emoji or nothing. */
export function isFiller(text: string): boolean {
  if (!folded(text)) return true;
  if (parseYesNo(text)) return true;
  const intent = firstIntent(text);
  return intent === 'greeting' || intent === 'thanks' || intent === 'menu';
}

/** The draft's content: its parts in the order written, fillers left out. */
export function draftText(draft: Draft): string {
  return draft.parts
    .filter((p) => !isFiller(p.text))
    .map((p) => p.text.trim())
    .join('\n');
}

export function shortened(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= SUMMARY_CHARS ? flat : `${flat.slice(0, SUMMARY_CHARS - 1).trimEnd()}…`;
}

/** What the summary shows of the draft: tidied (tidy.ts) and short; empty when only openers were written. */
export function summaryContent(draft: Draft): string {
  return shortened(tidyContent(draft.parts.filter((p) => !isFiller(p.text)).map((p) => p.text)));
}

/**
 * The draft's understanding as the citizen confirms it: one who chose "Hỏi thủ tục" asks a question,
 * whatever the model read into it, unless it is clearly something else (a proposal, a complaint, praise).
 */
export function confirmedUnderstanding(draft: Draft): Understanding | undefined {
  const u = draft.understanding;
  if (!u || draft.mode !== 'procedure') return u;
  const k = u.classification.kind;
  if (k !== 'phan_anh' && k !== 'ngoai_pham_vi') return u;
  return { ...u, classification: { ...u.classification, kind: 'hoi_dap' } };
}

/** The Zalo types of an event's attachments ('image', 'file', …), 'file' when unreadable. */
export function attachmentTypes(list: readonly unknown[]): string[] {
  return list.map((a) => {
    const type = (a as { type?: unknown } | null)?.type;
    return typeof type === 'string' ? type : 'file';
  });
}
