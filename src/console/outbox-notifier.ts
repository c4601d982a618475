import { putInOutbox } from '../outbound/outbox';
import type { CitizenNotifier, CitizenMessageKind } from './ports';

// TODO(lead): replace with the dialogue catalogue's wording (src/conversation/catalogue.ts).
const PREFIX: Record<CitizenMessageKind, (code: string) => string> = {
  operator_reply: (code) => `Tổng đài viên trả lời về phản ánh ${code}:\n`,
  ask_info: (code) => `Để xử lý phản ánh ${code}, cơ quan xử lý cần anh/chị cung cấp thêm thông tin:\n`,
  answer: (code) => `Kết quả xử lý phản ánh ${code}:\n`,
};

/** The stand-in notifier: one plain text message through the outbox (the outbound queue sends it). */
export const outboxNotifier: CitizenNotifier = {
  compose: async (tx, ticket, kind, text, dedupeKey) => {
    const body = `${PREFIX[kind](ticket.trackingCode)}${text}`.slice(0, 2000);
    return [
      await putInOutbox(tx, { dedupeKey, zaloUserId: ticket.zaloUserId, ticketId: ticket.id, message: { text: body } }),
    ];
  },
};
