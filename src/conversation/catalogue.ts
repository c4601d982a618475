import { isStatus, type Status } from '../tickets/statuses';
import { attachmentCounts } from './catalogue-media';

export { attachmentNoun, attachmentsNoun, viMedia } from './catalogue-media';
export { CONTACT_NOTICE, CONTACT_NOTICE_HISTORY } from './catalogue-notice';

/**
 * Every text a citizen reads, in one place, in Vietnamese with diacritics.
 * Keep them short and polite: they are read on a phone.
 */
export const PAYLOAD = {
  menu: '#menu',
  report: '#gui_phan_anh',
  lookup: '#tra_cuu',
  askProcedure: '#hoi_thu_tuc',
  handoff: '#gap_tong_dai_vien',
  confirm: '#xac_nhan',
  edit: '#sua',
  cancel: '#huy',
  yes: '#dong_y',
  no: '#khong',
  withdraw: '#rut',
  addInfo: '#bo_sung',
  reopen: '#chua_giai_quyet',
  rate: '#danh_gia',
} as const;

export const MENU = [
  { title: 'Gửi phản ánh', payload: PAYLOAD.report },
  { title: 'Tra cứu', payload: PAYLOAD.lookup },
  { title: 'Hỏi thủ tục', payload: PAYLOAD.askProcedure },
  { title: 'Gặp tổng đài viên', payload: PAYLOAD.handoff },
] as const;

export interface Button {
  title: string;
  payload: string;
}

/** The picture on the request_user_info card (Zalo requires one). */
export const INFO_CARD_IMAGE_URL = 'https://stc-zaloprofile.zdn.vn/pc/v1/images/zalo_sharelogo.png';

export const CONFIRM_BUTTONS: Button[] = [
  { title: 'Xác nhận', payload: PAYLOAD.confirm },
  { title: 'Sửa', payload: PAYLOAD.edit },
  { title: 'Hủy', payload: PAYLOAD.cancel },
];
export const YES_NO_BUTTONS: Button[] = [
  { title: 'Đồng ý', payload: PAYLOAD.yes },
  { title: 'Không', payload: PAYLOAD.no },
];
export const ratingButtons = (code: string): Button[] =>
  [1, 2, 3, 4, 5].map((n) => ({ title: `${n} ★`, payload: `${PAYLOAD.rate}:${code}/${n}` }));
export const ticketButtons = (code: string): Button[] => [
  { title: 'Bổ sung thông tin', payload: `${PAYLOAD.addInfo}:${code}` },
  { title: 'Rút phản ánh', payload: `${PAYLOAD.withdraw}:${code}` },
];

/** Ticket statuses as the citizen reads them (domain.md §2): one wording per status of src/tickets/statuses.ts. */
export const STATUS_LABEL: Record<Status, string> = {
  moi_tiep_nhan: 'Mới tiếp nhận',
  // Routed by the classifier: for the citizen it is already with the unit.
  da_phan_loai: 'Đã chuyển đơn vị xử lý',
  da_chuyen_don_vi: 'Đã chuyển đơn vị xử lý',
  dang_xu_ly: 'Đang xử lý',
  cho_bo_sung: 'Chờ Anh/Chị bổ sung thông tin',
  tra_ve_tong_dai: 'Tổng đài đang chuyển đến đơn vị có thẩm quyền',
  da_co_ket_qua: 'Đã có kết quả',
  da_cong_khai: 'Đã công khai kết quả',
  dong: 'Đã đóng',
  khong_du_dieu_kien: 'Không đủ điều kiện xử lý',
  da_gop: 'Đã gộp với phản ánh cùng nội dung',
  huong_dan_kenh_khac: 'Đã hướng dẫn sang kênh khiếu nại, tố cáo',
  da_huy: 'Đã rút (người gửi hủy)',
};
export const citizenStatus = (s: string) => (isStatus(s) ? STATUS_LABEL[s] : s);

const KIND_LABEL: Record<string, string> = {
  phan_anh: 'Phản ánh',
  kien_nghi: 'Kiến nghị',
  hoi_dap: 'Hỏi đáp',
  khieu_nai_to_cao: 'Khiếu nại, tố cáo',
  khen: 'Góp ý, khen ngợi',
  ngoai_pham_vi: 'Phản ánh',
};

