/**
 * e-Farmasi: contracts and rules shared by the server and the web app — prescriptions written at
 * a visit, dispensing by batch earliest expiry first (FEFO), stock receipts and adjustments, and
 * the low-stock and near-expiry alerts.
 */
import { z } from 'zod';
import { daysBetween } from './rules.js';

/** A batch whose expiry is this many days away or fewer is flagged as near expiry. */
export const NEAR_EXPIRY_DAYS = 90;

export const DRUG_FORMS = ['tablet', 'kapsul', 'kaplet', 'sirup', 'suspensi', 'salep', 'krim', 'tetes', 'injeksi', 'serbuk', 'inhaler', 'lainnya'] as const;
export const PRESCRIPTION_STATUSES = ['pending', 'dispensed', 'cancelled'] as const;
export const STOCK_MOVE_KINDS = ['receipt', 'dispense', 'adjustment'] as const;

/** A batch may be dispensed while its expiry date is after today (never on or after its last day). */
export function dispensable(expiresOn: string, today: string): boolean {
  return expiresOn > today;
}

/** Flags of a batch still holding stock: expired, or within NEAR_EXPIRY_DAYS of its expiry. */
export function expiryState(expiresOn: string, today: string): 'expired' | 'near' | 'ok' {
  if (!dispensable(expiresOn, today)) return 'expired';
  return daysBetween(today, expiresOn) <= NEAR_EXPIRY_DAYS ? 'near' : 'ok';
}

export interface BatchStock {
  id: string;
  expiresOn: string;
  quantity: number;
}

/**
 * Takes `quantity` from the batches, earliest expiry first (then the batch received first, by id),
 * skipping batches that may no longer be dispensed. Returns what each batch gives, or null when the
 * dispensable stock is short (nothing is taken then).
 */
export function allocateFefo(batches: BatchStock[], quantity: number, today: string): { batchId: string; take: number }[] | null {
  const usable = batches.filter((b) => b.quantity > 0 && dispensable(b.expiresOn, today));
  usable.sort((a, b) => (a.expiresOn < b.expiresOn ? -1 : a.expiresOn > b.expiresOn ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: { batchId: string; take: number }[] = [];
  let left = quantity;
  for (const b of usable) {
    if (left === 0) break;
    const take = Math.min(left, b.quantity);
    out.push({ batchId: b.id, take });
    left -= take;
  }
  return left === 0 ? out : null;
}

const text = (min: number, max: number) => z.string().trim().min(min).max(max);

export const DrugView = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  form: z.enum(DRUG_FORMS),
  unit: z.string(),
});
export type Drug = z.infer<typeof DrugView>;

/** A drug of the catalogue page: withdrawn drugs (inactive) are listed too. */
export const CatalogueDrug = DrugView.extend({ active: z.boolean() });

const drugUnit = z.string().trim().regex(/^[\p{L}][\p{L} ./-]{1,19}$/u, { message: 'health.drug_unit' });

export const DrugCreateBody = z.strictObject({
  /** Short code, e.g. the Fornas abbreviation: capitals, digits and hyphens. */
  code: z.string().trim().regex(/^[A-Z0-9][A-Z0-9-]{1,29}$/, { message: 'health.drug_code' }),
  name: text(3, 120),
  form: z.enum(DRUG_FORMS),
  /** What stock and prescriptions count in: tablet, kapsul, botol, tube, sachet… */
  unit: drugUnit,
});
export type DrugCreateBody = z.infer<typeof DrugCreateBody>;

export const DrugPatchBody = z
  .strictObject({ name: text(3, 120).optional(), form: z.enum(DRUG_FORMS).optional(), unit: drugUnit.optional(), active: z.boolean().optional() })
  .refine((b) => Object.keys(b).length > 0, { message: 'health.nothing_to_change' });
export type DrugPatchBody = z.infer<typeof DrugPatchBody>;

/** One line of a prescription: the drug, how to take it (signa) and how much to hand over. */
export const PrescriptionItemBody = z.strictObject({
  drugId: z.uuid(),
  dose: text(3, 120),
  quantity: z.number().int().min(1).max(1000),
});

