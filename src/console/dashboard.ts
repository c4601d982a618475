import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { openDue } from './open-tickets';

/**
 * The inspectors' figures. Each row carries the list filter that shows the tickets behind it, so
 * every figure links to its tickets (GET /api/tickets with those parameters).
 *
 * Counts over a period come from ticket_stats_daily (one row per local day and key, kept by triggers,
 * migration 0010); what depends on the clock (overdue now) comes from the small set of open tickets.
 */
export const periodSchema = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  /** Trend buckets. */
  by: z.enum(['day', 'week', 'month']).default('month'),
});
export type Period = z.infer<typeof periodSchema>;

const rowsOf = async <T>(q: Promise<unknown>) => ((await q) as { rows: T[] }).rows;
const range = (p: Period) => ({
  from: new Date(`${p.from}T00:00:00+07:00`),
  to: new Date(new Date(`${p.to}T00:00:00+07:00`).getTime() + 24 * 3600 * 1000),
});
const iso = (d: Date) => d.toISOString().slice(0, 10);
const nextDay = (day: string) => iso(new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000));
const nextMonth = (day: string) => {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  return iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)));
};

/**
 * The rollup rows that cover a period exactly: month rows for the whole months inside it, day rows
 * for the ends. Day-only when the trend buckets are days or weeks.
 */
export function periodRows(p: Period, monthsAllowed = true): SQL {
  const whole = { from: p.from.endsWith('-01') ? p.from : nextMonth(p.from), to: `${nextDay(p.to).slice(0, 7)}-01` };
  const days = sql`grain = 'd' and day >= ${p.from}::date and day <= ${p.to}::date`;
  if (!monthsAllowed || whole.from >= whole.to) return days;
  return sql`((grain = 'm' and day >= ${whole.from}::date and day < ${whole.to}::date)
    or (${days} and (day < ${whole.from}::date or day >= ${whole.to}::date)))`;
}
const noneToNull = (k: string) => (k === '' ? null : k);

export async function onTimeByUnit(db: Db, p: Period) {
  const { from, to } = range(p);
  const counted = await rowsOf<{ unit: string; answered: number; on_time: number }>(
    db.execute(sql`
      select key as unit, sum(answered)::int as answered, sum(on_time)::int as on_time
      from ticket_stats_daily where dim = 'unit' and ${periodRows(p)}
      group by key having sum(received) > 0 order by key`),
  );
  const overdue = await rowsOf<{ unit: string | null; open_overdue: number }>(
    db.execute(sql`
      select unit_code as unit, count(*)::int as open_overdue from tickets
      where ${openDue()} < now() and answered_at is null
        and received_at >= ${from} and received_at < ${to}
      group by unit_code`),
  );
  const late = new Map(overdue.map((r) => [r.unit ?? '', r.open_overdue]));
  return counted.map((r) => {
    const unit = noneToNull(r.unit);
    return {
      unit,
      answered: r.answered,
      onTime: r.on_time,
      onTimeRate: r.answered ? r.on_time / r.answered : null,
      openOverdue: late.get(r.unit) ?? 0,
      tickets: { unit, from: p.from, to: p.to },
    };
  });
}

export async function dueSoonAndOverdue(db: Db, withinDays = 3) {
  // How late, not only how many: the longest and the average delay past the deadline, in whole days.
  const rows = await rowsOf<{
    unit: string | null;
    overdue: number;
    due_soon: number;
    max_days_late: number;
    avg_days_late: number;
  }>(
    db.execute(sql`
      select unit_code as unit,
        count(*) filter (where ${openDue()} < now())::int as overdue,
        count(*) filter (where ${openDue()} >= now())::int as due_soon,
        coalesce(floor(max(extract(epoch from now() - ${openDue()}) / 86400)
          filter (where ${openDue()} < now())), 0)::int as max_days_late,
        coalesce(round(avg(extract(epoch from now() - ${openDue()}) / 86400)
          filter (where ${openDue()} < now()), 1), 0)::float as avg_days_late
      from tickets where ${openDue()} < now() + make_interval(days => ${withinDays})
      group by unit_code order by overdue desc, max_days_late desc`),
  );
  return rows.map(({ due_soon, max_days_late, avg_days_late, ...r }) => ({
    ...r,
    dueSoon: due_soon,
    maxDaysLate: max_days_late,
    avgDaysLate: avg_days_late,
    tickets: { unit: r.unit, overdue: 'true' },
  }));
}

/** Misconduct reports and what was done about each: the last action recorded on the ticket. */
export async function conductReports(db: Db, p: Period) {
  const { from, to } = range(p);
  return rowsOf<{
    trackingCode: string;
    unit: string | null;
    status: string;
    receivedAt: Date;
    lastAction: string | null;
    lastActionAt: Date | null;
  }>(
    db.execute(sql`
      select t.tracking_code as "trackingCode", t.unit_code as unit, t.status, t.received_at as "receivedAt",
        e.type as "lastAction", e.created_at as "lastActionAt"
      from tickets t
      left join lateral (select type, created_at from ticket_events where ticket_id = t.id and type <> 'viewed'
                         order by id desc limit 1) e on true
      where t.conduct and t.received_at >= ${from} and t.received_at < ${to}
      order by t.received_at desc, t.id desc limit 500`),
  );
}

/** Citizens' ratings (tickets.rating 1–5 and rated_at, set by the dialogue), by the day given. */
export async function satisfactionByUnit(db: Db, p: Period) {
  const rows = await rowsOf<{ unit: string; ratings: number; average: number | null }>(
    db.execute(sql`
      select key as unit, sum(rated)::int as ratings, sum(rating_sum)::float / nullif(sum(rated), 0) as average
      from ticket_stats_daily where dim = 'rating' and ${periodRows(p)}
      group by key having sum(rated) > 0 order by key`),
  );
  return rows.map((r) => ({ ...r, unit: noneToNull(r.unit) }));
}

export async function trends(db: Db, p: Period, dimension: 'category' | 'commune') {
  const rows = await rowsOf<{ bucket: Date; key: string; count: number }>(
    db.execute(sql`
      select date_trunc(${p.by}, day::timestamp) as bucket, key, sum(received)::int as count
      from ticket_stats_daily where dim = ${dimension} and ${periodRows(p, p.by === 'month')}
      group by 1, 2 having sum(received) > 0 order by 1, 2`),
  );
  return rows.map((r) => ({ ...r, key: noneToNull(r.key) }));
}

/** Everything the dashboard shows, for the JSON view and the exports. */
export async function dashboardFigures(db: Db, p: Period) {
  return {
    period: p,
    onTime: await onTimeByUnit(db, p),
    dueSoonAndOverdue: await dueSoonAndOverdue(db),
    conductReports: await conductReports(db, p),
    satisfaction: await satisfactionByUnit(db, p),
    trendsByCategory: await trends(db, p, 'category'),
    trendsByCommune: await trends(db, p, 'commune'),
  };
}
export type DashboardFigures = Awaited<ReturnType<typeof dashboardFigures>>;
