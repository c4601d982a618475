import { z } from 'zod';
import { knownUnits } from '../auth/users';
import { ticketDetail } from '../console/ticket-detail';
import { sendTicketFile } from '../console/ticket-files';
import { listQuerySchema, listTickets, listTriage, type ListQuery } from '../console/ticket-list';
import { HOTLINE, STAFF, endpoint, trackingCodeParams } from './define';

type Code = z.infer<typeof trackingCodeParams>;
const fileParams = trackingCodeParams.extend({ id: z.coerce.number().int().positive() });
type FileParams = z.infer<typeof fileParams>;
export const pageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ticketEndpoints = [
  endpoint({
    method: 'get',
    path: '/units',
    summary: 'The units of the routing configuration in force.',
    roles: STAFF,
    handler: async ({ services: s }) => ({
      units: (await knownUnits(s.db, s.deps.provinceCode)).map((u) => ({ code: u.code, name: u.name, type: u.type })),
    }),
  }),
  endpoint<Record<string, never>, ListQuery>({
    method: 'get',
    path: '/tickets',
    summary: 'Tickets, newest first (order=oldest for work by age), filtered, in pages (nextCursor).',
    roles: STAFF,
    query: listQuerySchema,
    handler: ({ actor, query, services: s }) => listTickets(s.db, actor, query),
  }),
  endpoint<Code>({
    method: 'get',
    path: '/tickets/:code',
    summary: 'One ticket with its transcript, attachments and audit trail (the view is recorded).',
    roles: STAFF,
    params: trackingCodeParams,
    handler: ({ actor, params, services: s }) => ticketDetail(s.db, actor, params.code),
  }),
  endpoint<FileParams>({
    method: 'get',
    path: '/tickets/:code/attachments/:id',
    summary: "Download one of the ticket's files (within the unit scope; audited; always as an attachment).",
    roles: ['admin', 'operator', 'unit_officer', 'unit_head'],
    params: fileParams,
    produces: 'application/octet-stream',
    handler: ({ actor, params, res, services: s }) =>
      sendTicketFile(s.db, s.deps.dataDir, actor, params.code, params.id, res),
  }),
  endpoint<Record<string, never>, z.infer<typeof pageQuery>>({
    method: 'get',
    path: '/triage',
    summary: 'Operators: tickets not routed with confidence, sent back, or handed over; oldest first.',
    roles: HOTLINE,
    query: pageQuery,
    handler: ({ query, services: s }) => listTriage(s.db, query),
  }),
];
