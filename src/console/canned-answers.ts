import { asc, desc, eq, like } from 'drizzle-orm';
import { z } from 'zod';
import { CATEGORY_CODES } from '../classify/taxonomy';
import type { Db } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { cannedAnswers, staffAudit } from '../db/schema';
import type { Actor } from '../auth/roles';
import { ApiError, notFound } from '../api/errors';
import { auditStaff } from './audit';

/** Operators' canned answers: picked in the reply box, edited, then sent as an ordinary reply. */
export const cannedAnswerBody = z.object({
  title: z.string().trim().min(1).max(120),
  /** The reply action's own limit, so a canned answer can always be sent as it is. */
  body: z.string().trim().min(1).max(1800),
  category: z
    .enum(CATEGORY_CODES as [string, ...string[]])
    .nullable()
    .default(null),
});
export type CannedAnswerInput = z.infer<typeof cannedAnswerBody>;

const taken = () => new ApiError('CONFLICT', 'Đã có câu trả lời mẫu cùng tiêu đề.');

async function unique<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isUniqueViolation(e)) throw taken();
    throw e;
  }
}

export const listCannedAnswers = (db: Db, category?: string) =>
  db
    .select()
    .from(cannedAnswers)
    .where(category ? eq(cannedAnswers.category, category) : undefined)
    .orderBy(asc(cannedAnswers.title));

const subject = (id: number) => `canned_answer:${id}`;
const what = (r: { title: string; body: string; category: string | null }) => ({
  title: r.title,
  body: r.body,
  category: r.category,
});

/** Every change is audited (who, when, what) in the same transaction as the change. */
export async function createCannedAnswer(db: Db, actor: Actor, input: CannedAnswerInput) {
  return unique(() =>
    db.transaction(async (tx) => {
      const [row] = await tx
        .insert(cannedAnswers)
        .values({ ...input, createdBy: actor.userId, updatedBy: actor.userId })
        .returning();
      await auditStaff(tx, actor, subject(row!.id), 'canned_answer_created', what(row!));
      return row!;
    }),
  );
}

export async function updateCannedAnswer(db: Db, actor: Actor, id: number, input: CannedAnswerInput) {
  return unique(() =>
    db.transaction(async (tx) => {
      const [before] = await tx.select().from(cannedAnswers).where(eq(cannedAnswers.id, id)).for('update');
      if (!before) throw notFound('No such canned answer.');
      const [row] = await tx
        .update(cannedAnswers)
        .set({ ...input, updatedBy: actor.userId, updatedAt: new Date() })
        .where(eq(cannedAnswers.id, id))
        .returning();
      await auditStaff(tx, actor, subject(id), 'canned_answer_updated', { ...what(row!), previous: what(before) });
      return row!;
    }),
  );
}

export async function deleteCannedAnswer(db: Db, actor: Actor, id: number) {
  return db.transaction(async (tx) => {
    const [row] = await tx.delete(cannedAnswers).where(eq(cannedAnswers.id, id)).returning();
    if (!row) throw notFound('No such canned answer.');
    await auditStaff(tx, actor, subject(id), 'canned_answer_deleted', what(row));
    return { deleted: true };
  });
}

/** The canned answers' audit trail, newest first (admins). */
export async function cannedAnswerHistory(db: Db, limit = 200) {
  const rows = await db
    .select()
    .from(staffAudit)
    .where(like(staffAudit.subject, 'canned_answer:%'))
    .orderBy(desc(staffAudit.id))
    .limit(limit);
  return rows.map((r) => ({ type: r.type, actor: r.actor, at: r.createdAt, data: r.data }));
}
