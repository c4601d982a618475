import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { actorLabel, isUnitRole, seesPersonalData } from '../auth/roles';
import { viFollowup } from '../conversation/catalogue';
import { audit } from '../console/audit';
import { checkUnitFilter } from '../console/scope';
import { digests } from '../db/schema';
import { callList, markCalled } from '../followup/calls';
import { maskName, maskPhone } from '../privacy/mask';
import { loadCalendar } from '../sla/calendar-store';
import { reportArgsSchema, reportCsv, reportMarkdown, slaReport } from '../sla/par-report';
import { ApiError } from './errors';
import { HOTLINE, endpoint } from './define';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const reportQuery = reportArgsSchema(['json', 'csv', 'md'] as const, 'json');
type ReportQuery = z.infer<typeof reportQuery>;
const digestQuery = z.object({
  kind: z.enum(['unit_daily', 'inspection_weekly']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const followupEndpoints = [
  endpoint({
    method: 'get',
    path: '/followup/calls',
    summary: 'Operators: citizens to phone (updates, answers, rating requests no Zalo or ZNS message could carry).',
    roles: HOTLINE,
    handler: async ({ actor, services: s }) => {
      const rows = await callList(s.db);
      const plain = seesPersonalData(actor);
      await audit(s.db, actor, [...new Set(rows.map((r) => r.ticketId))], 'viewed_call_list');
      return {
        items: rows.map((r) => ({
          ...r,
          what: viFollowup.callKind[r.kind] ?? r.kind,
          why: (r.reason && viFollowup.callReason[r.reason]) ?? r.reason,
          phone: r.phone && !plain ? maskPhone(r.phone) : r.phone,
          name: r.name && !plain ? maskName(r.name) : r.name,
        })),
      };
    },
  }),
  endpoint<z.infer<typeof idParams>>({
    method: 'post',
    path: '/followup/calls/:id/done',
    summary: 'Operators: the call was made; the entry leaves the list.',
    roles: HOTLINE,
    params: idParams,
    handler: async ({ params, actor, services: s }) => {
      const ticketId = await markCalled(s.db, params.id, actorLabel(actor));
      if (!ticketId) throw new ApiError('NOT_FOUND', 'No such call on the list.');
      await audit(s.db, actor, ticketId, 'followup_called', { progressUpdateId: params.id });
      return { done: true };
    },
  }),
  endpoint<Record<string, never>, z.infer<typeof digestQuery>>({
    method: 'get',
    path: '/digests',
    summary: 'The e-mail digests as built (sent, skipped or failed); unit roles see their unit’s only.',
    roles: ['admin', 'inspector', 'unit_officer', 'unit_head'],
    query: digestQuery,
    handler: async ({ query, actor, services: s }) => {
      const unit = isUnitRole(actor.role) ? (actor.unitCode ?? '\u0000') : undefined;
      const items = await s.db
        .select()
        .from(digests)
        .where(
          and(unit ? eq(digests.unitCode, unit) : undefined, query.kind ? eq(digests.kind, query.kind) : undefined),
        )
        .orderBy(desc(digests.id))
        .limit(query.limit);
      return { items };
    },
  }),
  endpoint<Record<string, never>, ReportQuery>({
    method: 'get',
    path: '/reports/sla',
    summary: 'On-time rate, working days to answer and satisfaction per unit for a period (JSON, ?format=csv or md).',
    roles: ['admin', 'inspector', 'unit_officer', 'unit_head'],
    query: reportQuery,
    handler: async ({ query, actor, res, services: s }) => {
      const unit = checkUnitFilter(actor, query.unit);
      const rep = await slaReport(s.db, { from: query.from, to: query.to, unit }, await loadCalendar(s.db));
      if (query.format === 'json') return rep;
      const csv = query.format === 'csv';
      res.set('Content-Type', csv ? 'text/csv; charset=utf-8' : 'text/markdown; charset=utf-8');
      res.set(
        'Content-Disposition',
        `attachment; filename="bao-cao-han-xu-ly_${query.from}_${query.to}.${csv ? 'csv' : 'md'}"`,
      );
      res.send(csv ? reportCsv(rep) : reportMarkdown(rep));
      return undefined;
    },
  }),
];
