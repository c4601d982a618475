import { fold } from '../text/fold';
import { MENU } from './catalogue';

/**
 * The first version of understanding a message: enough to greet instead of opening a ticket for
 * "alo" or "cảm ơn ad". The classifier and the dialogue replace it.
 */
export type FirstIntent = 'greeting' | 'thanks' | 'menu' | 'complaint';

const GREETING =
  /^(alo+|a lo|hello|hi+|chao( ban| ad| admin| anh| chi| em| tong dai)?( a)?|xin chao( ad| admin| tong dai)?( a)?|ad oi|admin oi|co ai khong|shop oi)$/;
const THANKS =
  /^(cam on|cam on ad|cam on admin|cam on nhieu|thanks?|thank you|tks|ok cam on|da cam on)( a| nhe| nha| ad| ban)?$/;

export function firstIntent(text: string): FirstIntent {
  const trimmed = text.trim();
  if (MENU.some((m) => m.payload === trimmed)) return 'menu';
  const f = fold(trimmed)
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!f) return 'greeting';
  if (GREETING.test(f)) return 'greeting';
  if (THANKS.test(f)) return 'thanks';
  return 'complaint';
}
