import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../test/support/app.js';

/**
 * e-Farmasi (issue 5, point 8): a prescription written at a poli visit, the pharmacy's list,
 * dispensing by batch earliest expiry first that never takes stock below zero (also with many
 * pharmacists at once), receipts and adjustments (audited), the low-stock and near-expiry alerts,
 * and bad input of every kind refused with nothing written.
 */

let t: TestApp;
let dataDir: string;
let counter: Session;
let doctor: Session;
let pharmacist: Session;
let batua: string;
let kassi: string;
let umum: string;
let farmasi: string;
const drugs = new Map<string, { id: string; name: string; unit: string }>();

/** Monday 30 November 2026, 08:30 WITA. */
const MONDAY = '2026-11-30';

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'pharmacy-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' } });
  t.clock.set('2026-11-30T00:30:00Z');
  counter = await t.login('loket.batua@makassarkota.go.id');
  doctor = await t.login('dokter.batua@makassarkota.go.id');
  pharmacist = await t.login('apoteker.batua@makassarkota.go.id');
  const facilities = (await t.request(null, 'GET', '/api/v1/health/facilities')).json().items as { id: string; name: string }[];
  batua = facilities.find((f) => f.name === 'Puskesmas Batua')!.id;
  kassi = facilities.find((f) => f.name === 'Puskesmas Kassi-Kassi')!.id;
  const services = (await t.request(null, 'GET', `/api/v1/health/facilities/${batua}/services?date=${MONDAY}`)).json().items as { id: string; name: string }[];
  umum = services.find((s) => s.name === 'Poli Umum')!.id;
  farmasi = services.find((s) => s.name === 'Farmasi')!.id;
  for (const d of (await t.request(doctor, 'GET', '/api/v1/health/drugs')).json().items) drugs.set(d.code, d);
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const drug = (code: string) => drugs.get(code)!;
const codesOf = (res: { json(): any }) => ((res.json().errors ?? []) as { code: string }[]).map((e) => e.code);
const fieldsOf = (res: { json(): any }) => ((res.json().errors ?? []) as { field: string }[]).map((e) => e.field);
async function count(table: string): Promise<number> {
  const [r] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return r.n;
}

let serial = 500;
/** A walk-in at the Poli Umum, called and being served: ready for a prescription. */
async function servedPatient(name: string): Promise<{ id: string; queueCode: string }> {
  const nik = `737110210590${String(serial++).padStart(4, '0')}`;
  const p = await t.request(counter, 'POST', '/api/v1/health/patients', { nik, name, birthDate: '1990-05-21', sex: 'male' });
  expect(p.statusCode, p.body).toBe(201);
  const v = await t.request(counter, 'POST', '/api/v1/health/visits', { serviceId: umum, patientId: p.json().id, date: MONDAY });
  expect(v.statusCode, v.body).toBe(201);
  for (;;) {
    const c = (await t.request(counter, 'POST', `/api/v1/health/services/${umum}/queue/call-next`, {})).json().visit;
    expect(c).not.toBeNull();
    if (c.id === v.json().id) break;
    await t.request(counter, 'POST', `/api/v1/health/visits/${c.id}/skip`, {});
  }
  expect((await t.request(counter, 'POST', `/api/v1/health/visits/${v.json().id}/start`, {})).statusCode).toBe(200);
  return v.json();
}

