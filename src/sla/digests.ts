import { viSla } from '../conversation/catalogue';
import { viDate } from './display';
import type { OpenItem, UnitLateness, UnitPerformance } from './reports';

/** A message to officials; the transport (SMTP via nodemailer) is behind Mailer. */
export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

const clockName = (k: string) => viSla.clock[k as keyof typeof viSla.clock] ?? k;

/** The daily digest of one unit: what is late, what falls due in the next 2 working days. */
export function buildUnitDigest(unitName: string, items: readonly OpenItem[], now: Date): Omit<MailMessage, 'to'> {
  const d = viSla.digest;
  const overdue = items.filter((i) => i.overdueDays > 0);
  const soon = items.filter((i) => i.workingDaysLeft !== null && i.workingDaysLeft <= 2);
  const lines = (xs: OpenItem[]) =>
    xs.length ? xs.map((i) => d.line(i.trackingCode, clockName(i.clock), i.label)) : [d.none];
  return {
    subject: d.unitSubject(unitName, viDate(now)),
    text: [
      d.unitIntro(overdue.length, soon.length),
      '',
      d.overdueHeading,
      ...lines(overdue),
      '',
      d.soonHeading,
      ...lines(soon),
    ].join('\n'),
  };
}

/** The weekly summary for the inspection team: lateness now, and the period's answers per unit. */
export function buildInspectionSummary(
  lateness: readonly UnitLateness[],
  performance: readonly UnitPerformance[],
  from: Date,
  to: Date,
): Omit<MailMessage, 'to'> {
  const d = viSla.digest;
  const units = [...new Set([...lateness.map((l) => l.unitCode), ...performance.map((p) => p.unitCode)])];
  const rows = units.map((u) => {
    const l = lateness.find((x) => x.unitCode === u);
    const p = performance.find((x) => x.unitCode === u);
    const rate = p?.onTimeRate == null ? '–' : `${Math.round(p.onTimeRate * 100)}`;
    const avg = p?.avgWorkingDaysToAnswer == null ? '–' : String(p.avgWorkingDaysToAnswer);
    return d.inspectionLine(u, l?.open ?? 0, l?.overdue ?? 0, l?.maxOverdueDays ?? 0, p?.answered ?? 0, rate, avg);
  });
  return { subject: d.inspectionSubject(viDate(from), viDate(to)), text: [d.inspectionHeader, ...rows].join('\n') };
}
