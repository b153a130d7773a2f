import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../test/support/app.js';

/**
 * Hospital beds and inpatient admission (issue 5, point 9): availability counted from occupancy,
 * public and in SIRANAP's shape, sorted by distance; admissions that take a bed atomically (never
 * two in one bed, also at once), transfers and discharges that free it; online pre-registration;
 * bad input refused with nothing written.
 */

let t: TestApp;
let dataDir: string;
let desk: Session;
let citizen: Session;
let counter: Session;
let rsBatua: string;
let rsDaya: string;
const BATUA_AREA = { lat: -5.1513, lng: 119.4715 };

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'inpatient-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' } });
  t.clock.set('2026-11-30T02:00:00Z');
  desk = await t.login('admisi.rsbatua@makassarkota.go.id');
  citizen = await t.login(DEMO.citizen);
  counter = await t.login('loket.batua@makassarkota.go.id');
  const facilities = (await t.request(null, 'GET', '/api/v1/health/facilities')).json().items as { id: string; name: string }[];
  rsBatua = facilities.find((f) => f.name === 'RSUD Batua Kota Makassar')!.id;
  rsDaya = facilities.find((f) => f.name === 'RSUD Daya Kota Makassar')!.id;
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Hospital {
  facility: { id: string; name: string };
  distanceKm: number | null;
  classes: { bedClass: string; total: number; free: number; updatedAt: string }[];
}
async function beds(query = ''): Promise<Hospital[]> {
  const res = await t.request(null, 'GET', `/api/v1/health/beds${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}
async function freeOf(facility: string, bedClass: string): Promise<number> {
  return (await beds()).find((h) => h.facility.id === facility)!.classes.find((c) => c.bedClass === bedClass)!.free;
}
const codesOf = (res: { json(): any }) => ((res.json().errors ?? []) as { code: string }[]).map((e) => e.code);
async function count(table: string): Promise<number> {
  const [r] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return r.n;
}

let serial = 300;
/** A patient registered at the admission desk (a walk-in with a valid Makassar NIK). */
async function patient(name: string, sex: 'male' | 'female' = 'male'): Promise<string> {
  const day = sex === 'female' ? '52' : '12';
  const res = await t.request(desk, 'POST', '/api/v1/health/patients', { nik: `737112${day}0378${String(serial++).padStart(4, '0')}`, name, birthDate: '1978-03-12', sex });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
const admit = (body: Record<string, unknown>, facility = rsBatua, as: Session = desk) => t.request(as, 'POST', `/api/v1/health/facilities/${facility}/admissions`, body);
const referral = { source: 'referral', referralFrom: 'Puskesmas Batua', referralNumber: 'RJK/0412/XI/2026' };

interface Board {
  classes: { bedClass: string; total: number; free: number }[];
  wards: { name: string; rooms: { name: string; bedClass: string; sex: string; beds: { id: string; code: string; outOfService: boolean; occupant: { admissionId: string; name: string } | null }[] }[] }[];
}
async function board(): Promise<Board> {
  const res = await t.request(desk, 'GET', `/api/v1/health/facilities/${rsBatua}/beds`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
/** Free beds of a class, in rooms for the sexes given (all rooms without). */
async function freeBeds(bedClass: string, sexes?: string[]) {
  return (await board()).wards.flatMap((w) => w.rooms.filter((r) => r.bedClass === bedClass && (!sexes || sexes.includes(r.sex))).flatMap((r) => r.beds.filter((b) => !b.occupant && !b.outOfService)));
}

describe('public bed availability', () => {
  it('counts free beds per class from occupancy, nearest hospital first, filtered by class', async () => {
    const all = await beds();
    expect(all.map((h) => h.facility.name).sort()).toEqual(['RSUD Batua Kota Makassar', 'RSUD Daya Kota Makassar']);
    const batua = all.find((h) => h.facility.id === rsBatua)!;
    expect(batua.classes.map((c) => c.bedClass)).toEqual(['vip', 'kelas_1', 'kelas_2', 'kelas_3', 'icu', 'isolasi']);
    expect(batua.classes.find((c) => c.bedClass === 'icu')).toMatchObject({ total: 4, free: 1 });
    // The numbers are the beds: occupied beds are those an open admission lies in.
    const [db] = await t.db.query<{ total: number; occupied: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE admission_id IS NOT NULL)::int AS occupied FROM health_beds WHERE facility_id = $1 AND bed_class = 'kelas_3'`,
      [rsBatua],
    );
    expect(batua.classes.find((c) => c.bedClass === 'kelas_3')).toMatchObject({ total: db.total, free: db.total - db.occupied });

    const near = await beds(`?lat=${BATUA_AREA.lat}&lng=${BATUA_AREA.lng}`);
    expect(near.map((h) => h.facility.name)).toEqual(['RSUD Batua Kota Makassar', 'RSUD Daya Kota Makassar']);
    expect(near[0].distanceKm).toBeLessThan(1);
    expect(near[1].distanceKm).toBeGreaterThan(5);
    const fromDaya = await beds('?lat=-5.1061&lng=119.5124');
    expect(fromDaya[0].facility.id).toBe(rsDaya);

    const nicu = await beds('?class=nicu');
    expect(nicu.map((h) => [h.facility.id, h.classes.map((c) => c.bedClass)])).toEqual([[rsDaya, ['nicu']]]);
    for (const bad of ['?class=kelas_4', '?lat=100&lng=119', '?lat=abc&lng=1']) expect((await t.request(null, 'GET', `/api/v1/health/beds${bad}`)).statusCode, bad).toBe(400);
  });

  it('publishes a SIRANAP-shaped feed whose numbers add up', async () => {
    const res = await t.request(null, 'GET', '/api/v1/health/beds/siranap');
    expect(res.statusCode).toBe(200);
    const batua = res.json().rumah_sakit.find((r: { nama_rs: string }) => r.nama_rs === 'RSUD Batua Kota Makassar');
    expect(batua).toMatchObject({ kode_rs: 'RS-BATUA', alamat: expect.stringContaining('Batua') });
    const icu = batua.tempat_tidur.find((x: { kode_tt: string }) => x.kode_tt === 'icu');
    expect(icu).toMatchObject({ nama_tt: 'ICU', jumlah: 4, terpakai: 3, kosong: 1, antrian: 0 });
    for (const x of batua.tempat_tidur) expect(x.jumlah).toBe(x.terpakai + x.kosong);
  });
});

