import { asc } from 'drizzle-orm';
import type { Db } from '../db/client';
import { classificationCorrections } from '../db/schema';
import { labelledSchema, type Labelled } from './taxonomy';

export interface Correction {
  ticketId?: number | null;
  text: string;
  labels: Pick<Labelled, 'category' | 'kind' | 'conduct' | 'emergency'>;
  predicted?: Record<string, unknown>;
  by: string;
}

/** Records an operator's correction; the labels are checked against the taxonomy first. */
export async function recordCorrection(db: Db, c: Correction): Promise<number> {
  const labels = labelledSchema.pick({ category: true, kind: true, conduct: true, emergency: true }).parse(c.labels);
  const [row] = await db
    .insert(classificationCorrections)
    .values({
      ticketId: c.ticketId ?? null,
      text: c.text.normalize('NFC'),
      ...labels,
      predicted: c.predicted ?? null,
      correctedBy: c.by,
    })
    .returning({ id: classificationCorrections.id });
  return row!.id;
}

/** All corrections as labelled examples, oldest first (ids "corr-<id>"), for data/corpus/corrections.jsonl. */
export async function correctionsAsExamples(db: Db): Promise<Labelled[]> {
  const rows = await db.select().from(classificationCorrections).orderBy(asc(classificationCorrections.id));
  return rows.map((r) =>
    labelledSchema.parse({
      id: `corr-${r.id}`,
      text: r.text,
      category: r.category,
      kind: r.kind,
      conduct: r.conduct,
      emergency: r.emergency,
      style: 'correction',
    }),
  );
}
