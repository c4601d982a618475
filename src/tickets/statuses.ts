/**
 * The one vocabulary of ticket statuses (domain.md §2), shared by the dialogue, the console, routing
 * and the SLA module. The database refuses any other value (CHECK constraint, migration 0009); the
 * console's labels are here, the citizen's wording is in the dialogue's catalogue, keyed by these.
 */
export const STATUS_LABELS = {
  moi_tiep_nhan: 'Mới tiếp nhận',
  // Routed by the classifier: it is already with the unit (forwarding it again would be refused).
  da_phan_loai: 'Đã tự động chuyển đơn vị xử lý',
  da_chuyen_don_vi: 'Đã chuyển đơn vị xử lý',
  dang_xu_ly: 'Đang xử lý',
  cho_bo_sung: 'Chờ người gửi bổ sung thông tin',
  tra_ve_tong_dai: 'Đơn vị trả về tổng đài (không thuộc thẩm quyền)',
  da_co_ket_qua: 'Đã có kết quả',
  da_cong_khai: 'Đã công khai',
  dong: 'Đã đóng',
  khong_du_dieu_kien: 'Không đủ điều kiện',
  da_gop: 'Đã gộp vào phản ánh khác',
  huong_dan_kenh_khac: 'Hướng dẫn sang kênh khiếu nại/tố cáo',
  da_huy: 'Đã hủy (người gửi rút)',
} as const;
export type Status = keyof typeof STATUS_LABELS;
export const STATUSES = Object.keys(STATUS_LABELS) as Status[];

/** Nothing more is owed to the citizen: never overdue; the citizen can no longer add to or withdraw it. */
export const CLOSED: readonly Status[] = [
  'da_co_ket_qua',
  'da_cong_khai',
  'dong',
  'khong_du_dieu_kien',
  'da_gop',
  'huong_dan_kenh_khac',
  'da_huy',
];

/** Waiting for the hotline's operators. */
export const AT_HOTLINE: readonly Status[] = ['moi_tiep_nhan', 'tra_ve_tong_dai'];
/** With a unit, not answered yet. */
export const AT_UNIT: readonly Status[] = ['da_phan_loai', 'da_chuyen_don_vi', 'dang_xu_ly', 'cho_bo_sung'];
/** Still being worked on: at the hotline or at a unit. */
export const OPEN: readonly Status[] = [...AT_HOTLINE, ...AT_UNIT];

export const isOpenStatus = (s: string): boolean => (OPEN as readonly string[]).includes(s);
export const isStatus = (s: string): s is Status => Object.hasOwn(STATUS_LABELS, s);
export const statusLabel = (s: string): string => (isStatus(s) ? STATUS_LABELS[s] : s);

/** The hotline's own unit code in the routing configuration (triage lands there). */
export const HOTLINE_UNIT = 'tong-dai';