async function stockOf(code: string) {
  const res = await t.request(pharmacist, 'GET', `/api/v1/health/facilities/${batua}/stock/${drug(code).id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { stock: { available: number; expired: number; low: boolean; nearExpiry: boolean; minStock: number }; batches: { id: string; batchNo: string; expiresOn: string; quantity: number; state: string }[]; moves: { kind: string; quantity: number; balance: number; batchNo: string; reason: string | null; actor: string | null }[] };
}

/** Writes every batch of the drug off, so that a test starts from known batches. */
async function emptyStock(code: string) {
  for (const b of (await stockOf(code)).batches) {
    const res = await t.request(pharmacist, 'POST', `/api/v1/health/stock/batches/${b.id}/adjustments`, { delta: -b.quantity, reason: 'Ditarik untuk uji stok' });
    expect(res.statusCode, res.body).toBe(200);
  }
  expect((await stockOf(code)).stock).toMatchObject({ available: 0, expired: 0 });
}

async function receive(code: string, batchNo: string, expiresOn: string, quantity: number) {
  const res = await t.request(pharmacist, 'POST', `/api/v1/health/facilities/${batua}/stock/receipts`, { drugId: drug(code).id, batchNo, expiresOn, quantity });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('drug catalogue', () => {
  it('lists the active drugs by name for staff, searchable by name or code', async () => {
    expect(drugs.size).toBeGreaterThanOrEqual(30);
    const found = (await t.request(doctor, 'GET', '/api/v1/health/drugs?q=amoks')).json().items.map((d: { name: string }) => d.name);
    expect(found).toEqual(['Amoksisilin 500 mg', 'Amoksisilin sirup kering 125 mg/5 ml']);
    expect((await t.request(doctor, 'GET', '/api/v1/health/drugs?q=PCT-500')).json().items).toHaveLength(1);
    expect((await t.request(doctor, 'GET', '/api/v1/health/drugs?q=100%25')).json().items).toEqual([]);
    const resident = await t.login(DEMO.citizen);
    expect((await t.request(resident, 'GET', '/api/v1/health/drugs')).statusCode).toBe(403);
    expect((await t.request(null, 'GET', '/api/v1/health/drugs')).statusCode).toBe(401);
  });
});

describe('prescription to dispensing', () => {
  it('goes from the poli to the pharmacy: written, rewritten, listed, read (audited), dispensed earliest expiry first, stock down', async () => {
    await emptyStock('AMX-500');
    await receive('AMX-500', 'AMX24LATE01', '2028-03-31', 200);
    await receive('AMX-500', 'AMX24SOON01', '2027-01-15', 9);
    const before = await stockOf('PCT-500');

    const v = await servedPatient('Muhammad Rizal Daeng Sikki');
    const body = { items: [{ drugId: drug('PCT-500').id, dose: '3 x 1 tablet sesudah makan', quantity: 10 }, { drugId: drug('AMX-500').id, dose: '3 x 1 kapsul, habiskan', quantity: 12 }], note: 'Faringitis akut' };
    const first = await t.request(doctor, 'PUT', `/api/v1/health/visits/${v.id}/prescription`, body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ status: 'pending', prescriber: 'dr. Andi Nurfadillah', visit: { queueCode: v.queueCode, serviceName: 'Poli Umum' }, note: 'Faringitis akut' });
    expect(first.json().patient.nikMasked).toMatch(/^737110\*+$/);
    // The doctor corrects the quantity before the pharmacy hands it over: the same prescription.
    body.items[1].quantity = 15;
    const second = await t.request(doctor, 'PUT', `/api/v1/health/visits/${v.id}/prescription`, body);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().id).toBe(first.json().id);
    expect(second.json().items.map((i: { quantity: number; line: number }) => [i.line, i.quantity])).toEqual([
      [1, 10],
      [2, 15],
    ]);

    // The counter sends the patient on to the pharmacy queue.
    const moved = await t.request(counter, 'POST', `/api/v1/health/visits/${v.id}/transfer`, { serviceId: farmasi });
    expect(moved.statusCode, moved.body).toBe(200);
    const pharmacyCode = moved.json().to.queueCode;

    // The pharmacy's list names the patient and the number, not the drugs.
    const list = await t.request(pharmacist, 'GET', `/api/v1/health/facilities/${batua}/prescriptions`);
    expect(list.statusCode, list.body).toBe(200);
    const row = list.json().items.find((p: { id: string }) => p.id === first.json().id);
    expect(row).toMatchObject({ status: 'pending', pharmacyQueueCode: pharmacyCode, itemCount: 2, patient: { name: 'Muhammad Rizal Daeng Sikki' } });
    expect(JSON.stringify(list.json())).not.toContain('Amoksisilin');

    const read = await t.request(pharmacist, 'GET', `/api/v1/health/prescriptions/${first.json().id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().items[1]).toMatchObject({ drug: { code: 'AMX-500' }, quantity: 15, available: 209 });
    const [audit] = await t.db.query<{ actor_id: string }>(`SELECT actor_id::text FROM audit_events WHERE action = 'health.prescription.read' AND entity_id = $1`, [first.json().id]);
    expect(audit).toBeTruthy();

    const done = await t.request(pharmacist, 'POST', `/api/v1/health/prescriptions/${first.json().id}/dispense`, {});
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().status).toBe('dispensed');
    // Earliest expiry first: the 9 of the January batch, then 6 of the 2028 batch.
    expect(done.json().items[1].dispensed).toEqual([
      { batchNo: 'AMX24SOON01', expiresOn: '2027-01-15', quantity: 9 },
      { batchNo: 'AMX24LATE01', expiresOn: '2028-03-31', quantity: 6 },
    ]);
    const amx = await stockOf('AMX-500');
    expect(amx.stock.available).toBe(194);
    expect(amx.batches.map((b) => [b.batchNo, b.quantity])).toEqual([['AMX24LATE01', 194]]);
    expect(amx.moves.slice(0, 2).map((m) => [m.kind, m.quantity, m.balance, m.batchNo, m.actor])).toEqual([
      ['dispense', -6, 194, 'AMX24LATE01', 'apt. Nurul Qalbi, S.Farm.'],
      ['dispense', -9, 0, 'AMX24SOON01', 'apt. Nurul Qalbi, S.Farm.'],
    ]);
    expect((await stockOf('PCT-500')).stock.available).toBe(before.stock.available - 10);
    const [onHand] = await t.db.query<{ on_hand: number; sum: number }>(
      `SELECT s.on_hand, (SELECT sum(quantity)::int FROM health_stock_batches b WHERE b.tenant_id = s.tenant_id AND b.facility_id = s.facility_id AND b.drug_id = s.drug_id) AS sum
         FROM health_stock s WHERE s.facility_id = $1 AND s.drug_id = $2`,
      [batua, drug('AMX-500').id],
    );
    expect(onHand).toEqual({ on_hand: 194, sum: 194 });
    const [dispensed] = await t.db.query<{ data: any }>(`SELECT data FROM audit_events WHERE action = 'health.prescription.dispensed' AND entity_id = $1`, [first.json().id]);
    expect(dispensed.data.lines[1]).toEqual({ drug: 'AMX-500', quantity: 15, batches: [{ batchNo: 'AMX24SOON01', take: 9 }, { batchNo: 'AMX24LATE01', take: 6 }] });

    // Handed over once; not rewritten afterwards.
    const again = await t.request(pharmacist, 'POST', `/api/v1/health/prescriptions/${first.json().id}/dispense`, {});
    expect(again.statusCode).toBe(409);
    expect(codesOf(again)).toEqual(['health.prescription_not_pending']);
    const rewrite = await t.request(doctor, 'PUT', `/api/v1/health/visits/${v.id}/prescription`, body);
    expect(rewrite.statusCode).toBe(409);
    expect(codesOf(rewrite)).toEqual(['health.prescription_not_pending']);
  });

  it('refuses a prescription the stock cannot cover, naming the line and what is left, and changes nothing', async () => {
    await emptyStock('HYD-KRM');
    await receive('HYD-KRM', 'HYD24A001', '2027-09-30', 3);
    const v = await servedPatient('Andi Tenri Sau');
    const p = await t.request(doctor, 'PUT', `/api/v1/health/visits/${v.id}/prescription`, {
      items: [
        { drugId: drug('VIT-BC').id, dose: '1 x 1 tablet', quantity: 10 },
        { drugId: drug('HYD-KRM').id, dose: 'Oles tipis 2 x sehari', quantity: 4 },
      ],
    });
    expect(p.statusCode, p.body).toBe(201);
    const vitBefore = (await stockOf('VIT-BC')).stock.available;
    const moves = await count('health_stock_moves');
    const res = await t.request(pharmacist, 'POST', `/api/v1/health/prescriptions/${p.json().id}/dispense`, {});
    expect(res.statusCode).toBe(409);
    expect(fieldsOf(res)).toEqual(['items.1.quantity']);
    expect(res.json().errors[0].message).toBe('Stok Hidrokortison krim 2,5% tidak cukup: diminta 4 tube, tersedia 3 tube.');
    expect(await count('health_stock_moves')).toBe(moves);
    expect((await stockOf('VIT-BC')).stock.available).toBe(vitBefore);
    expect((await stockOf('HYD-KRM')).stock.available).toBe(3);
    expect((await t.request(pharmacist, 'GET', `/api/v1/health/prescriptions/${p.json().id}`)).json().status).toBe('pending');
  });

  it('never takes a batch below zero when many pharmacists dispense the last stock at once', async () => {
    await emptyStock('CHL-TTM');
    await receive('CHL-TTM', 'CHL24B001', '2027-06-30', 14);
    await receive('CHL-TTM', 'CHL24B002', '2027-12-31', 11);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const v = await servedPatient(`Pasien Mata ${i + 1}`);
      const p = await t.request(doctor, 'PUT', `/api/v1/health/visits/${v.id}/prescription`, { items: [{ drugId: drug('CHL-TTM').id, dose: '4 x 1 tetes mata kanan', quantity: 4 }] });
      expect(p.statusCode, p.body).toBe(201);
      ids.push(p.json().id);
    }
    const results = await Promise.all(ids.map((id) => t.request(pharmacist, 'POST', `/api/v1/health/prescriptions/${id}/dispense`, {})));
    // 25 drops bottles: six prescriptions of 4, then one left.
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(6);
    for (const r of results.filter((x) => x.statusCode !== 200)) {
      expect(r.statusCode).toBe(409);
      expect(codesOf(r)).toEqual(['health.stock_insufficient']);
    }
    const s = await stockOf('CHL-TTM');
    expect(s.stock.available).toBe(1);
    expect(s.batches.map((b) => [b.batchNo, b.quantity])).toEqual([['CHL24B002', 1]]);
    const [ledger] = await t.db.query<{ n: number; sum: number; negative: number }>(
      `SELECT count(*)::int AS n, sum(quantity)::int AS sum, count(*) FILTER (WHERE balance < 0)::int AS negative FROM health_stock_moves WHERE drug_id = $1 AND facility_id = $2 AND kind = 'dispense'`,
      [drug('CHL-TTM').id, batua],
    );
    expect(ledger).toEqual({ n: 7, sum: -24, negative: 0 });
  });
});

