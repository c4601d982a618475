import type { Response } from 'express';
import { z } from 'zod';
import { seesPersonalData, type Actor } from '../auth/roles';
import { audit } from '../console/audit';
import { toCsv } from '../console/csv';
import { dashboardFigures, periodSchema, type Period } from '../console/dashboard';
import { knownUnits } from '../auth/users';
import { dashboardSheets, ticketSheet, type UnitNames } from '../console/export-tables';
import { listQuerySchema, listTicketRows, type ListQuery } from '../console/ticket-list';
import { toXlsx, type Sheet } from '../console/xlsx';
import type { Db } from '../db/client';
import type { Ticket } from '../tickets/create-ticket';
import { INSPECT, STAFF, endpoint } from './define';

const EXPORT_MAX = 50_000;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Format = 'csv' | 'xlsx';

/** The list's filters, every page (keyset) up to EXPORT_MAX rows; the export is audited per ticket. */
async function ticketExport(db: Db, actor: Actor, query: ListQuery, names: UnitNames): Promise<Sheet> {
  const rows: Ticket[] = [];
  let cursor: string | undefined;
  do {
    const p = await listTicketRows(db, actor, { ...query, cursor, limit: 200 });
    rows.push(...p.items);
    cursor = p.nextCursor ?? undefined;
  } while (cursor && rows.length < EXPORT_MAX);
  const plain = seesPersonalData(actor);
  await audit(
    db,
    actor,
    rows.map((r) => r.id),
    'exported',
    { personalData: plain },
  );
  return ticketSheet(rows, plain, names);
}

function send(res: Response, format: Format, file: string, sheets: Sheet[]): void {
  if (format === 'csv') {
    const [s] = sheets;
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="${file}.csv"`);
    res.send(toCsv(s!.header, s!.rows));
  } else {
    res.set('Content-Type', XLSX);
    res.set('Content-Disposition', `attachment; filename="${file}.xlsx"`);
    res.send(toXlsx(sheets));
  }
}

/** Unit names beside their codes in every export. */
async function unitNames(db: Db, provinceCode: string): Promise<UnitNames> {
  return new Map((await knownUnits(db, provinceCode)).map((u) => [u.code, u.name]));
}

const SECTIONS = [
  'onTime',
  'dueSoonAndOverdue',
  'conductReports',
  'satisfaction',
  'trendsByCategory',
  'trendsByCommune',
] as const;
const dashboardCsvQuery = periodSchema.extend({ section: z.enum(SECTIONS).default('onTime') });

const ticketsAs = (format: Format) =>
  endpoint<Record<string, never>, ListQuery>({
    method: 'get',
    path: `/tickets.${format}`,
    summary: `The same filters as /tickets, as ${format.toUpperCase()} (personal data masked unless the role may see it).`,
    roles: STAFF,
    query: listQuerySchema,
    produces: format === 'csv' ? 'text/csv' : XLSX,
    handler: async ({ actor, query, res, services: s }) =>
      send(res, format, 'phan-anh', [
        await ticketExport(s.db, actor, query, await unitNames(s.db, s.deps.provinceCode)),
      ]),
  });

export const exportEndpoints = [
  ticketsAs('csv'),
  ticketsAs('xlsx'),
  endpoint<Record<string, never>, z.infer<typeof dashboardCsvQuery>>({
    method: 'get',
    path: '/dashboard.csv',
    summary: 'Inspectors: one section of the dashboard (section=onTime by default) as CSV.',
    roles: INSPECT,
    query: dashboardCsvQuery,
    produces: 'text/csv',
    handler: async ({ query, res, services: s }) => {
      const sheets = dashboardSheets(await dashboardFigures(s.db, query), await unitNames(s.db, s.deps.provinceCode));
      send(res, 'csv', `bao-cao-${query.section}`, [sheets[SECTIONS.indexOf(query.section)]!]);
    },
  }),
  endpoint<Record<string, never>, Period>({
    method: 'get',
    path: '/dashboard.xlsx',
    summary: 'Inspectors: the whole dashboard as XLSX, one sheet per section.',
    roles: INSPECT,
    query: periodSchema,
    produces: XLSX,
    handler: async ({ query, res, services: s }) =>
      send(
        res,
        'xlsx',
        'bao-cao',
        dashboardSheets(await dashboardFigures(s.db, query), await unitNames(s.db, s.deps.provinceCode)),
      ),
  }),
];
