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

/** Replies about citizens' images and files (src/attachments/): why one was not accepted. */
export const viMedia = {
  /** How the accepted types are grouped for people (see describeTypes). */
  groupLabels: { image: 'ảnh', document: 'tài liệu', video: 'video', audio: 'ghi âm' },
  tooLarge: (what: string, maxMb: string) =>
    `Tổng đài chưa nhận được ${what} vì dung lượng vượt quá mức cho phép (tối đa ${maxMb} MB). ` +
    'Anh/Chị vui lòng gửi tệp nhỏ hơn, hoặc chia thành nhiều tệp.',
  typeNotAllowed: (what: string, accepted: string) =>
    `Tổng đài chưa nhận được ${what} vì định dạng này không được hỗ trợ. ` +
    `Tổng đài nhận: ${accepted}. Anh/Chị vui lòng gửi lại theo một trong các định dạng trên.`,
  empty: (what: string) => `${what[0]!.toUpperCase()}${what.slice(1)} không có nội dung. Anh/Chị vui lòng gửi lại.`,
  failed: (what: string) =>
    `Tổng đài chưa tải được ${what} (đường dẫn của Zalo có thể đã hết hạn). Anh/Chị vui lòng gửi lại.`,
  /** "the file “don.pdf” you sent" / "the image you sent". */
  what: (kind: string, name?: string | null) =>
    (kind === 'image' || kind === 'gif' ? 'ảnh' : kind === 'video' ? 'video' : kind === 'audio' ? 'ghi âm' : 'tệp') +
    (name ? ` “${name}”` : '') +
    ' Anh/Chị gửi',
} as const;
