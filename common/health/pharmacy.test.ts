import { describe, expect, it } from 'vitest';
import { allocateFefo, dispensable, expiryState, NEAR_EXPIRY_DAYS, PrescriptionBody } from './pharmacy.js';

const TODAY = '2026-11-30';

describe('FEFO allocation', () => {
  const batches = [
    { id: 'b3', expiresOn: '2027-06-30', quantity: 100 },
    { id: 'b1', expiresOn: '2027-01-31', quantity: 8 },
    { id: 'b2', expiresOn: '2027-01-31', quantity: 5 },
    { id: 'old', expiresOn: '2026-11-30', quantity: 50 },
    { id: 'gone', expiresOn: '2025-12-31', quantity: 40 },
    { id: 'empty', expiresOn: '2026-12-15', quantity: 0 },
  ];

  it('takes the earliest expiry first, then the older batch of the same expiry', () => {
    expect(allocateFefo(batches, 10, TODAY)).toEqual([
      { batchId: 'b1', take: 8 },
      { batchId: 'b2', take: 2 },
    ]);
    expect(allocateFefo(batches, 8, TODAY)).toEqual([{ batchId: 'b1', take: 8 }]);
    expect(allocateFefo(batches, 20, TODAY)).toEqual([
      { batchId: 'b1', take: 8 },
      { batchId: 'b2', take: 5 },
      { batchId: 'b3', take: 7 },
    ]);
  });

  it('never hands out a batch on or after its expiry date, nor an empty one', () => {
    const taken = allocateFefo(batches, 113, TODAY)!.map((x) => x.batchId);
    expect(taken).toEqual(['b1', 'b2', 'b3']);
    expect(taken).not.toContain('old');
  });

  it('takes nothing when the dispensable stock is short, even if expired stock would cover it', () => {
    expect(allocateFefo(batches, 114, TODAY)).toBeNull();
    expect(allocateFefo([], 1, TODAY)).toBeNull();
  });

  it('does not reorder the caller’s array', () => {
    const copy = batches.map((b) => b.id);
    allocateFefo(batches, 5, TODAY);
    expect(batches.map((b) => b.id)).toEqual(copy);
  });
});

describe('expiry', () => {
  it('is dispensable until the day before the expiry date', () => {
    expect(dispensable('2026-12-01', TODAY)).toBe(true);
    expect(dispensable(TODAY, TODAY)).toBe(false);
    expect(expiryState(TODAY, TODAY)).toBe('expired');
  });
  it(`is near expiry within ${NEAR_EXPIRY_DAYS} days`, () => {
    expect(expiryState('2027-02-28', TODAY)).toBe('near'); // 90 days
    expect(expiryState('2027-03-01', TODAY)).toBe('ok'); // 91 days
    expect(expiryState('2026-12-01', TODAY)).toBe('near');
  });
});

describe('prescription body', () => {
  const drug = '0190f0c4-7a1b-7000-8000-000000000001';
  it('refuses the same drug twice, on the repeated line', () => {
    const r = PrescriptionBody.safeParse({ items: [{ drugId: drug, dose: '3 x 1', quantity: 10 }, { drugId: drug, dose: '2 x 1', quantity: 4 }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['items.1.drugId', 'health.drug_repeated']]);
  });
  it('wants at least one line, a dose and a whole positive quantity', () => {
    expect(PrescriptionBody.safeParse({ items: [] }).success).toBe(false);
    expect(PrescriptionBody.safeParse({ items: [{ drugId: drug, dose: ' ', quantity: 10 }] }).success).toBe(false);
    expect(PrescriptionBody.safeParse({ items: [{ drugId: drug, dose: '3 x 1', quantity: 0 }] }).success).toBe(false);
    expect(PrescriptionBody.safeParse({ items: [{ drugId: drug, dose: '3 x 1', quantity: 2.5 }] }).success).toBe(false);
    expect(PrescriptionBody.safeParse({ items: [{ drugId: drug, dose: '3 x 1 sesudah makan', quantity: 10 }] }).success).toBe(true);
  });
});
