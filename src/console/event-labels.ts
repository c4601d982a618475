/**
 * Audit-trail event types as staff read them, in the console and in its exports (the client gets the
 * same table through /console/assets/taxonomy.js). A type not listed reads as a generic label.
 */
export const EVENT_LABELS: Readonly<Record<string, string>> = {
  received: 'Tiếp nhận phản ánh',
  classified: 'Bộ phân loại tự động xử lý',
  viewed: 'Xem phản ánh',
  exported: 'Xuất dữ liệu',
  routed: 'Chuyển đơn vị',
  transferred: 'Chuyển sang đơn vị khác',
  transferred_by: 'Chuyển sang đơn vị khác',
  reclassified: 'Sửa phân loại',
  merged: 'Gộp vào phản ánh khác',
  duplicate_attached: 'Nhận phản ánh trùng',
  ineligible: 'Không đủ điều kiện',
  operator_replied: 'Tổng đài viên trả lời',
  accepted: 'Đơn vị tiếp nhận',
  info_requested: 'Đề nghị bổ sung thông tin',
  info_added: 'Người dân bổ sung thông tin',
  returned_not_ours: 'Đơn vị trả về tổng đài',
  answered: 'Đơn vị trả lời',
  extension_requested: 'Đề nghị gia hạn',
  rated: 'Người dân đánh giá',
  rating_comment: 'Người dân góp ý thêm',
  taken_over: 'Tổng đài viên nhận giữ hội thoại',
  handed_back: 'Trả hội thoại cho tổng đài tự động',
  handoff_requested: 'Hội thoại cần tổng đài viên',
  channel_needed: 'Cần liên hệ kênh khác',
  attachment_received: 'Nhận tệp đính kèm',
  attachment_downloaded: 'Tải tệp đính kèm',
  contact_added: 'Người dân để lại số điện thoại liên hệ',
  legal_channel_explained: 'Hướng dẫn kênh khiếu nại, tố cáo',
  withdrawn: 'Người dân rút phản ánh',
  reopened: 'Người dân mở lại phản ánh',
  clock_paused: 'Tạm dừng tính hạn',
  clock_resumed: 'Tiếp tục tính hạn',
  sla_warning: 'Nhắc sắp đến hạn',
  sla_due: 'Báo đến hạn',
  sla_escalated: 'Báo quá hạn lên cấp trên',
  followup: 'Thông báo tiến độ cho người dân',
  followup_called: 'Gọi điện cho người dân',
  canned_answer_created: 'Thêm câu trả lời mẫu',
  canned_answer_updated: 'Sửa câu trả lời mẫu',
  canned_answer_deleted: 'Xóa câu trả lời mẫu',
};

export const UNKNOWN_EVENT = 'Hoạt động khác';

export const eventLabel = (type: string): string =>
  Object.hasOwn(EVENT_LABELS, type) ? EVENT_LABELS[type]! : UNKNOWN_EVENT;
