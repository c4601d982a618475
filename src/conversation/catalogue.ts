/**
 * Every text a citizen reads, in one place, in Vietnamese with diacritics.
 * Keep them short and polite: they are read on a phone.
 */
export const MENU = [
  { title: 'Gửi phản ánh', payload: '#gui_phan_anh' },
  { title: 'Tra cứu', payload: '#tra_cuu' },
  { title: 'Hỏi thủ tục', payload: '#hoi_thu_tuc' },
  { title: 'Gặp tổng đài viên', payload: '#gap_tong_dai_vien' },
] as const;

export const vi = {
  welcome:
    'Chào mừng Anh/Chị đến với Tổng đài tiếp nhận phản ánh, kiến nghị về thủ tục hành chính. ' +
    'Anh/Chị có thể nhắn nội dung cần phản ánh, hỏi thủ tục hoặc tra cứu hồ sơ đã gửi.',
  greeting:
    'Xin chào Anh/Chị! Tổng đài tiếp nhận phản ánh, kiến nghị về thủ tục hành chính sẵn sàng hỗ trợ. ' +
    'Anh/Chị vui lòng nhắn rõ nội dung cần phản ánh hoặc chọn một mục bên dưới.',
  thanks: 'Cảm ơn Anh/Chị. Nếu cần hỗ trợ thêm, Anh/Chị cứ nhắn cho Tổng đài.',
  acknowledged: (code: string) =>
    `Tổng đài đã tiếp nhận phản ánh của Anh/Chị. Mã tra cứu: ${code}. ` +
    'Phản ánh sẽ được chuyển đến cơ quan có thẩm quyền xem xét, trả lời theo quy định. ' +
    'Anh/Chị có thể nhắn mã này để tra cứu tiến độ.',
  attachmentAdded: (code: string) => `Tổng đài đã nhận tệp Anh/Chị gửi và bổ sung vào phản ánh ${code}.`,
  attachmentNeedsText:
    'Tổng đài đã nhận tệp Anh/Chị gửi. Anh/Chị vui lòng nhắn thêm nội dung phản ánh để Tổng đài tiếp nhận.',
  emergency:
    'Nếu đang có nguy hiểm đến tính mạng, tài sản, Anh/Chị hãy gọi ngay: ' +
    '114 (cứu hỏa, cứu nạn), 113 (công an), 115 (cấp cứu). Tổng đài đã ghi nhận và báo cán bộ trực.',
  locationNoted: 'Tổng đài đã ghi nhận vị trí Anh/Chị gửi.',
  infoReceived: 'Tổng đài đã nhận thông tin liên hệ của Anh/Chị. Xin cảm ơn.',
} as const;

/** Deadline texts (issue 6): how a clock stands, and the form-04 apology for a late answer. */
export const viSla = {
  daysLeft: (n: number) => `còn ${n} ngày làm việc`,
  dueToday: 'đến hạn hôm nay',
  overdue: (n: number) => `quá hạn ${n} ngày`,
  paused: 'tạm dừng, chờ bổ sung thông tin',
  met: 'đã hoàn thành',
  superseded: 'đã chuyển đơn vị khác',
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
