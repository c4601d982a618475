import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { digests, users } from '../db/schema';
import { errorMessage } from '../errors';
import { log } from '../log';
import type { Names } from '../routing/names';
import { isWorkingDay, type Calendar } from '../sla/calendar';
import { buildInspectionSummary, buildUnitDigest, type MailMessage, type Mailer } from '../sla/digests';
import { answerPerformance, latenessByUnit, openItems } from '../sla/reports';
import { vnDate } from '../sla/vn-time';

/**
 * Builds, stores and mails the digests. Each (kind, unit, period) is one row: a re-run of the same
 * day's job sends nothing twice, and one that failed or never finished is tried again. Without SMTP
 * the digest is still stored (the console shows it) and marked skipped.
 */
export interface DigestDeps {
  db: Db;
  mailer?: Mailer;
  cal: Calendar;
  names: Names;
  /** The inspection unit (the policy's escalateTo): the weekly summary is filed under it. */
  inspectionUnit: string;
}

export type DigestKind = 'unit_daily' | 'inspection_weekly';
const DAY_MS = 24 * 3600 * 1000;

async function deliver(
  deps: DigestDeps,
  kind: DigestKind,
  unitCode: string,
  periodKey: string,
  to: string[],
  m: Omit<MailMessage, 'to'>,
) {
  const row = { kind, unitCode, periodKey, recipients: to, subject: m.subject, body: m.text, status: 'pending' };
  await deps.db.insert(digests).values(row).onConflictDoNothing();
  const [d] = await deps.db
    .select()
    .from(digests)
    .where(and(eq(digests.kind, kind), eq(digests.unitCode, unitCode), eq(digests.periodKey, periodKey)));
  if (!d || d.status === 'sent' || d.status === 'skipped') return d?.status ?? 'missing';
  const set = (v: Partial<typeof digests.$inferInsert>) => deps.db.update(digests).set(v).where(eq(digests.id, d.id));
  if (!deps.mailer || !to.length) {
    await set({ status: 'skipped', error: !deps.mailer ? 'smtp_not_configured' : 'no_recipients' });
    return 'skipped';
  }
  try {
    await deps.mailer.send({ to, subject: d.subject, text: d.body });
    await set({ status: 'sent', sentAt: new Date(), error: null });
    return 'sent';
  } catch (e) {
    await set({ status: 'failed', error: errorMessage(e).slice(0, 500) });
    log.warn('digest not sent', { kind, unitCode, error: errorMessage(e) });
    throw e;
  }
}

async function emails(db: Db, roles: string[], unitCode?: string): Promise<string[]> {
  const rows = await db
    .select({ email: users.email })
    .from(users)
    .where(
      and(inArray(users.role, roles), eq(users.disabled, false), unitCode ? eq(users.unitCode, unitCode) : undefined),
    );
  return rows.map((r) => r.email).sort();
}

/**
 * One digest per unit with something late or falling due within 2 working days. The cron fires
 * Monday to Friday; on a public holiday or a swapped day off nobody is at the desk, so nothing goes.
 */
export async function runDailyDigests(deps: DigestDeps, now: Date): Promise<Record<string, string>> {
  if (!isWorkingDay(vnDate(now), deps.cal)) return {};
  const items = await openItems(deps.db, now, deps.cal);
  const byUnit = new Map<string, typeof items>();
  for (const i of items) byUnit.set(i.unitCode, [...(byUnit.get(i.unitCode) ?? []), i]);
  const result: Record<string, string> = {};
  for (const [unit, list] of byUnit) {
    if (!list.some((i) => i.overdueDays > 0 || (i.workingDaysLeft !== null && i.workingDaysLeft <= 2))) continue;
    const m = buildUnitDigest(deps.names.unit(unit) ?? unit, list, now);
    const to = await emails(deps.db, ['unit_officer', 'unit_head'], unit);
    result[unit] = await deliver(deps, 'unit_daily', unit, vnDate(now), to, m);
  }
  return result;
}

/** The week before `now`: lateness as it stands and the answers given in those 7 days, per unit. */
export async function runWeeklySummary(deps: DigestDeps, now: Date): Promise<string> {
  const from = new Date(now.getTime() - 7 * DAY_MS);
  const lateness = latenessByUnit(await openItems(deps.db, now, deps.cal));
  const performance = await answerPerformance(deps.db, from, now, deps.cal);
  const m = buildInspectionSummary(lateness, performance, from, now);
  const to = await emails(deps.db, ['inspector']);
  return deliver(deps, 'inspection_weekly', deps.inspectionUnit, vnDate(now), to, m);
}
