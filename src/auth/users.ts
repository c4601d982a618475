import fs from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { DEFAULT_SEED_FILE, loadActiveConfig } from '../routing/config-store';
import { parseRoutingConfig, type Unit } from '../routing/config-schema';
import { hashPassword } from './password';
import { isUnitRole, roleSchema, type Role } from './roles';

export type User = typeof users.$inferSelect;

export const newUserSchema = z
  .object({
    email: z
      .email()
      .transform((e) => e.trim().toLowerCase())
      .pipe(z.string().max(254)),
    role: roleSchema,
    unit: z.string().trim().min(1).optional(),
    password: z.string().min(12, 'at least 12 characters').max(256),
    displayName: z.string().trim().min(1).max(120).optional(),
  })
  .refine((u) => isUnitRole(u.role) === !!u.unit, {
    message: 'unit_officer and unit_head need --unit; the other roles take none',
    path: ['unit'],
  });
export type NewUser = z.input<typeof newUserSchema>;

export class UserError extends Error {
  constructor(
    readonly code: 'USER_EXISTS' | 'USER_UNIT_UNKNOWN',
    message: string,
  ) {
    super(message);
  }
}

/** The units of the routing configuration in force (the shipped file before the first activation). */
export async function knownUnits(db: Db, provinceCode: string): Promise<Unit[]> {
  const active = await loadActiveConfig(db, provinceCode);
  if (active) return active.config.units;
  return parseRoutingConfig(fs.readFileSync(DEFAULT_SEED_FILE, 'utf8'), DEFAULT_SEED_FILE).units;
}

export async function createUser(db: Db, input: NewUser, provinceCode: string): Promise<User> {
  const u = newUserSchema.parse(input);
  if (u.unit) {
    const units = await knownUnits(db, provinceCode);
    if (!units.some((x) => x.code === u.unit)) {
      const near = units.filter((x) => x.code.includes(u.unit!) || u.unit!.includes(x.code)).map((x) => x.code);
      throw new UserError(
        'USER_UNIT_UNKNOWN',
        `No unit "${u.unit}" in the routing configuration of ${provinceCode}.` +
          (near.length ? ` Did you mean: ${near.slice(0, 5).join(', ')}?` : ''),
      );
    }
  }
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, u.email));
  if (existing) throw new UserError('USER_EXISTS', `An account for ${u.email} already exists.`);
  const [row] = await db
    .insert(users)
    .values({
      email: u.email,
      role: u.role,
      unitCode: u.unit ?? null,
      displayName: u.displayName ?? null,
      passwordHash: await hashPassword(u.password),
    })
    .returning();
  return row!;
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return row;
}

export async function findUser(db: Db, id: number): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function touchLogin(db: Db, id: number, passwordHash?: string): Promise<void> {
  await db
    .update(users)
    .set({ lastLoginAt: sql`now()`, ...(passwordHash ? { passwordHash } : {}) })
    .where(eq(users.id, id));
}

export const roleOf = (u: User): Role => roleSchema.parse(u.role);
