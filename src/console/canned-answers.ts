import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { CATEGORY_CODES } from '../classify/taxonomy';
import type { Db } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { cannedAnswers } from '../db/schema';
import type { Actor } from '../auth/roles';
import { ApiError, notFound } from '../api/errors';

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

export async function createCannedAnswer(db: Db, actor: Actor, input: CannedAnswerInput) {
  const [row] = await unique(() =>
    db
      .insert(cannedAnswers)
      .values({ ...input, createdBy: actor.userId, updatedBy: actor.userId })
      .returning(),
  );
  return row!;
}

export async function updateCannedAnswer(db: Db, actor: Actor, id: number, input: CannedAnswerInput) {
  const [row] = await unique(() =>
    db
      .update(cannedAnswers)
      .set({ ...input, updatedBy: actor.userId, updatedAt: new Date() })
      .where(eq(cannedAnswers.id, id))
      .returning(),
  );
  if (!row) throw notFound('No such canned answer.');
  return row;
}

export async function deleteCannedAnswer(db: Db, id: number) {
  const [row] = await db.delete(cannedAnswers).where(eq(cannedAnswers.id, id)).returning({ id: cannedAnswers.id });
  if (!row) throw notFound('No such canned answer.');
  return { deleted: true };
}
