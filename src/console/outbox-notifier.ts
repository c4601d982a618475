import { notifyCitizen } from '../conversation/notify';
import { putInOutbox } from '../outbound/outbox';
import type { CitizenNotifier, CitizenMessageKind } from './ports';

// TODO(lead): replace with the dialogue catalogue's wording (src/conversation/catalogue.ts).
const PREFIX: Record<Exclude<CitizenMessageKind, 'answer'>, (code: string) => string> = {
  operator_reply: (code) => `Tổng đài viên trả lời về phản ánh ${code}:\n`,
  ask_info: (code) => `Để xử lý phản ánh ${code}, cơ quan xử lý cần anh/chị cung cấp thêm thông tin:\n`,
};

/**
 * Messages from the console through the outbox (the outbound queue sends them). An answer goes
 * through the dialogue's notifyCitizen, so the citizen gets its wording and the rating question, and
 * what the citizen types next is read as the rating.
 */
export const outboxNotifier: CitizenNotifier = {
  compose: async (tx, ticket, kind, text, dedupeKey) => {
    if (kind === 'answer')
      return (await notifyCitizen(tx, ticket.id, 'answered', { key: dedupeKey, answer: text })).outboxIds;
    const body = `${PREFIX[kind](ticket.trackingCode)}${text}`.slice(0, 2000);
    return [
      await putInOutbox(tx, { dedupeKey, zaloUserId: ticket.zaloUserId, ticketId: ticket.id, message: { text: body } }),
    ];
  },
};
