import { maskPhonesIn } from '../privacy/mask';
import type { Ticket } from '../tickets/create-ticket';
import type { DashboardFigures } from './dashboard';
import { ticketSummary } from './ticket-list';
import type { Sheet } from './xlsx';

/**
 * The tables the console exports (CSV: one table; XLSX: one sheet each), with their Vietnamese
 * headers. Personal data is masked unless the reader's role may see it.
 */
export function ticketSheet(rows: Ticket[], plain: boolean, now = new Date()): Sheet {
  return {
    name: 'Phản ánh',
    header: [
      'Mã phản ánh',
      'Trạng thái',
      'Lĩnh vực',
      'Loại',
      'Cán bộ',
      'Đơn vị',
      'Xã/phường',
      'Tiếp nhận',
      'Hạn trả lời',
      'Quá hạn',
      'Nội dung',
    ],
    rows: rows.map((t) => {
      const r = ticketSummary(t, now);
      return [
        r.trackingCode,
        r.statusLabel,
        r.category,
        r.kind,
        r.conduct ? 'có' : '',
        r.unitCode,
        r.communeCode,
        r.receivedAt,
        r.answerDueAt,
        r.overdue ? 'quá hạn' : '',
        plain ? t.content : maskPhonesIn(t.content),
      ];
    }),
  };
}

const rate = (v: number | null) => (v == null ? null : Math.round(v * 1000) / 10);

/** The dashboard's sections; the figures hold no personal data (codes, units, counts). */
export function dashboardSheets(f: DashboardFigures): Sheet[] {
  return [
    {
      name: 'Đúng hạn theo đơn vị',
      header: ['Đơn vị', 'Đã trả lời', 'Đúng hạn', 'Tỉ lệ đúng hạn (%)', 'Đang quá hạn'],
      rows: f.onTime.map((r) => [r.unit, r.answered, r.onTime, rate(r.onTimeRate), r.openOverdue]),
    },
    {
      name: 'Quá hạn và sắp đến hạn',
      header: ['Đơn vị', 'Quá hạn', 'Quá hạn lâu nhất (ngày)', 'Quá hạn trung bình (ngày)', 'Sắp đến hạn'],
      rows: f.dueSoonAndOverdue.map((r) => [r.unit, r.overdue, r.maxDaysLate, r.avgDaysLate, r.dueSoon]),
    },
    {
      name: 'Phản ánh về cán bộ',
      header: ['Mã phản ánh', 'Đơn vị', 'Trạng thái', 'Tiếp nhận', 'Việc đã làm gần nhất', 'Lúc'],
      rows: f.conductReports.map((r) => [r.trackingCode, r.unit, r.status, r.receivedAt, r.lastAction, r.lastActionAt]),
    },
    {
      name: 'Mức độ hài lòng',
      header: ['Đơn vị', 'Số lượt đánh giá', 'Điểm trung bình'],
      rows: f.satisfaction.map((r) => [
        r.unit,
        r.ratings,
        r.average == null ? null : Math.round(r.average * 100) / 100,
      ]),
    },
    {
      name: 'Xu hướng theo lĩnh vực',
      header: ['Kỳ', 'Lĩnh vực', 'Số phản ánh'],
      rows: f.trendsByCategory.map((r) => [r.bucket, r.key, r.count]),
    },
    {
      name: 'Xu hướng theo xã phường',
      header: ['Kỳ', 'Xã/phường', 'Số phản ánh'],
      rows: f.trendsByCommune.map((r) => [r.bucket, r.key, r.count]),
    },
  ];
}
