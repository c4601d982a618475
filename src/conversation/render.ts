import { CATEGORIES } from '../classify/taxonomy';
import type { Names } from '../routing/names';
import type { Ticket } from '../tickets/create-ticket';
import { TIME_ZONE } from '../tickets/tracking-code';
import { buttonsMessage, requestUserInfoMessage, textMessage, TEXT_MAX, type CsMessage } from '../zalo/messages';
import { CONFIRM_BUTTONS, INFO_CARD_IMAGE_URL, ticketButtons, vi, type Button } from './catalogue';
import { attachmentTypes, confirmedUnderstanding, summaryContent } from './machine/content';
import { HOTLINE_UNIT, isOpenStatus } from '../tickets/statuses';
import type { Draft } from './machine/types';

/** Turns the machine's replies into Zalo CS messages: pure, given the rows they speak of. */
export type Rendered = { text: string; buttons?: Button[] } | { infoCard: true };

const dateFormat = new Intl.DateTimeFormat('vi-VN', {
  timeZone: TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
export const vnDate = (d: Date) => dateFormat.format(d);

export function renderStatus(t: Ticket, names: Names, withButtons: boolean): Rendered {
  const open = isOpenStatus(t.status);
  const unit = t.unitCode && t.unitCode !== HOTLINE_UNIT ? (names.unit(t.unitCode) ?? undefined) : undefined;
  const text = vi.status({
    code: t.trackingCode,
    status: t.status,
    unit,
    due: open && t.answerDueAt ? vnDate(t.answerDueAt) : undefined,
  });
  return withButtons && open ? { text, buttons: ticketButtons(t.trackingCode) } : { text };
}

export function renderSummary(draft: Draft, names: Names): Rendered {
  const u = confirmedUnderstanding(draft);
  const commune = u?.decision.commune;
  const category = u?.classification.category;
  const text = vi.summary({
    content: summaryContent(draft),
    kind: u?.classification.kind ?? (draft.mode === 'procedure' ? 'hoi_dap' : undefined),
    categoryLabel: category && category !== 'khac' ? CATEGORIES[category] : undefined,
    communeName: commune ? (names.commune(commune) ?? undefined) : undefined,
    attachments: draft.attachments.flatMap((a) => attachmentTypes(a.attachments)),
  });
  return { text, buttons: CONFIRM_BUTTONS };
}

/** Splits text longer than Zalo takes, at a line or word boundary where there is one. */
function chunks(text: string): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > TEXT_MAX) {
    const cut = Math.max(rest.lastIndexOf('\n', TEXT_MAX), rest.lastIndexOf(' ', TEXT_MAX));
    const at = cut > TEXT_MAX / 2 ? cut : TEXT_MAX;
    out.push(rest.slice(0, at));
    rest = rest.slice(at).trimStart();
  }
  out.push(rest);
  return out;
}

/**
 * One step's replies as few messages as possible: consecutive texts are joined into one message
 * (the buttons of the last go with it), so they can never arrive out of order.
 */
export function toMessages(replies: Rendered[], code?: string): CsMessage[] {
  const out: CsMessage[] = [];
  let texts: string[] = [];
  const fill = (s: string) => (code ? s.replaceAll('{code}', code) : s);
  const flush = (buttons?: Button[]) => {
    if (!texts.length) return;
    const parts = chunks(fill(texts.join('\n\n')));
    texts = [];
    parts.forEach((p, i) =>
      out.push(
        buttons && i === parts.length - 1
          ? buttonsMessage(
              p,
              buttons.map((b) => ({ type: 'oa.query.hide' as const, title: b.title, payload: fill(b.payload) })),
            )
          : textMessage(p),
      ),
    );
  };
  for (const r of replies) {
    if ('infoCard' in r) {
      flush();
      out.push(requestUserInfoMessage({ ...vi.infoCard, imageUrl: INFO_CARD_IMAGE_URL }));
      continue;
    }
    texts.push(r.text);
    if (r.buttons) flush(r.buttons);
  }
  flush();
  return out;
}
