import { z } from 'zod';
import {
  cannedAnswerBody,
  cannedAnswerHistory,
  createCannedAnswer,
  deleteCannedAnswer,
  listCannedAnswers,
  updateCannedAnswer,
  type CannedAnswerInput,
} from '../console/canned-answers';
import { HOTLINE, endpoint } from './define';

const idParams = z.object({ id: z.coerce.number().int().positive() });
type Id = z.infer<typeof idParams>;
const listQuery = z.object({ category: z.string().min(1).max(80).optional() });

/** Canned answers: operators and admins read and keep them (they are the ones who reply). */
export const cannedAnswerEndpoints = [
  endpoint<Record<string, never>, z.infer<typeof listQuery>>({
    method: 'get',
    path: '/canned-answers',
    summary: 'Canned answers, by title (category= to narrow).',
    roles: HOTLINE,
    query: listQuery,
    handler: async ({ query, services: s }) => ({ items: await listCannedAnswers(s.db, query.category) }),
  }),
  endpoint<Record<string, never>, Record<string, never>, CannedAnswerInput>({
    method: 'post',
    path: '/canned-answers',
    summary: 'Add a canned answer (409 when the title is taken).',
    roles: HOTLINE,
    body: cannedAnswerBody,
    handler: ({ actor, body, services: s }) => createCannedAnswer(s.db, actor, body),
  }),
  endpoint<Id, Record<string, never>, CannedAnswerInput>({
    method: 'post',
    path: '/canned-answers/:id',
    summary: 'Replace a canned answer.',
    roles: HOTLINE,
    params: idParams,
    body: cannedAnswerBody,
    handler: ({ actor, params, body, services: s }) => updateCannedAnswer(s.db, actor, params.id, body),
  }),
  endpoint<Id>({
    method: 'post',
    path: '/canned-answers/:id/delete',
    summary: 'Delete a canned answer (audited).',
    roles: HOTLINE,
    params: idParams,
    handler: ({ actor, params, services: s }) => deleteCannedAnswer(s.db, actor, params.id),
  }),
  endpoint({
    method: 'get',
    path: '/admin/canned-answers/history',
    summary: 'Admins: who added, changed or deleted which canned answer, and when (newest first).',
    roles: ['admin'],
    handler: async ({ services: s }) => ({ items: await cannedAnswerHistory(s.db) }),
  }),
];
