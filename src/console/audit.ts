import type { Db } from '../db/client';
import { ticketEvents } from '../db/schema';
import { actorLabel, type Actor } from '../auth/roles';

/** One append-only audit row: who (the actor), when (now), what (type and data). */
export async function audit(
  db: Db,
  actor: Actor,
  ticketIds: number | number[],
  type: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  const ids = Array.isArray(ticketIds) ? ticketIds : [ticketIds];
  if (!ids.length) return;
  const who = { ...data, by: { userId: actor.userId, role: actor.role, unit: actor.unitCode } };
  // In chunks: an export may touch tens of thousands of tickets, past Postgres's parameter limit.
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    await db
      .insert(ticketEvents)
      .values(chunk.map((ticketId) => ({ ticketId, type, actor: actorLabel(actor), data: who })));
  }
}