describe('admission', () => {
  it('takes the last free ICU bed; the public page then shows 0 and the next ICU admission is refused with nothing written', async () => {
    const before = await beds();
    const icuBefore = before.find((h) => h.facility.id === rsBatua)!.classes.find((c) => c.bedClass === 'icu')!;
    t.clock.advance(60_000);
    const res = await admit({ patientId: await patient('Baharuddin Daeng Lalang'), bedClass: 'icu', ...referral, diagnosis: 'Sepsis' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'admitted', source: 'referral', referralFrom: 'Puskesmas Batua', bed: { bedClass: 'icu', ward: 'Ruang Intensif', room: 'ICU' } });
    expect(res.json().patient.nikMasked).toMatch(/^737112\*+$/);
    const icuAfter = (await beds()).find((h) => h.facility.id === rsBatua)!.classes.find((c) => c.bedClass === 'icu')!;
    expect(icuAfter).toMatchObject({ total: 4, free: 0 });
    expect(icuAfter.updatedAt > icuBefore.updatedAt).toBe(true);
    const [audit] = await t.db.query<{ data: any }>(`SELECT data FROM audit_events WHERE action = 'health.admission.admitted' AND entity_id = $1`, [res.json().id]);
    expect(audit.data).toMatchObject({ bed: res.json().bed.code, bedClass: 'icu', source: 'referral' });

    const another = await patient('Sitti Rahma Daeng Ngugi', 'female');
    const admissions = await count('health_admissions');
    const full = await admit({ patientId: another, bedClass: 'icu', source: 'emergency' });
    expect(full.statusCode).toBe(409);
    expect(codesOf(full)).toEqual(['health.no_free_bed']);
    expect(full.json().errors[0].message).toBe('Tidak ada tempat tidur ICU yang kosong.');
    expect(await count('health_admissions')).toBe(admissions);
  });

  it('never puts two admissions in one bed, also when both press at once', async () => {
    const [bed] = await freeBeds('kelas_1');
    const a = await patient('Andi Baso Tang');
    const b = await patient('Muh. Yusuf Daeng Rewa');
    const results = await Promise.all([admit({ patientId: a, bedId: bed.id, ...referral }), admit({ patientId: b, bedId: bed.id, ...referral })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const lost = results.find((r) => r.statusCode === 409)!;
    expect(codesOf(lost)).toEqual(['health.bed_taken']);
    const [row] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM health_admissions WHERE patient_id IN ($1, $2)`, [a, b]);
    expect(row.n).toBe(1);

    // By class, at once: each admission gets its own bed until the class is full.
    const free = (await freeBeds('kelas_2')).length;
    const people = [];
    for (let i = 0; i < free + 2; i++) people.push(await patient(`Pasien Kelas Dua ${i + 1}`, i % 2 ? 'female' : 'male'));
    const many = await Promise.all(people.map((p) => admit({ patientId: p, bedClass: 'kelas_2', source: 'emergency' })));
    const ok = many.filter((r) => r.statusCode === 201);
    expect(ok).toHaveLength(free);
    expect(new Set(ok.map((r) => r.json().bed.id)).size).toBe(free);
    for (const r of many.filter((x) => x.statusCode !== 201)) expect(codesOf(r)).toEqual(['health.no_free_bed']);
    expect(await freeOf(rsBatua, 'kelas_2')).toBe(0);
  });

  it('moves a patient to another bed and discharges them, freeing each bed at once', async () => {
    const [first, second] = await freeBeds('kelas_3', ['male', 'any']);
    const p = await patient('Syamsuddin Daeng Tojeng');
    const admitted = await admit({ patientId: p, bedId: first.id, source: 'emergency' });
    expect(admitted.statusCode, admitted.body).toBe(201);
    const freeBefore = await freeOf(rsBatua, 'kelas_3');
    const moved = await t.request(desk, 'POST', `/api/v1/health/admissions/${admitted.json().id}/transfer`, { bedId: second.id });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().bed.id).toBe(second.id);
    expect(await freeOf(rsBatua, 'kelas_3')).toBe(freeBefore);
    const bedsNow = await board();
    const find = (id: string) => bedsNow.wards.flatMap((w) => w.rooms.flatMap((r) => r.beds)).find((b) => b.id === id)!;
    expect(find(first.id).occupant).toBeNull();
    expect(find(second.id).occupant?.name).toBe('Syamsuddin Daeng Tojeng');
    const same = await t.request(desk, 'POST', `/api/v1/health/admissions/${admitted.json().id}/transfer`, { bedId: second.id });
    expect(same.statusCode).toBe(400);

    const out = await t.request(desk, 'POST', `/api/v1/health/admissions/${admitted.json().id}/discharge`, { type: 'home' });
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json()).toMatchObject({ status: 'discharged', dischargeType: 'home', bed: null });
    expect(await freeOf(rsBatua, 'kelas_3')).toBe(freeBefore + 1);
    const stays = await t.db.query<{ seq: number; to_at: string | null }>(`SELECT seq, to_at FROM health_bed_stays WHERE admission_id = $1 ORDER BY seq`, [admitted.json().id]);
    expect(stays.map((s) => [s.seq, s.to_at !== null])).toEqual([
      [1, true],
      [2, true],
    ]);
    const again = await t.request(desk, 'POST', `/api/v1/health/admissions/${admitted.json().id}/discharge`, { type: 'home' });
    expect([again.statusCode, codesOf(again)]).toEqual([409, ['health.admission_closed']]);
    // Discharged, the patient may be admitted again.
    expect((await admit({ patientId: p, bedClass: 'kelas_3', source: 'emergency' })).statusCode).toBe(201);
  });

  it('refuses bad admissions on the field, leaving nothing written', async () => {
    const p = await patient('Haji Muhammad Ramli');
    const admitted = await admit({ patientId: await patient('Nurdin Daeng Sese'), bedClass: 'kelas_3', source: 'emergency' });
    const occupiedBed = admitted.json().bed.id;
    const [femaleRoomBed] = await freeBeds('kelas_3', ['female']);
    const daya = (await t.login('admin@makassarkota.go.id')) as Session;
    const dayaBoard = (await t.request(daya, 'GET', `/api/v1/health/facilities/${rsDaya}/beds`)).json() as Board;
    const dayaBed = dayaBoard.wards[0].rooms[0].beds[0].id;
    const before = [await count('health_admissions'), await count('health_bed_stays'), await count('audit_events')];
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ patientId: p, source: 'emergency' }, 400, 'bedId', 'health.bed_required'],
      [{ patientId: p, bedClass: 'kelas_3', source: 'referral' }, 400, 'referralFrom', 'health.referral_from_required'],
      [{ patientId: p, bedClass: 'kelas_3', source: 'preregistration' }, 400, 'requestId', 'health.request_required'],
      [{ patientId: p, bedClass: 'kelas_4', source: 'emergency' }, 400, 'bedClass', ''],
      [{ patientId: '0190f0c4-7a1b-7000-8000-000000000001', bedClass: 'kelas_3', source: 'emergency' }, 400, 'patientId', 'health.patient_not_found'],
      [{ patientId: p, bedId: dayaBed, source: 'emergency' }, 400, 'bedId', 'health.bed_unknown'],
      [{ patientId: p, bedId: femaleRoomBed.id, source: 'emergency' }, 400, 'bedId', 'health.bed_room_sex'],
      [{ patientId: p, bedId: occupiedBed, bedClass: 'icu', source: 'emergency' }, 400, 'bedId', 'health.bed_class_mismatch'],
      [{ patientId: p, bedId: occupiedBed, source: 'emergency' }, 409, 'bedId', 'health.bed_taken'],
      [{ patientId: admitted.json().patient.id, bedClass: 'kelas_3', source: 'emergency' }, 409, 'patientId', 'health.already_admitted'],
      [{ patientId: p, bedClass: 'kelas_3', source: 'emergency', extra: 1 }, 400, '', ''],
    ];
    for (const [body, status, field, code] of cases) {
      const res = await admit(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      if (field) expect((res.json().errors as { field: string }[]).map((e) => e.field), res.body).toContain(field);
      if (code) expect(codesOf(res)).toContain(code);
    }
    // Another hospital's desk, and the puskesmas counter, are not this desk.
    expect((await admit({ patientId: p, bedClass: 'kelas_3', source: 'emergency' }, rsDaya)).statusCode).toBe(404);
    expect((await admit({ patientId: p, bedClass: 'kelas_3', source: 'emergency' }, rsBatua, counter)).statusCode).toBe(403);
    expect([await count('health_admissions'), await count('health_bed_stays'), await count('audit_events')]).toEqual(before);
  });

  it('takes a free bed out of service and back, never an occupied one', async () => {
    const [bed] = await freeBeds('vip');
    const total = (await beds()).find((h) => h.facility.id === rsBatua)!.classes.find((c) => c.bedClass === 'vip')!.total;
    expect((await t.request(desk, 'POST', `/api/v1/health/beds/${bed.id}/service`, { outOfService: true })).statusCode).toBe(204);
    expect((await beds()).find((h) => h.facility.id === rsBatua)!.classes.find((c) => c.bedClass === 'vip')!.total).toBe(total - 1);
    const refused = await admit({ patientId: await patient('Pasien VIP Satu'), bedId: bed.id, source: 'emergency' });
    expect([refused.statusCode, codesOf(refused)]).toEqual([409, ['health.bed_out_of_service']]);
    expect((await t.request(desk, 'POST', `/api/v1/health/beds/${bed.id}/service`, { outOfService: false })).statusCode).toBe(204);
    const occupied = (await board()).wards.flatMap((w) => w.rooms.flatMap((r) => r.beds)).find((b) => b.occupant)!;
    const busy = await t.request(desk, 'POST', `/api/v1/health/beds/${occupied.id}/service`, { outOfService: true });
    expect([busy.statusCode, codesOf(busy)]).toEqual([409, ['health.bed_occupied_service']]);
  });
});

describe('online pre-registration', () => {
  it('lets a resident pre-register a family member; the desk admits from it and the queue count follows', async () => {
    const own = await t.request(citizen, 'POST', '/api/v1/health/patients', { nik: '7371125203800411', name: 'Hasnah Daeng Bollo', birthDate: '1980-03-12', sex: 'female', relation: 'parent' });
    expect(own.statusCode, own.body).toBe(201);
    const body = { facilityId: rsBatua, patientId: own.json().id, bedClass: 'kelas_1', plannedOn: '2026-12-02', referralFrom: 'Puskesmas Batua', referralNumber: 'RJK/0977/XI/2026' };
    const bad: [Record<string, unknown>, string, string][] = [
      [{ ...body, plannedOn: '2026-11-29' }, 'plannedOn', 'health.date_past'],
      [{ ...body, plannedOn: '2026-12-31' }, 'plannedOn', 'health.preregistration_too_far'],
      [{ ...body, bedClass: 'nicu' }, 'bedClass', 'health.class_not_offered'],
      [{ ...body, patientId: (await t.request(desk, 'POST', '/api/v1/health/patients', { nik: '7371121203780999', name: 'Bukan Keluarga', birthDate: '1978-03-12', sex: 'male' })).json().id }, 'patientId', 'health.patient_unknown'],
    ];
    for (const [b, field, code] of bad) {
      const res = await t.request(citizen, 'POST', '/api/v1/health/inpatient-requests', b);
      expect(res.statusCode, JSON.stringify(b)).toBe(400);
      expect(res.json().errors[0]).toMatchObject({ field, code });
    }
    const created = await t.request(citizen, 'POST', '/api/v1/health/inpatient-requests', body);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ status: 'pending', bedClass: 'kelas_1', plannedOn: '2026-12-02', facility: { id: rsBatua } });
    const twice = await t.request(citizen, 'POST', '/api/v1/health/inpatient-requests', body);
    expect([twice.statusCode, codesOf(twice)]).toEqual([409, ['health.request_open']]);
    expect((await t.request(desk, 'POST', '/api/v1/health/inpatient-requests', body)).statusCode).toBe(403);

    const siranap = async () => (await t.request(null, 'GET', '/api/v1/health/beds/siranap')).json().rumah_sakit.find((r: { kode_rs: string }) => r.kode_rs === 'RS-BATUA').tempat_tidur.find((x: { kode_tt: string }) => x.kode_tt === 'kelas_1').antrian;
    expect(await siranap()).toBe(1);
    const waiting = (await t.request(desk, 'GET', `/api/v1/health/facilities/${rsBatua}/inpatient-requests`)).json().items;
    expect(waiting.map((r: { id: string }) => r.id)).toContain(created.json().id);

    const admitted = await admit({ patientId: own.json().id, bedClass: 'kelas_1', source: 'preregistration', requestId: created.json().id, referralFrom: 'Puskesmas Batua' });
    expect(admitted.statusCode, admitted.body).toBe(201);
    expect(await siranap()).toBe(0);
    const mine = (await t.request(citizen, 'GET', '/api/v1/health/inpatient-requests')).json().items;
    expect(mine.find((r: { id: string }) => r.id === created.json().id).status).toBe('admitted');
    const cancel = await t.request(citizen, 'POST', `/api/v1/health/inpatient-requests/${created.json().id}/cancel`, {});
    expect([cancel.statusCode, codesOf(cancel)]).toEqual([409, ['health.request_not_pending']]);
    // The same request cannot admit twice.
    const reuse = await admit({ patientId: own.json().id, bedClass: 'kelas_1', source: 'preregistration', requestId: created.json().id });
    expect(reuse.statusCode).toBe(409);
  });
});
