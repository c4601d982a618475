import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Actor, Role } from '../auth/roles';
import type { ApiServices } from './router';

/**
 * One description per endpoint: its method and path, who may call it, and zod schemas for what it
 * takes and returns. The router is built from these, and so is /api/openapi.json, so the two agree.
 */
export interface Ctx<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Present on every endpoint that is not public. */
  actor: Actor;
  req: Request;
  res: Response;
  services: ApiServices;
}

export interface Endpoint<P = unknown, Q = unknown, B = unknown> {
  method: 'get' | 'post';
  /** Express syntax (`/tickets/:code`); OpenAPI gets `{code}`. */
  path: string;
  summary: string;
  /** 'public' = no session needed (login); otherwise the roles allowed. */
  roles: readonly Role[] | 'public' | 'any';
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  response?: z.ZodType;
  /** Answers CSV (or another non-JSON type) rather than JSON. */
  produces?: string;
  handler(ctx: Ctx<P, Q, B>): Promise<unknown>;
}

export const endpoint = <P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  e: Endpoint<P, Q, B>,
): Endpoint => e as unknown as Endpoint;

export const STAFF: readonly Role[] = ['admin', 'operator', 'unit_officer', 'unit_head', 'inspector'];
export const HOTLINE: readonly Role[] = ['admin', 'operator'];
export const UNIT: readonly Role[] = ['unit_officer', 'unit_head'];
export const INSPECT: readonly Role[] = ['admin', 'inspector'];

/** Tracking codes as the intake writes them (PA-<year>-<seq>). */
export const trackingCodeParams = z.object({ code: z.string().regex(/^PA-\d{4}-\d{1,9}$/, 'a tracking code') });
export const reasonBody = z.object({ reason: z.string().trim().min(3).max(2000) });
