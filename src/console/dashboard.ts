import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { CLOSED } from '../tickets/statuses';

/**
 * The inspectors' figures. Each row carries the list filter that shows the tickets behind it, so
 * every figure links to its tickets (GET /api/tickets with those parameters).
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
const closedList = sql.join(
  CLOSED.map((s) => sql`${s}`),
  sql`, `,
);

export async function onTimeByUnit(db: Db, p: Period) {
  const { from, to } = range(p);
  const rows = await rowsOf<{ unit: string | null; answered: number; on_time: number; open_overdue: number }>(
    db.execute(sql`
      select unit_code as unit,
        count(*) filter (where answered_at is not null)::int as answered,
        count(*) filter (where answered_at is not null and answered_at <= answer_due_at)::int as on_time,
        count(*) filter (where answered_at is null and answer_due_at < now() and status not in (${closedList}))::int as open_overdue
      from tickets where received_at >= ${from} and received_at < ${to}
      group by unit_code order by unit_code`),
  );
  return rows.map((r) => ({
    unit: r.unit,
    answered: r.answered,
    onTime: r.on_time,
    onTimeRate: r.answered ? r.on_time / r.answered : null,
    openOverdue: r.open_overdue,
    tickets: { unit: r.unit, from: p.from, to: p.to },
  }));
}

export async function dueSoonAndOverdue(db: Db, withinDays = 3) {
  const rows = await rowsOf<{ unit: string | null; overdue: number; due_soon: number }>(
    db.execute(sql`
      select unit_code as unit,
        count(*) filter (where answer_due_at < now())::int as overdue,
        count(*) filter (where answer_due_at >= now() and answer_due_at < now() + make_interval(days => ${withinDays}))::int as due_soon
      from tickets where status not in (${closedList}) and answer_due_at < now() + make_interval(days => ${withinDays})
      group by unit_code order by overdue desc`),
  );
  return rows.map((r) => ({ ...r, dueSoon: r.due_soon, tickets: { unit: r.unit, overdue: 'true' } }));
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
      order by t.received_at desc limit 500`),
  );
}

/** Citizens' ratings: events of type 'rated' written by the dialogue, score 1–5 in data.rating (data.score in older rows). */
export async function satisfactionByUnit(db: Db, p: Period) {
  const { from, to } = range(p);
  return rowsOf<{ unit: string | null; ratings: number; average: number | null }>(
    db.execute(sql`
      select t.unit_code as unit, count(*)::int as ratings, avg(coalesce(e.data->>'rating', e.data->>'score')::numeric)::float as average
      from ticket_events e join tickets t on t.id = e.ticket_id
      where e.type = 'rated' and e.created_at >= ${from} and e.created_at < ${to}
      group by t.unit_code order by t.unit_code`),
  );
}

export async function trends(db: Db, p: Period, dimension: 'category' | 'commune') {
  const { from, to } = range(p);
  const col = dimension === 'category' ? sql`category` : sql`commune_code`;
  return rowsOf<{ bucket: Date; key: string | null; count: number }>(
    db.execute(sql`
      select date_trunc(${p.by}, received_at at time zone 'Asia/Ho_Chi_Minh') as bucket, ${col} as key, count(*)::int as count
      from tickets where received_at >= ${from} and received_at < ${to}
      group by 1, 2 order by 1, 2`),
  );
}
