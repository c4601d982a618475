import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { conversations } from '../db/schema';
import type { Facts } from './machine/types';

interface FactsRow extends Record<string, unknown> {
  consent: string | null;
  tickets: Array<{ id: number; code: string; status: string; answered_at: string | null; rated: boolean }> | string;
}

/**
 * What the machine may know of the database, read inside the step's transaction: the citizen's last
 * 20 tickets and their latest consent answer, in one statement (every step runs it, and on the embedded
 * database each statement is a large share of a message's cost).
 */
export async function loadFacts(tx: Db, conversation: typeof conversations.$inferSelect): Promise<Facts> {
  const user = conversation.zaloUserId;
  const result = (await tx.execute(sql`
    select
      (select answer from consents where zalo_user_id = ${user} order by id desc limit 1) as consent,
      coalesce(
        (select json_agg(t order by t.id desc) from (
          select id, tracking_code as code, status, answered_at, rating is not null as rated
          from tickets where zalo_user_id = ${user} order by id desc limit 20
        ) t),
        '[]'::json
      ) as tickets`)) as unknown as { rows: FactsRow[] };
  const row = result.rows[0]!;
  const list = typeof row.tickets === 'string' ? JSON.parse(row.tickets) : row.tickets;
  return {
    tickets: (list as Exclude<FactsRow['tickets'], string>).map((t) => ({
      id: t.id,
      code: t.code,
      status: t.status,
      answeredAt: t.answered_at === null ? null : new Date(t.answered_at).getTime(),
      rated: t.rated,
    })),
    hasPhone: !!conversation.contactPhone,
    consent: (row.consent as Facts['consent']) ?? null,
  };
}
