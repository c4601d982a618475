import type { Database } from '../src/db/client';
import { correctionsAsExamples, recordCorrection } from '../src/classify/corrections';
import { dbKinds, openTestDb } from './support/harness';

describe.each(dbKinds())('operator corrections become training examples (%s)', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDb(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('records a correction with who made it and exports it as a labelled example', async () => {
    await recordCorrection(database.db, {
      text: 'Xin hỏi thuế chuyển nhượng đất'.normalize('NFD'),
      labels: { category: 'thue', kind: 'hoi_dap', conduct: false, emergency: false },
      predicted: { category: 'dat_dai' },
      by: 'operator@example.vn',
    });
    const [example] = await correctionsAsExamples(database.db);
    expect(example).toMatchObject({ category: 'thue', kind: 'hoi_dap', style: 'correction' });
    expect(example!.text).toBe('Xin hỏi thuế chuyển nhượng đất'.normalize('NFC'));
  });

  it('refuses labels outside the taxonomy', async () => {
    await expect(
      recordCorrection(database.db, {
        text: 'x',
        labels: { category: 'nope' as never, kind: 'hoi_dap', conduct: false, emergency: false },
        by: 'operator@example.vn',
      }),
    ).rejects.toThrow();
  });
});
