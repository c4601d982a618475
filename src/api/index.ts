import type express from 'express';
import { adminEndpoints } from './admin-endpoints';
import { authEndpoints } from './auth-endpoints';
import { actionEndpoints } from './action-endpoints';
import { followupEndpoints } from './followup-endpoints';
import { handoffEndpoints } from './handoff-endpoints';
import { cannedAnswerEndpoints } from './canned-answer-endpoints';
import { exportEndpoints } from './export-endpoints';
import { ticketEndpoints } from './ticket-endpoints';
import { openApiDocument } from './openapi';
import { queueEndpoints } from './queue-endpoints';
import { authenticate, createApiRouter, sendError, type ApiDeps, type ApiServices } from './router';
import type { Endpoint } from './define';

export const ENDPOINTS: Endpoint[] = [
  ...authEndpoints,
  ...ticketEndpoints,
  ...actionEndpoints,
  ...handoffEndpoints,
  ...exportEndpoints,
  ...cannedAnswerEndpoints,
  ...adminEndpoints,
  ...queueEndpoints,
  ...followupEndpoints,
];

/** Mounts /api (and guards non-GET requests under /console, whose pages come later). */
export function mountApi(app: express.Express, deps: ApiDeps): void {
  const doc = openApiDocument(ENDPOINTS);
  app.get('/api/openapi.json', (_req, res) => res.json(doc));
  let services: (() => ApiServices) | undefined;
  app.use(
    '/api',
    createApiRouter(deps, ENDPOINTS, (s) => (services = s)),
  );
  app.use('/console', (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    authenticate(req, services!()).then(
      () => next(),
      (e: unknown) => sendError(res, e),
    );
  });
}