/** Written (or rewritten, while not dispensed) at a visit. */
export const PrescriptionBody = z
  .strictObject({
    items: z.array(PrescriptionItemBody).min(1).max(20),
    note: z.string().trim().max(500).optional(),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.items.forEach((item, i) => {
      if (seen.has(item.drugId)) ctx.addIssue({ code: 'custom', path: ['items', i, 'drugId'], message: 'health.drug_repeated' });
      seen.add(item.drugId);
    });
  });
export type PrescriptionInput = z.infer<typeof PrescriptionBody>;

/** What a line took from which batch when the prescription was dispensed. */
export const DispensedBatch = z.object({ batchNo: z.string(), expiresOn: z.string(), quantity: z.number().int() });

export const PrescriptionView = z.object({
  id: z.uuid(),
  status: z.enum(PRESCRIPTION_STATUSES),
  facility: z.object({ id: z.uuid(), name: z.string() }),
  visit: z.object({ id: z.uuid(), queueCode: z.string(), serviceName: z.string(), date: z.string() }),
  patient: z.object({ id: z.uuid(), name: z.string(), nikMasked: z.string() }),
  /** The patient's number in the facility's pharmacy queue that day, if they have one. */
  pharmacyQueueCode: z.string().nullable(),
  prescriber: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
  dispensedAt: z.string().nullable(),
  items: z.array(
    z.object({
      line: z.number().int(),
      drug: DrugView,
      dose: z.string(),
      quantity: z.number().int(),
      /** Dispensable stock of the drug at the facility now. */
      available: z.number().int(),
      dispensed: z.array(DispensedBatch),
    }),
  ),
});
export type Prescription = z.infer<typeof PrescriptionView>;

/** The pharmacy's list: no drugs (health data is read one prescription at a time, audited). */
export const PrescriptionSummary = z.object({
  id: z.uuid(),
  status: z.enum(PRESCRIPTION_STATUSES),
  visit: z.object({ queueCode: z.string(), serviceName: z.string(), date: z.string() }),
  patient: z.object({ name: z.string(), nikMasked: z.string() }),
  pharmacyQueueCode: z.string().nullable(),
  itemCount: z.number().int(),
  prescriber: z.string(),
  createdAt: z.string(),
  dispensedAt: z.string().nullable(),
});

/** A drug's stock at a facility. */
export const StockItem = z.object({
  drug: DrugView,
  /** Stock that may still be dispensed (batches not expired). */
  available: z.number().int(),
  /** Stock in expired batches, waiting to be written off. */
  expired: z.number().int(),
  minStock: z.number().int(),
  /** The earliest expiry among batches that may still be dispensed. */
  nextExpiry: z.string().nullable(),
  low: z.boolean(),
  nearExpiry: z.boolean(),
});
export type StockItemType = z.infer<typeof StockItem>;

export const StockBatch = z.object({
  id: z.uuid(),
  batchNo: z.string(),
  expiresOn: z.string(),
  quantity: z.number().int(),
  receivedAt: z.string(),
  state: z.enum(['expired', 'near', 'ok']),
});

export const StockMove = z.object({
  id: z.uuid(),
  kind: z.enum(STOCK_MOVE_KINDS),
  quantity: z.number().int(),
  balance: z.number().int(),
  batchNo: z.string(),
  reason: z.string().nullable(),
  actor: z.string().nullable(),
  createdAt: z.string(),
});

/** Stock received from the Dinas Kesehatan's warehouse (or bought): one batch line. */
export const ReceiptBody = z.strictObject({
  drugId: z.uuid(),
  batchNo: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9./-]{0,39}$/, { message: 'health.batch_no' }),
  expiresOn: z.iso.date(),
  quantity: z.number().int().min(1).max(100_000),
  note: z.string().trim().max(300).optional(),
});

/** A counted difference (stock opname), damage, loss or the write-off of an expired batch. */
export const AdjustmentBody = z.strictObject({
  delta: z
    .number()
    .int()
    .min(-100_000)
    .max(100_000)
    .refine((n) => n !== 0, { message: 'health.adjustment_zero' }),
  reason: text(3, 300),
});

export const MinStockBody = z.strictObject({ minStock: z.number().int().min(0).max(100_000) });