describe('stock receipts, adjustments and alerts', () => {
  it('adds to a batch of the same number, audits receipts and adjustments, and refuses bad stock input with nothing written', async () => {
    await emptyStock('GEN-SLP');
    const r1 = await receive('GEN-SLP', 'GEN2406X', '2027-08-31', 20);
    const r2 = await receive('GEN-SLP', 'GEN2406X', '2027-08-31', 5);
    expect(r2.batchId).toBe(r1.batchId);
    expect(r2.batches).toEqual([expect.objectContaining({ batchNo: 'GEN2406X', quantity: 25 })]);
    const [received] = await t.db.query<{ data: any }>(`SELECT data FROM audit_events WHERE action = 'health.stock.received' AND entity_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT 1`, [r1.batchId]);
    expect(received.data).toMatchObject({ drug: 'GEN-SLP', batchNo: 'GEN2406X', quantity: 5, balance: 25 });

    const adj = await t.request(pharmacist, 'POST', `/api/v1/health/stock/batches/${r1.batchId}/adjustments`, { delta: -2, reason: 'Tube rusak saat stok opname' });
    expect(adj.statusCode, adj.body).toBe(200);
    expect(adj.json().moves[0]).toMatchObject({ kind: 'adjustment', quantity: -2, balance: 23, reason: 'Tube rusak saat stok opname' });
    const [adjusted] = await t.db.query<{ data: any }>(`SELECT data FROM audit_events WHERE action = 'health.stock.adjusted' AND entity_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT 1`, [r1.batchId]);
    expect(adjusted.data).toMatchObject({ delta: -2, balance: 23, reason: 'Tube rusak saat stok opname' });

    const batches = await count('health_stock_batches');
    const moves = await count('health_stock_moves');
    const url = `/api/v1/health/facilities/${batua}/stock/receipts`;
    const bad: [unknown, string, string][] = [
      [{ drugId: drug('GEN-SLP').id, batchNo: 'GEN2406Y', expiresOn: MONDAY, quantity: 5 }, 'expiresOn', 'health.batch_expired'],
      [{ drugId: drug('GEN-SLP').id, batchNo: 'GEN2406X', expiresOn: '2027-09-30', quantity: 5 }, 'expiresOn', 'health.batch_expiry_mismatch'],
      [{ drugId: drug('GEN-SLP').id, batchNo: 'bets #1', expiresOn: '2027-09-30', quantity: 5 }, 'batchNo', 'health.batch_no'],
      [{ drugId: drug('GEN-SLP').id, batchNo: 'GEN2406Z', expiresOn: '2027-09-30', quantity: 0 }, 'quantity', ''],
      [{ drugId: drug('GEN-SLP').id, batchNo: 'GEN2406Z', expiresOn: '2027-02-30', quantity: 5 }, 'expiresOn', ''],
      [{ drugId: '0190f0c4-7a1b-7000-8000-000000000001', batchNo: 'GEN2406Z', expiresOn: '2027-09-30', quantity: 5 }, 'drugId', 'health.drug_unknown'],
    ];
    for (const [body, field, code] of bad) {
      const res = await t.request(pharmacist, 'POST', url, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(res)).toContain(field);
      if (code) expect(codesOf(res)).toContain(code);
    }
    const adjUrl = `/api/v1/health/stock/batches/${r1.batchId}/adjustments`;
    const zero = await t.request(pharmacist, 'POST', adjUrl, { delta: 0, reason: 'Tidak ada' });
    expect([zero.statusCode, codesOf(zero)]).toEqual([400, ['health.adjustment_zero']]);
    const noReason = await t.request(pharmacist, 'POST', adjUrl, { delta: -1 });
    expect([noReason.statusCode, fieldsOf(noReason)]).toEqual([400, ['reason']]);
    const negative = await t.request(pharmacist, 'POST', adjUrl, { delta: -24, reason: 'Hilang' });
    expect(negative.statusCode).toBe(409);
    expect(negative.json().errors[0]).toMatchObject({ field: 'delta', code: 'health.stock_negative' });
    expect(negative.json().errors[0].message).toContain('tinggal 23');
    // The counter keeps no stock; another facility's stock is not found.
    expect((await t.request(counter, 'POST', url, { drugId: drug('GEN-SLP').id, batchNo: 'GEN2406Z', expiresOn: '2027-09-30', quantity: 5 })).statusCode).toBe(403);
    expect((await t.request(pharmacist, 'POST', `/api/v1/health/facilities/${kassi}/stock/receipts`, { drugId: drug('GEN-SLP').id, batchNo: 'GEN2406Z', expiresOn: '2027-09-30', quantity: 5 })).statusCode).toBe(404);
    expect((await t.request(pharmacist, 'GET', `/api/v1/health/facilities/${kassi}/stock`)).statusCode).toBe(404);
    expect(await count('health_stock_batches')).toBe(batches);
    expect(await count('health_stock_moves')).toBe(moves);
    expect((await stockOf('GEN-SLP')).stock.available).toBe(23);
  });

  it('warns of low stock and of batches near expiry, filters and pages the stock list', async () => {
    await emptyStock('LOR-10');
    await receive('LOR-10', 'LOR24SOON', '2027-01-20', 40);
    const min = await t.request(pharmacist, 'PUT', `/api/v1/health/facilities/${batua}/stock/${drug('LOR-10').id}/min`, { minStock: 50 });
    expect(min.statusCode, min.body).toBe(200);
    expect(min.json().stock).toMatchObject({ available: 40, minStock: 50, low: true, nearExpiry: true, nextExpiry: '2027-01-20' });
    expect(min.json().batches[0].state).toBe('near');

    const all = (await t.request(pharmacist, 'GET', `/api/v1/health/facilities/${batua}/stock?pageSize=10&page=2`)).json();
    expect(all.total).toBe(drugs.size);
    expect(all.items).toHaveLength(10);
    expect(all.alerts.low).toBeGreaterThanOrEqual(1);
    expect(all.alerts.nearExpiry).toBeGreaterThanOrEqual(1);
    const low = (await t.request(pharmacist, 'GET', `/api/v1/health/facilities/${batua}/stock?filter=low&pageSize=100`)).json();
    expect(low.items.every((i: { low: boolean }) => i.low)).toBe(true);
    expect(low.items.map((i: { drug: { code: string } }) => i.drug.code)).toContain('LOR-10');
    expect(low.total).toBe(all.alerts.low);
    const expiring = (await t.request(pharmacist, 'GET', `/api/v1/health/facilities/${batua}/stock?filter=expiring&pageSize=100`)).json();
    expect(expiring.items.map((i: { drug: { code: string } }) => i.drug.code)).toContain('LOR-10');
    const q = (await t.request(pharmacist, 'GET', `/api/v1/health/facilities/${batua}/stock?q=lorat`)).json();
    expect(q.items.map((i: { drug: { name: string } }) => i.drug.name)).toEqual(['Loratadin 10 mg']);
    const past = (await t.request(pharmacist, 'GET', `/api/v1/health/facilities/${batua}/stock?page=50`)).json();
    expect([past.items.length, past.total]).toEqual([0, drugs.size]);
    // Raising stock above the minimum clears the warning.
    await receive('LOR-10', 'LOR24LATE', '2028-06-30', 100);
    expect((await stockOf('LOR-10')).stock).toMatchObject({ available: 140, low: false, nearExpiry: true });
  });
});

