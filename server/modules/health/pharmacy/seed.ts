import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../../../db/client.js';

/**
 * The demo catalogue: drugs a puskesmas in Makassar dispenses every day (Formularium Nasional),
 * with the unit they are counted in, the monthly use of one puskesmas and its minimum stock.
 */
const DRUGS: { code: string; name: string; form: string; unit: string; monthly: number; min: number }[] = [
  { code: 'PCT-500', name: 'Parasetamol 500 mg', form: 'tablet', unit: 'tablet', monthly: 3000, min: 600 },
  { code: 'PCT-SYR', name: 'Parasetamol sirup 120 mg/5 ml', form: 'sirup', unit: 'botol', monthly: 120, min: 30 },
  { code: 'AMX-500', name: 'Amoksisilin 500 mg', form: 'kapsul', unit: 'kapsul', monthly: 2400, min: 500 },
  { code: 'AMX-SYR', name: 'Amoksisilin sirup kering 125 mg/5 ml', form: 'suspensi', unit: 'botol', monthly: 80, min: 20 },
  { code: 'ANT-DOEN', name: 'Antasida DOEN tablet kunyah', form: 'tablet', unit: 'tablet', monthly: 1500, min: 300 },
  { code: 'CTM-4', name: 'Klorfeniramin maleat (CTM) 4 mg', form: 'tablet', unit: 'tablet', monthly: 1200, min: 250 },
  { code: 'IBU-400', name: 'Ibuprofen 400 mg', form: 'tablet', unit: 'tablet', monthly: 900, min: 200 },
  { code: 'AMF-500', name: 'Asam mefenamat 500 mg', form: 'tablet', unit: 'tablet', monthly: 800, min: 200 },
  { code: 'MET-500', name: 'Metformin 500 mg', form: 'tablet', unit: 'tablet', monthly: 2700, min: 600 },
  { code: 'GLB-5', name: 'Glibenklamid 5 mg', form: 'tablet', unit: 'tablet', monthly: 900, min: 200 },
  { code: 'AML-5', name: 'Amlodipin 5 mg', form: 'tablet', unit: 'tablet', monthly: 2400, min: 500 },
  { code: 'AML-10', name: 'Amlodipin 10 mg', form: 'tablet', unit: 'tablet', monthly: 900, min: 200 },
  { code: 'CAP-25', name: 'Kaptopril 25 mg', form: 'tablet', unit: 'tablet', monthly: 600, min: 150 },
  { code: 'SIM-10', name: 'Simvastatin 10 mg', form: 'tablet', unit: 'tablet', monthly: 900, min: 200 },
  { code: 'ALO-100', name: 'Alopurinol 100 mg', form: 'tablet', unit: 'tablet', monthly: 450, min: 100 },
  { code: 'OMZ-20', name: 'Omeprazol 20 mg', form: 'kapsul', unit: 'kapsul', monthly: 600, min: 150 },
  { code: 'DEX-05', name: 'Deksametason 0,5 mg', form: 'tablet', unit: 'tablet', monthly: 600, min: 150 },
  { code: 'SAL-2', name: 'Salbutamol 2 mg', form: 'tablet', unit: 'tablet', monthly: 450, min: 100 },
  { code: 'GG-100', name: 'Gliseril guaiakolat 100 mg', form: 'tablet', unit: 'tablet', monthly: 900, min: 200 },
  { code: 'KTM-480', name: 'Kotrimoksazol 480 mg', form: 'tablet', unit: 'tablet', monthly: 600, min: 150 },
  { code: 'MTZ-500', name: 'Metronidazol 500 mg', form: 'tablet', unit: 'tablet', monthly: 450, min: 100 },
  { code: 'CIP-500', name: 'Siprofloksasin 500 mg', form: 'tablet', unit: 'tablet', monthly: 300, min: 80 },
  { code: 'LOR-10', name: 'Loratadin 10 mg', form: 'tablet', unit: 'tablet', monthly: 450, min: 100 },
  { code: 'ORALIT', name: 'Oralit 200 ml', form: 'serbuk', unit: 'sachet', monthly: 600, min: 150 },
  { code: 'ZINC-20', name: 'Zinc 20 mg dispersible', form: 'tablet', unit: 'tablet', monthly: 600, min: 150 },
  { code: 'TTD-FE', name: 'Tablet tambah darah (Fe + asam folat)', form: 'tablet', unit: 'tablet', monthly: 1800, min: 400 },
  { code: 'VIT-BC', name: 'Vitamin B kompleks', form: 'tablet', unit: 'tablet', monthly: 1500, min: 300 },
  { code: 'VIT-C50', name: 'Vitamin C 50 mg', form: 'tablet', unit: 'tablet', monthly: 1200, min: 250 },
  { code: 'KALK-500', name: 'Kalsium laktat 500 mg', form: 'tablet', unit: 'tablet', monthly: 900, min: 200 },
  { code: 'GEN-SLP', name: 'Gentamisin salep kulit 0,1%', form: 'salep', unit: 'tube', monthly: 60, min: 15 },
  { code: 'HYD-KRM', name: 'Hidrokortison krim 2,5%', form: 'krim', unit: 'tube', monthly: 50, min: 12 },
  { code: 'CHL-TTM', name: 'Kloramfenikol tetes mata 0,5%', form: 'tetes', unit: 'botol', monthly: 40, min: 10 },
];