export interface SummaryFacts {
  content: string;
  kind?: string;
  categoryLabel?: string;
  communeName?: string;
  /** The attachment types of the draft ('image', 'file', …), one per attachment. */
  attachments: string[];
}

export const vi = {
  welcome:
    'Chào mừng Anh/Chị đến với Tổng đài tiếp nhận phản ánh, kiến nghị về thủ tục hành chính. ' +
    'Anh/Chị có thể nhắn nội dung cần phản ánh, hỏi thủ tục hoặc tra cứu hồ sơ đã gửi.',
  greeting:
    'Xin chào Anh/Chị! Tổng đài tiếp nhận phản ánh, kiến nghị về thủ tục hành chính sẵn sàng hỗ trợ. ' +
    'Anh/Chị vui lòng nhắn rõ nội dung cần phản ánh hoặc chọn một mục bên dưới.',
  thanks: 'Cảm ơn Anh/Chị. Nếu cần hỗ trợ thêm, Anh/Chị cứ nhắn cho Tổng đài.',
  askContent: 'Anh/Chị vui lòng nhắn nội dung cần phản ánh, kiến nghị (việc gì, ở đâu, từ khi nào).',
  askContentAfterFiles: (noun: string) =>
    `Tổng đài đã nhận ${noun} Anh/Chị gửi. Anh/Chị vui lòng nhắn thêm nội dung phản ánh để Tổng đài tiếp nhận.`,
  askProcedure:
    'Anh/Chị vui lòng nhắn câu hỏi về thủ tục (tên thủ tục, nơi nộp). Thông tin thủ tục cũng có trên ' +
    'Cổng Dịch vụ công quốc gia: https://dichvucong.gov.vn',
  askCommune:
    'Việc này do xã/phường giải quyết. Anh/Chị vui lòng cho biết xã/phường nơi nộp hồ sơ hoặc nơi xảy ra sự việc.',
  askCommuneAgain:
    'Tổng đài chưa nhận ra tên xã/phường. Anh/Chị vui lòng nhắn lại tên xã/phường (ví dụ: phường Cái Khế).',
  summary: (f: SummaryFacts) => {
    const lines = [
      'Anh/Chị vui lòng kiểm tra lại thông tin:',
      `• Nội dung: ${f.content}`,
      `• Loại: ${KIND_LABEL[f.kind ?? ''] ?? 'Phản ánh'}${f.categoryLabel ? ` – ${f.categoryLabel}` : ''}`,
    ];
    if (f.communeName) lines.push(`• Xã/phường: ${f.communeName}`);
    if (f.attachments.length) lines.push(`• Đính kèm: ${attachmentCounts(f.attachments)}`);
    lines.push('Bấm "Xác nhận" (hoặc nhắn "có") để gửi, "Sửa" để nhắn lại, "Hủy" để bỏ.');
    return lines.join('\n');
  },
  askRewrite: 'Anh/Chị vui lòng nhắn lại nội dung phản ánh đầy đủ. Ảnh, tệp đã gửi vẫn được giữ.',
  cancelled: 'Tổng đài đã hủy nội dung vừa soạn. Khi cần, Anh/Chị cứ nhắn lại.',
  confirmHint: 'Anh/Chị bấm "Xác nhận" hoặc nhắn "có" để gửi, "Sửa" để nhắn lại, "Hủy" để bỏ.',
  acknowledged: (code: string, question = false) =>
    question
      ? `Tổng đài đã tiếp nhận câu hỏi của Anh/Chị. Mã tra cứu: ${code}. ` +
        'Câu hỏi sẽ được chuyển đến cơ quan có thẩm quyền trả lời theo quy định. ' +
        'Anh/Chị có thể nhắn mã này để tra cứu tiến độ.'
      : `Tổng đài đã tiếp nhận phản ánh của Anh/Chị. Mã tra cứu: ${code}. ` +
        'Phản ánh sẽ được chuyển đến cơ quan có thẩm quyền xem xét, trả lời theo quy định. ' +
        'Anh/Chị có thể nhắn mã này để tra cứu tiến độ.',
  procedurePointer:
    'Trong khi chờ trả lời, Anh/Chị có thể xem hướng dẫn thủ tục trên Cổng Dịch vụ công quốc gia: https://dichvucong.gov.vn',
  complaintChannel:
    'Lưu ý: khiếu nại quyết định hành chính được giải quyết theo Luật Khiếu nại 2011 (trả lời lần đầu trong 30 ngày, ' +
    'việc phức tạp 45 ngày), tố cáo theo Luật Tố cáo 2018: Anh/Chị gửi đơn có chữ ký tới cơ quan đã ra quyết định ' +
    'hoặc Thanh tra tỉnh. Tổng đài vẫn ghi nhận và hướng dẫn Anh/Chị.',
  emergency:
    'Nếu đang có nguy hiểm đến tính mạng, tài sản, Anh/Chị hãy gọi ngay: ' +
    '114 (cứu hỏa, cứu nạn), 113 (công an), 115 (cấp cứu). Tổng đài đã ghi nhận và báo cán bộ trực.',
  emergencyRecorded: (code: string) => `Mã ghi nhận: ${code}.`,
  consentThanks: 'Cảm ơn Anh/Chị. Anh/Chị vui lòng bấm chia sẻ thông tin hoặc nhắn số điện thoại di động.',
  consentDeclined: 'Tổng đài đã ghi nhận. Kết quả sẽ được trả lời cho Anh/Chị qua Zalo này.',
  phoneSaved: 'Tổng đài đã lưu số điện thoại để cán bộ gọi lại khi cần. Xin cảm ơn Anh/Chị.',
  phoneInvalid:
    'Số điện thoại chưa đúng. Anh/Chị vui lòng nhắn số di động 10 chữ số (ví dụ 0912345678), hoặc nhắn "không" để bỏ qua.',
  infoCard: {
    title: 'Chia sẻ thông tin liên hệ',
    subtitle: 'Số điện thoại chỉ dùng để cán bộ liên hệ về phản ánh của Anh/Chị.',
  },
  infoReceived: 'Tổng đài đã nhận thông tin liên hệ của Anh/Chị. Xin cảm ơn.',
  infoNotStored: 'Tổng đài chưa lưu thông tin liên hệ vì Anh/Chị chưa đồng ý với mục đích sử dụng.',
  locationNoted: 'Tổng đài đã ghi nhận vị trí Anh/Chị gửi.',
  attachmentAdded: (code: string, noun: string) =>
    `Tổng đài đã nhận ${noun} Anh/Chị gửi và bổ sung vào phản ánh ${code}.`,
  /** While an operator holds the conversation: once per burst of files. */
  attachmentForOperator: (noun: string, code?: string) =>
    code
      ? `Tổng đài đã nhận ${noun} và bổ sung vào phản ánh ${code}. Tổng đài viên sẽ xem khi trả lời Anh/Chị.`
      : `Tổng đài đã nhận ${noun}. Tổng đài viên sẽ xem khi trả lời Anh/Chị.`,
  lookupAsk: 'Anh/Chị vui lòng nhắn mã tra cứu (ví dụ PA-2026-000123).',
  lookupNone: 'Anh/Chị chưa có phản ánh nào. Anh/Chị có thể nhắn nội dung để gửi phản ánh mới.',
  lookupNotFound: (code: string) =>
    `Tổng đài không tìm thấy phản ánh mã ${code} của Anh/Chị. Anh/Chị vui lòng kiểm tra lại mã.`,
  status: (s: { code: string; status: string; unit?: string; due?: string; note?: string }) =>
    [
      `Phản ánh ${s.code}: ${citizenStatus(s.status)}.`,
      s.unit ? `Đơn vị xử lý: ${s.unit}.` : 'Đơn vị xử lý: Tổng đài đang phân loại.',
      s.due ? `Dự kiến trả lời trước ngày ${s.due}.` : '',
      s.note ?? '',
    ]
      .filter(Boolean)
      .join('\n'),
  lookupList: (lines: string[]) => `Các phản ánh gần đây của Anh/Chị:\n${lines.join('\n')}\nNhắn mã để xem chi tiết.`,
  addInfoAsk: (code: string) => `Anh/Chị vui lòng nhắn thông tin hoặc gửi ảnh, tệp cần bổ sung cho phản ánh ${code}.`,
  infoAdded: (code: string) => `Tổng đài đã bổ sung thông tin vào phản ánh ${code}. Xin cảm ơn Anh/Chị.`,
  /** A unit asked while the citizen was writing a new report: the draft waits. */
  draftKept: 'Phản ánh mới Anh/Chị đang soạn vẫn được giữ; Tổng đài sẽ hỏi tiếp sau khi Anh/Chị trả lời yêu cầu này.',
  draftResumed: 'Mời Anh/Chị tiếp tục với phản ánh đang soạn:',
  noOpenTicket: 'Anh/Chị không có phản ánh nào đang xử lý.',
  withdrawAsk: (code: string) => `Anh/Chị chắc chắn muốn rút phản ánh ${code}? Nhắn "có" để rút, "không" để giữ.`,
  withdrawn: (code: string) => `Tổng đài đã ghi nhận Anh/Chị rút phản ánh ${code}.`,
  kept: 'Tổng đài giữ nguyên phản ánh của Anh/Chị.',
  progress: (code: string, note: string) => `Phản ánh ${code}: ${note}`,
  statusChanged: (code: string, status: string) =>
    `Phản ánh ${code} đã chuyển sang trạng thái: ${citizenStatus(status)}.`,
  answered: (code: string, answer: string) => `Trả lời phản ánh ${code}:\n${answer}`,
  askInfo: (code: string, question: string) =>
    `Để xử lý phản ánh ${code}, cơ quan xử lý cần Anh/Chị cung cấp thêm thông tin:\n${question}\n` +
    'Anh/Chị vui lòng nhắn trả lời hoặc gửi ảnh, tệp ngay tại đây.',
  operatorReply: (code: string | undefined, text: string) =>
    code ? `Tổng đài viên trả lời về phản ánh ${code}:\n${text}` : `Tổng đài viên:\n${text}`,
  askRating: 'Anh/Chị đánh giá kết quả giải quyết từ 1 (rất không hài lòng) đến 5 (rất hài lòng):',
  askRatingAgain: 'Anh/Chị vui lòng chọn hoặc nhắn một số từ 1 đến 5.',
  askComment: 'Cảm ơn Anh/Chị đã đánh giá. Anh/Chị có góp ý thêm không? (nhắn "không" để bỏ qua)',
  ratingThanks: 'Tổng đài cảm ơn góp ý của Anh/Chị.',
  reopened: (code: string) =>
    `Tổng đài đã mở lại phản ánh ${code} và chuyển lại cơ quan xử lý. Anh/Chị sẽ nhận được trả lời qua Zalo này.`,
  reopenNone: 'Tổng đài không tìm thấy phản ánh nào vừa được trả lời để mở lại. Anh/Chị có thể gửi phản ánh mới.',
  reopenTooLate: (code: string, days: number) =>
    `Phản ánh ${code} đã trả lời quá ${days} ngày nên không thể mở lại. Anh/Chị vui lòng gửi phản ánh mới.`,
  handoff: 'Tổng đài đã chuyển cuộc trò chuyện cho tổng đài viên. Anh/Chị vui lòng chờ trong giây lát.',
  handBack: 'Tổng đài viên đã hoàn tất hỗ trợ. Nếu cần, Anh/Chị cứ nhắn tiếp cho Tổng đài.',
  deletionAsk:
    'Anh/Chị muốn xóa dữ liệu cá nhân (số điện thoại, tên, nội dung đã nhắn)? Phản ánh đang xử lý sẽ được rút. ' +
    'Nhắn "có" để xóa, "không" để giữ.',
  deletionDone: 'Tổng đài đã xóa dữ liệu cá nhân của Anh/Chị. Xin cảm ơn.',
  deletionKept: 'Tổng đài giữ nguyên dữ liệu của Anh/Chị.',
  spam: 'Anh/Chị đang gửi quá nhiều tin nhắn. Tổng đài tạm dừng trả lời trong ít phút; phản ánh xin gửi gọn trong một tin.',
  notUnderstood: 'Tổng đài chưa hiểu ý Anh/Chị. Anh/Chị vui lòng chọn một mục bên dưới.',
} as const;