describe('prescriptions: bad input and other people’s visits', () => {
  it('refuses bad prescriptions on the field, visits not seen yet, the pharmacy queue, and staff without the right, writing nothing', async () => {
    const v = await servedPatient('Nurdin Halid Daeng Tompo');
    const url = `/api/v1/health/visits/${v.id}/prescription`;
    const pct = drug('PCT-500').id;
    const before = await count('health_prescriptions');
    const cases: [unknown, number, string, string][] = [
      [{ items: [] }, 400, 'items', ''],
      [{ items: [{ drugId: pct, dose: '3 x 1', quantity: 10 }, { drugId: pct, dose: '2 x 1', quantity: 5 }] }, 400, 'items.1.drugId', 'health.drug_repeated'],
      [{ items: [{ drugId: '0190f0c4-7a1b-7000-8000-000000000001', dose: '3 x 1', quantity: 10 }] }, 400, 'items.0.drugId', 'health.drug_unknown'],
      [{ items: [{ drugId: pct, dose: '', quantity: 10 }] }, 400, 'items.0.dose', ''],
      [{ items: [{ drugId: pct, dose: '3 x 1', quantity: 0 }] }, 400, 'items.0.quantity', ''],
      [{ items: [{ drugId: pct, dose: '3 x 1', quantity: 10 }], extra: true }, 400, '', ''],
    ];
    for (const [body, status, field, code] of cases) {
      const res = await t.request(doctor, 'PUT', url, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      if (field) expect(fieldsOf(res), res.body).toContain(field);
      if (code) expect(codesOf(res)).toContain(code);
    }
    // Counter staff do not prescribe; the resident's own visit is no prescription desk.
    expect((await t.request(counter, 'PUT', url, { items: [{ drugId: pct, dose: '3 x 1', quantity: 10 }] })).statusCode).toBe(403);
    // A patient still waiting is not seen yet.
    const p = await t.request(counter, 'POST', '/api/v1/health/patients', { nik: '7371102105900999', name: 'Baharuddin Lopa', birthDate: '1990-05-21', sex: 'male' });
    const waiting = await t.request(counter, 'POST', '/api/v1/health/visits', { serviceId: umum, patientId: p.json().id, date: MONDAY });
    const early = await t.request(doctor, 'PUT', `/api/v1/health/visits/${waiting.json().id}/prescription`, { items: [{ drugId: pct, dose: '3 x 1', quantity: 10 }] });
    expect([early.statusCode, codesOf(early)]).toEqual([409, ['health.prescription_visit_state']]);
    // A pharmacy queue visit is not where prescriptions are written.
    const moved = await t.request(counter, 'POST', `/api/v1/health/visits/${v.id}/transfer`, { serviceId: farmasi });
    const atPharmacy = await t.request(doctor, 'PUT', `/api/v1/health/visits/${moved.json().to.id}/prescription`, { items: [{ drugId: pct, dose: '3 x 1', quantity: 10 }] });
    expect([atPharmacy.statusCode, codesOf(atPharmacy)]).toEqual([409, ['health.prescription_not_poli']]);
    // Unknown visit; the pharmacy list of another facility.
    expect((await t.request(doctor, 'PUT', '/api/v1/health/visits/0190f0c4-7a1b-7000-8000-000000000001/prescription', { items: [{ drugId: pct, dose: '3 x 1', quantity: 10 }] })).statusCode).toBe(404);
    expect((await t.request(pharmacist, 'GET', `/api/v1/health/facilities/${kassi}/prescriptions`)).statusCode).toBe(404);
    expect((await t.request(counter, 'GET', `/api/v1/health/facilities/${batua}/prescriptions`)).statusCode).toBe(403);
    expect(await count('health_prescriptions')).toBe(before);
    // The visit without a prescription has none to read.
    expect((await t.request(pharmacist, 'GET', `/api/v1/health/visits/${v.id}/prescription`)).statusCode).toBe(404);
  });
});