/** The tenant's drug catalogue; returns drug ids by code. */
export async function seedDrugCatalogue(tx: Tx, tenantId: string, now: Date): Promise<Map<string, string>> {
  const rows = DRUGS.map((d) => ({ id: uuidv7(), code: d.code, name: d.name, form: d.form, unit: d.unit }));
  await tx.execute(
    sql`INSERT INTO health_drugs (tenant_id, id, code, name, form, unit, active, created_at)
        SELECT ${tenantId}, r.id, r.code, r.name, r.form, r.unit, true, ${now}
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(id uuid, code text, name text, form text, unit text)`,
  );
  return new Map(rows.map((r) => [r.code, r.id]));
}

const DAY = 86_400_000;
const dateIn = (now: Date, days: number) => new Date(now.getTime() + days * DAY).toISOString().slice(0, 10);

/**
 * A puskesmas's pharmacy stock as on a real day: two batches of most drugs (one from the last
 * delivery, one older), about two months of use in all. A few drugs are short of their minimum, a
 * few batches expire within three months, and one expired batch still waits to be written off.
 */
export async function seedPharmacyStock(tx: Tx, tenantId: string, facilityId: string, facilityIndex: number, drugIds: Map<string, string>, now: Date): Promise<void> {
  const stock: { drug_id: string; on_hand: number; min_stock: number }[] = [];
  const batches: { id: string; drug_id: string; batch_no: string; expires_on: string; quantity: number; received_at: string }[] = [];
  DRUGS.forEach((d, i) => {
    const drugId = drugIds.get(d.code)!;
    const k = (i * 7 + facilityIndex * 3) % 11;
    // Drugs 3, 7 and 10 of the rotation run low; 2 and 9 have an older batch near expiry.
    const scale = k === 3 || k === 7 || k === 10 ? 0.12 : 1.2 + (k % 4) * 0.25;
    const total = Math.max(4, Math.round(d.monthly * scale));
    const older = Math.round(total * 0.35);
    const code = d.code.replace(/-/g, '').slice(0, 5);
    const lot = (n: number) => `${code}${String(24 + n).padStart(2, '0')}${String.fromCharCode(65 + ((i + facilityIndex) % 26))}${String(100 + i * 3 + facilityIndex).slice(-3)}`;
    const entries: { quantity: number; expiresIn: number; receivedAgo: number; n: number }[] = [];
    if (older > 0) entries.push({ quantity: older, expiresIn: k === 2 || k === 9 ? 40 + k * 3 : 200 + k * 11, receivedAgo: 120 + k, n: 0 });
    entries.push({ quantity: total - older, expiresIn: 540 + k * 17, receivedAgo: 10 + k, n: 1 });
    // One expired batch at the puskesmas, not yet written off.
    if (k === 5) entries.push({ quantity: 30, expiresIn: -12, receivedAgo: 400, n: 2 });
    let onHand = 0;
    for (const e of entries) {
      if (e.quantity <= 0) continue;
      onHand += e.quantity;
      batches.push({ id: uuidv7(), drug_id: drugId, batch_no: lot(e.n), expires_on: dateIn(now, e.expiresIn), quantity: e.quantity, received_at: new Date(now.getTime() - e.receivedAgo * DAY).toISOString() });
    }
    stock.push({ drug_id: drugId, on_hand: onHand, min_stock: d.min });
  });
  await tx.execute(
    sql`INSERT INTO health_stock (tenant_id, facility_id, drug_id, on_hand, min_stock, updated_at)
        SELECT ${tenantId}, ${facilityId}, r.drug_id, r.on_hand, r.min_stock, ${now}
          FROM jsonb_to_recordset(${JSON.stringify(stock)}::jsonb) AS r(drug_id uuid, on_hand integer, min_stock integer)`,
  );
  await tx.execute(
    sql`INSERT INTO health_stock_batches (tenant_id, id, facility_id, drug_id, batch_no, expires_on, quantity, received_at)
        SELECT ${tenantId}, r.id, ${facilityId}, r.drug_id, r.batch_no, r.expires_on, r.quantity, r.received_at
          FROM jsonb_to_recordset(${JSON.stringify(batches)}::jsonb) AS r(id uuid, drug_id uuid, batch_no text, expires_on date, quantity integer, received_at timestamptz)`,
  );
  // Each batch came in as a receipt: the ledger starts with it.
  const moves = batches.map((b) => ({ id: uuidv7(), drug_id: b.drug_id, batch_id: b.id, quantity: b.quantity, created_at: b.received_at }));
  await tx.execute(
    sql`INSERT INTO health_stock_moves (tenant_id, id, facility_id, drug_id, batch_id, kind, quantity, balance, reason, created_at)
        SELECT ${tenantId}, r.id, ${facilityId}, r.drug_id, r.batch_id, 'receipt', r.quantity, r.quantity, 'Distribusi Instalasi Farmasi Dinas Kesehatan', r.created_at
          FROM jsonb_to_recordset(${JSON.stringify(moves)}::jsonb) AS r(id uuid, drug_id uuid, batch_id uuid, quantity integer, created_at timestamptz)`,
  );
}
