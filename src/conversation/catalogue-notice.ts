/**
 * The contact notice (Law 91/2025: purpose, who processes, that it is optional, how to withdraw). Its
 * version is recorded with every answer, so a new wording needs a new version; the wordings shown
 * before stay in CONTACT_NOTICE_HISTORY so that every recorded answer can be read with its text.
 */
export const CONTACT_NOTICE = {
  purpose: 'contact_callback',
  version: 'contact-callback-v2',
  text:
    'Để cán bộ gọi lại khi cần, Anh/Chị có đồng ý cung cấp số điện thoại không? Việc này không bắt buộc. ' +
    'Tổng đài chỉ dùng số này để liên hệ về phản ánh của Anh/Chị; muốn rút lại, Anh/Chị nhắn "xóa dữ liệu của tôi".',
} as const;

export const CONTACT_NOTICE_HISTORY: Record<string, string> = {
  'contact-callback-v1':
    'Nếu Anh/Chị muốn cán bộ gọi điện lại, Tổng đài cần số điện thoại của Anh/Chị. ' +
    'Số điện thoại chỉ dùng để liên hệ về phản ánh này, được bảo vệ theo Luật Bảo vệ dữ liệu cá nhân ' +
    'và Anh/Chị có thể yêu cầu xóa bất cứ lúc nào (nhắn "xóa dữ liệu của tôi"). ' +
    'Tổng đài không bao giờ yêu cầu ảnh căn cước. Anh/Chị có đồng ý cung cấp số điện thoại không?',
  [CONTACT_NOTICE.version]: CONTACT_NOTICE.text,
};