/** Automatic follow-up (issue 6 item 5): the progress update and what operators' call list says. */
export const viFollowup = {
  progressNote: (status: string, due: string | null) =>
    [
      `đang ở bước "${citizenStatus(status)}".`,
      due ? `Cơ quan xử lý sẽ trả lời trước ngày ${due}.` : '',
      'Tổng đài sẽ tiếp tục cập nhật tiến độ cho Anh/Chị.',
    ]
      .filter(Boolean)
      .join(' '),
  /** ZNS template parameters carry the status label, not our internal code. */
  statusLabel: (status: string) => citizenStatus(status),
  callKind: { progress: 'Báo tiến độ', answer: 'Báo kết quả', rating: 'Xin đánh giá' } as Record<string, string>,
  callReason: {
    no_phone: 'Người gửi chưa để lại số điện thoại',
    zns_not_configured: 'Chưa cấu hình mẫu ZNS',
    ZNS_RECIPIENT_UNREACHABLE: 'Số điện thoại không nhận được ZNS',
    ZNS_TEMPLATE_INVALID: 'Mẫu ZNS bị Zalo từ chối',
  } as Record<string, string>,
} as const;

/** Deadline texts (issue 6): how a clock stands, and the form-04 apology for a late answer. */
export const viSla = {
  daysLeft: (n: number) => `còn ${n} ngày làm việc`,
  dueToday: 'đến hạn hôm nay',
  overdue: (n: number) => `quá hạn ${n} ngày`,
  paused: 'tạm dừng, chờ bổ sung thông tin',
  met: 'đã hoàn thành',
  superseded: 'đã chuyển đơn vị khác',
  cancelled: 'đã dừng (phản ánh đã đóng)',
  clock: {
    first_response: 'Tiếp nhận, phản hồi ban đầu',
    forward: 'Phân loại, chuyển cơ quan có thẩm quyền',
    answer: 'Trả lời người gửi',
    publish: 'Công khai kết quả',
  },
  /** Circular 01/2018/TT-VPCP, form 04 (Phiếu xin lỗi và hẹn lại ngày trả kết quả), worded for a PAKN. */
  lateApology: (p: {
    agency: string;
    trackingCode: string;
    receivedDate: string;
    dueDate: string;
    newDate: string;
    reason: string;
  }) =>
    'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ\n' +
    `${p.agency} xin lỗi Ông/Bà: phản ánh, kiến nghị mã ${p.trackingCode}, tiếp nhận ngày ${p.receivedDate}, ` +
    `hẹn trả lời ngày ${p.dueDate}, đến nay chưa có kết quả trả lời đúng hạn.\n` +
    `Lý do chậm trễ: ${p.reason}.\n` +
    `Sự chậm trễ này đã gây phiền hà cho Ông/Bà. ${p.agency} xin hẹn lại ngày trả lời là ngày ${p.newDate}.\n` +
    'Mong Ông/Bà thông cảm.',
  digest: {
    unitSubject: (unit: string, date: string) => `[Tổng đài CCHC] Hạn xử lý phản ánh của ${unit} ngày ${date}`,
    unitIntro: (overdue: number, soon: number) =>
      `Đơn vị đang có ${overdue} phản ánh quá hạn và ${soon} phản ánh đến hạn trong 2 ngày làm việc tới.`,
    overdueHeading: 'Quá hạn:',
    soonHeading: 'Sắp đến hạn:',
    none: '(không có)',
    line: (code: string, clock: string, label: string) => `- ${code}: ${clock} — ${label}`,
    inspectionSubject: (from: string, to: string) => `[Tổng đài CCHC] Tổng hợp hạn xử lý từ ${from} đến ${to}`,
    inspectionHeader:
      'Đơn vị | Đang xử lý | Quá hạn | Quá hạn lâu nhất (ngày) | Đã trả lời | Đúng hạn (%) | TB ngày làm việc',
    inspectionLine: (
      u: string,
      open: number,
      overdue: number,
      max: number,
      answered: number,
      rate: string,
      avg: string,
    ) => `${u} | ${open} | ${overdue} | ${max} | ${answered} | ${rate} | ${avg}`,
  },
} as const;
