import type { Db } from '../db/client';
import { conversationAudit, staffAudit, ticketEvents } from '../db/schema';
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
  const who = withWho(actor, data);
  // In chunks: an export may touch tens of thousands of tickets, past Postgres's parameter limit.
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    await db
      .insert(ticketEvents)
      .values(chunk.map((ticketId) => ({ ticketId, type, actor: actorLabel(actor), data: who })));
  }
}

const withWho = (actor: Actor, data: Record<string, unknown>) => ({
  ...data,
  by: { userId: actor.userId, role: actor.role, unit: actor.unitCode },
});

/** The same for conversations that have no ticket to record it on. */
export async function auditConversation(
  db: Db,
  actor: Actor,
  conversationIds: number[],
  type: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  if (!conversationIds.length) return;
  const who = withWho(actor, data);
  await db
    .insert(conversationAudit)
    .values(conversationIds.map((conversationId) => ({ conversationId, type, actor: actorLabel(actor), data: who })));
}

/** The same for what is neither a ticket nor a conversation (a canned answer): subject names it. */
export async function auditStaff(
  db: Db,
  actor: Actor,
  subject: string,
  type: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  await db.insert(staffAudit).values({ subject, type, actor: actorLabel(actor), data: withWho(actor, data) });
}
