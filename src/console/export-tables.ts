import { CATEGORIES, KINDS } from '../classify/taxonomy';
import { communeUnitCode } from '../routing/config-schema';
import { viDate } from '../sla/display';
import { maskPhonesIn } from '../privacy/mask';
import type { Ticket } from '../tickets/create-ticket';
import { statusLabel } from '../tickets/statuses';
import { asDate, decimal } from './cells';
import type { DashboardFigures } from './dashboard';
import { eventLabel } from './event-labels';
import { ticketSummary } from './ticket-list';
import type { Sheet } from './xlsx';

/** Unit code → name, from the routing configuration in force. */
export type UnitNames = ReadonlyMap<string, string>;

const NO_UNIT = '(chưa có đơn vị)';
const nameOf = (names: UnitNames, code: string | null | undefined) => (code ? (names.get(code) ?? code) : NO_UNIT);
const communeOf = (names: UnitNames, code: string | null | undefined) =>
  code ? (names.get(communeUnitCode(code)) ?? code) : '';
const label = (table: Record<string, string>, code: string | null) =>
  code ? (Object.hasOwn(table, code) ? table[code] : code) : '';

/**
 * The tables the console exports (CSV: one table; XLSX: one sheet each), with their Vietnamese
 * headers, unit names beside their codes, times in Vietnam time and decimals the Vietnamese way
 * (src/console/cells.ts). Personal data is masked unless the reader's role may see it.
 */
export function ticketSheet(rows: Ticket[], plain: boolean, names: UnitNames, now = new Date()): Sheet {
  return {
    name: 'Phản ánh',
    header: [
      'Mã phản ánh',
      'Trạng thái',
      'Lĩnh vực',
      'Loại',
      'Cán bộ',
      'Đơn vị',
      'Mã đơn vị',
      'Xã/phường',
      'Tiếp nhận',
      'Hạn trả lời',
      'Trả lời lúc',
      'Quá hạn',
      'Nội dung',
    ],
    rows: rows.map((t) => {
      const r = ticketSummary(t, now);
      return [
        r.trackingCode,
        r.statusLabel,
        label(CATEGORIES, r.category),
        label(KINDS, r.kind),
        r.conduct ? 'có' : '',
        r.unitCode ? nameOf(names, r.unitCode) : '',
        r.unitCode,
        communeOf(names, r.communeCode),
        r.receivedAt,
        r.answerDueAt,
        r.answeredAt,
        r.overdue ? 'quá hạn' : '',
        plain ? t.content : maskPhonesIn(t.content),
      ];
    }),
  };
}

const rate = (v: number | null) => decimal(v == null ? null : v * 100, 1);

/** The dashboard's sections; the figures hold no personal data (codes, units, counts). */
export function dashboardSheets(f: DashboardFigures, names: UnitNames): Sheet[] {
  const UNIT = ['Đơn vị', 'Mã đơn vị'];
  const unit = (code: string | null) => [nameOf(names, code), code];
  return [
    {
      name: 'Đúng hạn theo đơn vị',
      header: [...UNIT, 'Đã trả lời', 'Đúng hạn', 'Tỉ lệ đúng hạn (%)', 'Đang quá hạn'],
      rows: f.onTime.map((r) => [...unit(r.unit), r.answered, r.onTime, rate(r.onTimeRate), r.openOverdue]),
    },
    {
      name: 'Quá hạn và sắp đến hạn',
      header: [...UNIT, 'Quá hạn', 'Quá hạn lâu nhất (ngày)', 'Quá hạn trung bình (ngày)', 'Sắp đến hạn'],
      rows: f.dueSoonAndOverdue.map((r) => [
        ...unit(r.unit),
        r.overdue,
        r.maxDaysLate,
        decimal(r.avgDaysLate, 1),
        r.dueSoon,
      ]),
    },
    {
      name: 'Phản ánh về cán bộ',
      header: ['Mã phản ánh', ...UNIT, 'Trạng thái', 'Tiếp nhận', 'Việc đã làm gần nhất', 'Lúc'],
      rows: f.conductReports.map((r) => [
        r.trackingCode,
        ...unit(r.unit),
        statusLabel(r.status),
        asDate(r.receivedAt),
        r.lastAction ? eventLabel(r.lastAction) : '',
        asDate(r.lastActionAt),
      ]),
    },
    {
      name: 'Mức độ hài lòng',
      header: [...UNIT, 'Số lượt đánh giá', 'Điểm trung bình'],
      rows: f.satisfaction.map((r) => [...unit(r.unit), r.ratings, decimal(r.average, 2)]),
    },
    {
      name: 'Xu hướng theo lĩnh vực',
      header: ['Kỳ (từ ngày)', 'Lĩnh vực', 'Số phản ánh'],
      rows: f.trendsByCategory.map((r) => [bucketDay(r.bucket), label(CATEGORIES, r.key), r.count]),
    },
    {
      name: 'Xu hướng theo xã phường',
      header: ['Kỳ (từ ngày)', 'Xã/phường', 'Mã xã/phường', 'Số phản ánh'],
      rows: f.trendsByCommune.map((r) => [bucketDay(r.bucket), communeOf(names, r.key), r.key, r.count]),
    },
  ];
}

/** A trend bucket is a civil date (midnight UTC of that day, as the dashboard's client reads it too). */
const bucketDay = (b: Date | string) => viDate(asDate(b)!);
