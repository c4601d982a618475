import { and, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { tickets } from '../db/schema';
import { isUnitRole, type Actor } from '../auth/roles';
import { notFound } from '../api/errors';
import type { Ticket } from '../tickets/create-ticket';

/**
 * Which tickets an actor may see: a unit role sees its unit's only. Every ticket query goes through
 * this, and a ticket outside it is "not found" — never "forbidden", which would confirm it exists.
 */
export function scopeOf(actor: Actor): SQL | undefined {
  if (!isUnitRole(actor.role)) return undefined;
  return eq(tickets.unitCode, actor.unitCode ?? '\u0000');
}

export async function ticketInScope(db: Db, actor: Actor, trackingCode: string, forUpdate = false): Promise<Ticket> {
  const q = db
    .select()
    .from(tickets)
    .where(and(eq(tickets.trackingCode, trackingCode), scopeOf(actor)));
  const [row] = forUpdate ? await q.for('update') : await q;
  if (!row) throw notFound();
  return row;
}

/** A unit role naming another unit in a filter learns nothing either. */
export function checkUnitFilter(actor: Actor, unit: string | undefined): string | undefined {
  if (!isUnitRole(actor.role)) return unit;
  if (unit && unit !== actor.unitCode) throw notFound();
  return actor.unitCode ?? undefined;
}
