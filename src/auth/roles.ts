import { z } from 'zod';

export const ROLES = ['admin', 'operator', 'unit_officer', 'unit_head', 'inspector'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Roles tied to one unit: they see that unit's tickets only. */
export const UNIT_ROLES: readonly Role[] = ['unit_officer', 'unit_head'];
export const isUnitRole = (r: Role): boolean => UNIT_ROLES.includes(r);

/** Who the console knows is asking; built from the session on every request. */
export interface Actor {
  userId: number;
  email: string;
  role: Role;
  unitCode: string | null;
}

/** The audit trail's actor string: stable, and names the person. */
export const actorLabel = (a: Actor): string => `user:${a.userId}:${a.email}`;

/** Who may see citizens' personal data unmasked (names, phones, Zalo ids). */
export const seesPersonalData = (a: Actor): boolean => a.role !== 'inspector';
