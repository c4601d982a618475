import { z } from 'zod';
import type { Endpoint } from './define';

const schema = (s: z.ZodType | undefined, io: 'input' | 'output') =>
  s ? (z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>) : undefined;

/** Query and path schemas become OpenAPI parameters, one per property. */
function parameters(s: z.ZodType | undefined, where: 'query' | 'path') {
  const js = schema(s, 'input') as { properties?: Record<string, unknown>; required?: string[] } | undefined;
  return Object.entries(js?.properties ?? {}).map(([name, p]) => ({
    name,
    in: where,
    required: where === 'path' || (js?.required ?? []).includes(name),
    schema: p,
  }));
}

/** /api/openapi.json, from the same endpoint descriptions the router is built from. */
export function openApiDocument(endpoints: Endpoint[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of endpoints) {
    const path = `/api${e.path.replace(/:(\w+)/g, '{$1}')}`;
    const error = { $ref: '#/components/schemas/Error' };
    paths[path] ??= {};
    paths[path][e.method] = {
      summary: e.summary,
      'x-roles': e.roles,
      security: e.roles === 'public' ? [] : [{ session: [] }],
      parameters: [...parameters(e.params, 'path'), ...parameters(e.query, 'query')],
      ...(e.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: schema(e.body, 'input') } } } }
        : {}),
      responses: {
        200: {
          description: 'OK',
          content: { [e.produces ?? 'application/json']: { schema: schema(e.response, 'output') ?? {} } },
        },
        default: { description: 'Error', content: { 'application/json': { schema: error } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Tổng đài CCHC — console API', version: '1' },
    paths,
    components: {
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'cchc_sid',
          description: 'Set by POST /api/auth/login. Every non-GET request also needs the X-CSRF-Token header.',
        },
      },
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              properties: { code: { type: 'string' }, message: { type: 'string' } },
              required: ['code', 'message'],
            },
          },
        },
      },
    },
  };
}
