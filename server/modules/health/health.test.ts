import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../test/support/app.js';
import { tenants as tenantsTable } from '../../platform/tenancy/schema.js';
import { sweepPastVisits } from './jobs.js';

let t: TestApp;
let dataDir: string;
let citizen: Session;
let hasnah: Session;
let counter: Session;
let puStaff: Session;
let batua: string;
let kassi: string;

/** Monday 30 November 2026, 08:30 WITA. */
const MONDAY = '2026-11-30';
const MONDAY_0830 = '2026-11-30T00:30:00Z';

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'health-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir, LOG_LEVEL: process.env.HEALTH_TEST_LOG ?? 'silent' } });
  t.clock.set(MONDAY_0830);
  citizen = await t.login(DEMO.citizen);
  hasnah = await t.login('hasnah@example.com');
  counter = await t.login('loket.batua@makassarkota.go.id');
  puStaff = await t.login(DEMO.puStaff);
  const facilities = (await call(null, 'GET', '/api/v1/health/facilities')).json().items as { id: string; name: string }[];
  batua = facilities.find((f) => f.name === 'Puskesmas Batua')!.id;
  kassi = facilities.find((f) => f.name === 'Puskesmas Kassi-Kassi')!.id;
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A request as the session (cookie and CSRF token), or anonymous. */
function call(session: Session | null, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown) {
  return t.request(session, method, url, body);
}

let serial = 100;
/** A valid Makassar (Tamalate, 73.71.10) NIK for a birth date and sex, with a fresh serial. */
function nikFor(birthDate: string, sex: 'male' | 'female'): string {
  const [y, m, d] = birthDate.split('-');
  const day = String(Number(d) + (sex === 'female' ? 40 : 0)).padStart(2, '0');
  return `737110${day}${m}${y.slice(2)}${String(serial++).padStart(4, '0')}`;
}

function patientBody(o: { name?: string; birthDate?: string; sex?: 'male' | 'female'; relation?: string } = {}) {
  const birthDate = o.birthDate ?? '1988-03-14';
  const sex = o.sex ?? 'female';
  return { nik: nikFor(birthDate, sex), name: o.name ?? 'Andi Nurul Hikmah', birthDate, sex, phone: '081355501234', address: 'Jl. Dg. Tata Raya No. 5, Parang Tambung', relation: o.relation ?? 'child' };
}

async function addPatient(s: Session, o: Parameters<typeof patientBody>[0] = {}): Promise<{ id: string; name: string }> {
  const res = await call(s, 'POST', '/api/v1/health/patients', patientBody(o));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function serviceOf(facility: string, code: string, date = MONDAY): Promise<{ id: string; sessions: { quota: number; onlineRoom: number; onsiteRoom: number }[]; closed: string | null }> {
  const res = await call(null, 'GET', `/api/v1/health/facilities/${facility}/services?date=${date}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items.find((s: { code: string }) => s.code === code);
}

async function count(table: string): Promise<number> {
  const [r] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return r.n;
}

function fieldsOf(res: { json(): any }): string[] {
  return (res.json().errors ?? []).map((e: { field: string }) => e.field);
}

function codesOf(res: { json(): any }): string[] {
  return (res.json().errors ?? []).map((e: { code: string }) => e.code);
}

describe('facilities and services', () => {
  it('lists the puskesmas and hospitals with their profile', async () => {
    const res = await call(null, 'GET', '/api/v1/health/facilities');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { name: string; kind: string; address: string }[];
    expect(items.map((f) => f.name)).toEqual(expect.arrayContaining(['Puskesmas Batua', 'Puskesmas Kassi-Kassi', 'RSUD Daya Kota Makassar']));
    expect(items[0].kind).toBe('puskesmas');
    expect(items.find((f) => f.name === 'Puskesmas Batua')!.address).toContain('Manggala');
  });

  it('shows a day’s sessions with the room left online (quota minus the on-site share) and on site', async () => {
    const umum = await serviceOf(batua, 'umum');
    expect(umum.closed).toBeNull();
    // Monday: quota 60, 40 % kept for walk-ins.
    expect(umum.sessions).toEqual([expect.objectContaining({ quota: 60, onlineRoom: 36, onsiteRoom: 60, opensAt: '08:00', closesAt: '12:00' })]);
  });

  it('is closed on Sunday and on the calendar’s holidays', async () => {
    expect((await serviceOf(batua, 'umum', '2026-11-29')).closed).toBe('no_sessions');
    expect((await serviceOf(batua, 'umum', '2026-12-25')).closed).toBe('holiday');
  });

  it('answers 404 for an unknown facility and 400 for a bad date', async () => {
    expect((await call(null, 'GET', '/api/v1/health/facilities/01900000-0000-7000-8000-000000000000/services')).statusCode).toBe(404);
    const bad = await call(null, 'GET', `/api/v1/health/facilities/${batua}/services?date=2026-02-30`);
    expect(bad.statusCode).toBe(400);
    expect(fieldsOf(bad)).toContain('querystring.date');
  });
});

describe('patients', () => {
  it('registers a resident and a family member; lists them masked; audits every full read', async () => {
    const self = await call(hasnah, 'POST', '/api/v1/health/patients', patientBody({ name: 'Hasnah Daeng Ngai', relation: 'self' }));
    expect(self.statusCode, self.body).toBe(201);
    const child = await addPatient(hasnah, { name: 'Muhammad Fadli', birthDate: '2016-07-02', sex: 'male', relation: 'child' });
    const list = (await call(hasnah, 'GET', '/api/v1/health/patients')).json().items as { id: string; name: string; nikMasked: string }[];
    expect(list.map((p) => p.name)).toEqual(['Hasnah Daeng Ngai', 'Muhammad Fadli']);
    expect(list[0].nikMasked).not.toBe(self.json().nik);
    expect(list[0].nikMasked).toMatch(/\*/);
    expect(JSON.stringify(list)).not.toContain(self.json().nik);

    const before = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'health.patient.read' AND entity_id = $1`, [child.id]);
    const full = await call(hasnah, 'GET', `/api/v1/health/patients/${child.id}`);
    expect(full.statusCode).toBe(200);
    expect(full.json()).toMatchObject({ name: 'Muhammad Fadli', relation: 'child', sex: 'male', birthDate: '2016-07-02' });
    const after = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'health.patient.read' AND entity_id = $1`, [child.id]);
    expect(after[0].n).toBe(before[0].n + 1);
    // The audit trail of the registration holds no NIK.
    const [reg] = await t.db.query<{ data: unknown }>(`SELECT data FROM audit_events WHERE action = 'health.patient.registered' AND entity_id = $1`, [child.id]);
    expect(JSON.stringify(reg.data)).not.toMatch(/\d{16}/);

    // Another resident does not find it; counter staff do.
    expect((await call(citizen, 'GET', `/api/v1/health/patients/${child.id}`)).statusCode).toBe(404);
    expect((await call(counter, 'GET', `/api/v1/health/patients/${child.id}`)).statusCode).toBe(200);
    // A second "self" is refused.
    const again = await call(hasnah, 'POST', '/api/v1/health/patients', patientBody({ name: 'Hasnah Lagi', relation: 'self' }));
    expect(again.statusCode).toBe(409);
    expect(codesOf(again)).toContain('health.self_taken');
  });

  it.each([
    ['a short NIK', { nik: '737110550890' }, 'nik', 'nik.length'],
    ['letters in the NIK', { nik: '73711055089000AB' }, 'nik', 'nik.digits'],
    ['a NIK of an unknown district', { nik: '9999995508900003' }, 'nik', 'health.nik_region_unknown'],
    ['a birth date the NIK does not carry', { nik: '7371105508900003', birthDate: '1990-08-16' }, 'birthDate', 'health.nik_birth_date_mismatch'],
    ['a sex the NIK does not carry', { nik: '7371105508900003', birthDate: '1990-08-15', sex: 'male' }, 'sex', 'health.nik_sex_mismatch'],
    ['no relation from a resident', { relation: undefined }, 'relation', 'health.relation_required'],
    ['a BPJS number of 12 digits', { bpjsNumber: '000123456789' }, 'bpjsNumber', 'health.bpjs_number'],
    ['a bad phone', { phone: '12345' }, 'phone', 'field.phone'],
    ['an unknown field', { golonganDarah: 'O' }, '', 'field.unknown'],
    ['a name of 101 characters', { name: 'A'.repeat(101) }, 'name', 'field.too_long'],
    ['an address of 301 characters', { address: 'Jl. '.repeat(76) }, 'address', 'field.too_long'],
    ['a birth date that is not one', { birthDate: '1990-02-30' }, 'birthDate', 'field.date'],
    ['a sex outside the list', { sex: 'x' }, 'sex', 'field.enum'],
  ])('refuses %s with a 4xx on the field and writes nothing', async (_label, patch, field, code) => {
    const before = await count('health_patients');
    const body = { ...patientBody({ birthDate: '1990-08-15', sex: 'female' }), ...patch };
    const res = await call(citizen, 'POST', '/api/v1/health/patients', body);
    expect([400, 422]).toContain(res.statusCode);
    if (field) expect(fieldsOf(res).some((f) => f === field || f === `body.${field}`), res.body).toBe(true);
    expect(JSON.stringify(res.json())).toContain(code === 'field.unknown' ? 'unknown' : code);
    expect(await count('health_patients')).toBe(before);
  });

  it('registers a NIK once', async () => {
    const body = patientBody({ birthDate: '1975-01-20', sex: 'male' });
    expect((await call(citizen, 'POST', '/api/v1/health/patients', body)).statusCode).toBe(201);
    const dup = await call(counter, 'POST', '/api/v1/health/patients', { ...body, relation: undefined });
    expect(dup.statusCode).toBe(409);
    expect(codesOf(dup)).toContain('health.nik_taken');
  });

  it('refuses staff without the counter permission and anonymous callers', async () => {
    expect((await call(puStaff, 'POST', '/api/v1/health/patients', { ...patientBody(), relation: undefined })).statusCode).toBe(403);
    expect((await call(null, 'POST', '/api/v1/health/patients', patientBody())).statusCode).toBe(401);
  });
});

describe('online registration and queue numbers', () => {
  it('gives consecutive numbers per service and day, with an estimate, and refuses a second active registration', async () => {
    const umum = await serviceOf(kassi, 'umum');
    const a = await addPatient(citizen, { name: 'Siti Aminah', birthDate: '1992-05-05' });
    const b = await addPatient(citizen, { name: 'Rahmat Hidayat', birthDate: '2010-11-11', sex: 'male' });
    const first = await call(citizen, 'POST', '/api/v1/health/visits', { serviceId: umum.id, patientId: a.id, date: MONDAY });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ queueCode: 'A-001', number: 1, status: 'booked', channel: 'online', session: 1, ahead: 0, date: MONDAY });
    // 08:30 WITA, nobody ahead: now.
    expect(first.json().estimatedAt).toBe(new Date(MONDAY_0830).toISOString());
    const second = await call(citizen, 'POST', '/api/v1/health/visits', { serviceId: umum.id, patientId: b.id, date: MONDAY });
    expect(second.json()).toMatchObject({ queueCode: 'A-002', ahead: 1 });
    // One assumed service duration (8 minutes at a puskesmas's poli umum) per visit ahead, shared
    // by the two doctors of the roster on duty until 10:00.
    expect(Date.parse(second.json().estimatedAt) - Date.parse(MONDAY_0830)).toBe(4 * 60_000);

    const dup = await call(citizen, 'POST', '/api/v1/health/visits', { serviceId: umum.id, patientId: a.id, date: '2026-12-01' });
    expect(dup.statusCode).toBe(409);
    expect(codesOf(dup)).toContain('health.already_registered');
    expect(JSON.stringify(dup.json())).toContain('A-001');

    // A cancel reason over 300 characters or an unknown field is refused, and nothing changes.
    for (const body of [{ reason: 'x'.repeat(301) }, { alasan: 'sembuh' }]) {
      const refused = await call(citizen, 'POST', `/api/v1/health/visits/${first.json().id}/cancel`, body);
      expect(refused.statusCode).toBe(400);
    }
    expect((await call(citizen, 'GET', '/api/v1/health/visits')).json().items.find((v: { id: string }) => v.id === first.json().id).status).toBe('booked');
    // Cancelling keeps the number; the next registration takes the next one.
    expect((await call(citizen, 'POST', `/api/v1/health/visits/${first.json().id}/cancel`, { reason: 'Anak sudah sembuh' })).statusCode).toBe(204);
    const c = await addPatient(citizen, { name: 'Nurul Fadillah', birthDate: '2001-02-03' });
    expect((await call(citizen, 'POST', '/api/v1/health/visits', { serviceId: umum.id, patientId: c.id, date: MONDAY })).json().queueCode).toBe('A-003');
    // Cancelled, the patient may register again.
    expect((await call(citizen, 'POST', '/api/v1/health/visits', { serviceId: umum.id, patientId: a.id, date: MONDAY })).json().queueCode).toBe('A-004');

    const mine = (await call(citizen, 'GET', '/api/v1/health/visits')).json().items as { queueCode: string; status: string; ahead: number }[];
    expect(mine.find((v) => v.queueCode === 'A-001')?.status).toBe('cancelled');
    expect(mine.find((v) => v.queueCode === 'A-004')).toMatchObject({ status: 'booked', ahead: 2 });
  });

  it.each([
    ['a past date', { date: '2026-11-27' }, 'date', 'health.date_past'],
    ['a date more than 7 days ahead', { date: '2026-12-08' }, 'date', 'health.date_too_far'],
    ['a Sunday', { date: '2026-12-06' }, 'date', 'health.closed_day'],
    ['an unknown session', { session: 2 }, 'session', 'health.session_unknown'],
    ['another resident’s patient', { patient: 'hasnah' }, 'patientId', 'health.patient_unknown'],
    ['an unknown service', { serviceId: '01900000-0000-7000-8000-000000000000' }, 'serviceId', 'health.service_unknown'],
    ['a date that is not one', { date: '2026-11-31' }, 'date', 'field.date'],
    ['a patient id that is not a uuid', { patient: 'x' }, 'patientId', 'field.uuid'],
  ])('refuses %s and writes nothing', async (_label, o, field, code) => {
    const umum = await serviceOf(kassi, 'gigi');
    const own = await addPatient(citizen, { name: 'Pasien Uji Tolak', birthDate: '1999-09-09' });
    const other = (await call(hasnah, 'GET', '/api/v1/health/patients')).json().items[0] as { id: string };
    const body = {
      serviceId: (o as { serviceId?: string }).serviceId ?? umum.id,
      patientId: (o as { patient?: string }).patient === 'hasnah' ? other.id : (o as { patient?: string }).patient === 'x' ? '<script>alert(1)</script>' : own.id,
      date: (o as { date?: string }).date ?? MONDAY,
      ...((o as { session?: number }).session ? { session: (o as { session: number }).session } : {}),
    };
    const before = await count('health_visits');
    const res = await call(citizen, 'POST', '/api/v1/health/visits', body);
    expect([400, 422]).toContain(res.statusCode);
    expect(fieldsOf(res), res.body).toContain(field);
    expect(codesOf(res)).toContain(code);
    expect(await count('health_visits')).toBe(before);
  });

  it('is closed on a holiday', async () => {
    t.clock.set('2026-12-21T01:00:00Z');
    try {
      // Three weeks on, the morning's sessions have expired: sign in again.
      const resident = await t.login(DEMO.citizen);
      const umum = await serviceOf(kassi, 'umum', '2026-12-25');
      const p = await addPatient(resident, { name: 'Pasien Hari Natal', birthDate: '1980-12-12' });
      const res = await call(resident, 'POST', '/api/v1/health/visits', { serviceId: umum.id, patientId: p.id, date: '2026-12-25' });
      expect(res.statusCode).toBe(400);
      expect(codesOf(res)).toContain('health.closed_holiday');
    } finally {
      t.clock.set(MONDAY_0830);
      // Signing in three weeks on swept the sessions of the morning as expired.
      citizen = await t.login(DEMO.citizen);
      counter = await t.login('loket.batua@makassarkota.go.id');
    }
  });

  it('stops online bookings at the online share and today’s sessions once over', async () => {
    // Poli Gigi on Tuesday: quota 15, 40 % on site → 9 online places.
    const gigi = await serviceOf(batua, 'gigi', '2026-12-01');
    expect(gigi.sessions[0]).toMatchObject({ quota: 15, onlineRoom: 9 });
    const patients = [];
    for (let i = 0; i < 10; i++) patients.push(await addPatient(citizen, { name: `Pasien Gigi ${i + 1}`, birthDate: `1995-01-${String(i + 10)}` }));
    const answers = [];
    for (const p of patients) answers.push(await call(citizen, 'POST', '/api/v1/health/visits', { serviceId: gigi.id, patientId: p.id, date: '2026-12-01' }));
    expect(answers.slice(0, 9).map((r) => r.statusCode)).toEqual(Array(9).fill(201));
    expect(answers[9].statusCode).toBe(400);
    expect(codesOf(answers[9])).toContain('health.quota_full_online');
    // Walk-ins still have their share.
    expect((await serviceOf(batua, 'gigi', '2026-12-01')).sessions[0]).toMatchObject({ onlineRoom: 0, onsiteRoom: 6 });
    const walkIn = await call(counter, 'POST', '/api/v1/health/visits', { serviceId: gigi.id, patientId: patients[9].id, date: '2026-12-01' });
    expect(walkIn.statusCode, walkIn.body).toBe(201);
    expect(walkIn.json()).toMatchObject({ channel: 'onsite', queueCode: 'B-010' });

    // Monday's session closes at 12:00 WITA: at 12:05 it takes no one.
    t.clock.set('2026-11-30T04:05:00Z');
    try {
      const late = await call(citizen, 'POST', '/api/v1/health/visits', { serviceId: gigi.id, patientId: patients[0].id, date: MONDAY });
      expect(late.statusCode).toBe(400);
      expect(codesOf(late)).toContain('health.session_over');
    } finally {
      t.clock.set(MONDAY_0830);
    }
  });

  it('lets counter staff register walk-ins only at their own facility', async () => {
    const kassiUmum = await serviceOf(kassi, 'umum');
    const p = await addPatient(citizen, { name: 'Pasien Loket Lain', birthDate: '1970-06-06' });
    expect((await call(counter, 'POST', '/api/v1/health/visits', { serviceId: kassiUmum.id, patientId: p.id, date: MONDAY })).statusCode).toBe(403);
    expect((await call(null, 'POST', '/api/v1/health/visits', { serviceId: kassiUmum.id, patientId: p.id, date: MONDAY })).statusCode).toBe(401);
  });

  it('numbers 60 simultaneous walk-ins 1…60 without a gap or a duplicate, and refuses the 61st', async () => {
    const umum = await serviceOf(batua, 'umum');
    const ids: string[] = [];
    for (let i = 0; i < 61; i++) {
      const res = await call(counter, 'POST', '/api/v1/health/patients', { ...patientBody({ name: `Pasien Antre ${i + 1}`, birthDate: '1985-04-04', sex: i % 2 ? 'male' : 'female' }), relation: undefined });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    const answers = await Promise.all(ids.map((id) => call(counter, 'POST', '/api/v1/health/visits', { serviceId: umum.id, patientId: id, date: MONDAY })));
    const ok = answers.filter((r) => r.statusCode === 201).map((r) => r.json().number as number);
    expect(ok.sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const refused = answers.filter((r) => r.statusCode !== 201);
    expect(refused.map((r) => r.statusCode)).toEqual([400]);
    expect(codesOf(refused[0])).toContain('health.quota_full_onsite');
    const [row] = await t.db.query<{ n: number; last: number }>(
      `SELECT count(*)::int AS n, (SELECT last_number FROM health_queue_days WHERE service_id = $1 AND day = $2) AS last FROM health_visits WHERE service_id = $1 AND day = $2`,
      [umum.id, MONDAY],
    );
    expect(row).toEqual({ n: 60, last: 60 });
    // Each registration has its own audit event and outbox event, with its own actor (written per batch).
    const [written] = await t.db.query<{ audits: number; events: number; actors: number }>(
      `SELECT (SELECT count(*)::int FROM audit_events a JOIN health_visits v ON v.id::text = a.entity_id WHERE a.action = 'health.visit.registered' AND v.service_id = $1 AND v.day = $2) AS audits,
              (SELECT count(*)::int FROM domain_events e JOIN health_visits v ON v.id::text = e.aggregate_id WHERE e.type = 'health.visit.registered' AND v.service_id = $1 AND v.day = $2) AS events,
              (SELECT count(DISTINCT a.actor_id)::int FROM audit_events a JOIN health_visits v ON v.id::text = a.entity_id WHERE a.action = 'health.visit.registered' AND v.service_id = $1 AND v.day = $2) AS actors`,
      [umum.id, MONDAY],
    );
    expect(written).toEqual({ audits: 60, events: 60, actors: 1 });
  });

  it('numbers simultaneous registrations of several services and days, each service-day from 1 without a gap', async () => {
    // Wednesday and Thursday, which no other test books.
    const days = ['2026-12-02', '2026-12-03'];
    const services = await Promise.all(['kia', 'anak', 'gigi'].map((code) => serviceOf(batua, code, days[0])));
    const patients: string[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await call(counter, 'POST', '/api/v1/health/patients', { ...patientBody({ name: `Pasien Campur ${i + 1}`, birthDate: '1990-06-06', sex: i % 2 ? 'male' : 'female' }), relation: undefined });
      expect(res.statusCode, res.body).toBe(201);
      patients.push(res.json().id);
    }
    // Every patient to every service on both days at once: 48 requests over 6 service-days
    // (a patient may hold one active registration per service: the second day of each pair is
    // refused with the first's number).
    const asks = patients.flatMap((patientId) => services.flatMap((svc) => days.map((date) => ({ serviceId: svc.id, patientId, date }))));
    const answers = await Promise.all(asks.map((body) => call(counter, 'POST', '/api/v1/health/visits', body)));
    const byDay = new Map<string, number[]>();
    answers.forEach((r, i) => {
      if (r.statusCode !== 201) return;
      const key = `${asks[i].serviceId}|${asks[i].date}`;
      byDay.set(key, [...(byDay.get(key) ?? []), r.json().number as number]);
    });
    for (const numbers of byDay.values()) expect(numbers.sort((x, y) => x - y)).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    // One registration per patient and service: 24 accepted, 24 refused as already registered.
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(24);
    const refused = answers.filter((r) => r.statusCode !== 201);
    expect(refused).toHaveLength(24);
    for (const r of refused) {
      expect(r.statusCode).toBe(409);
      expect(codesOf(r)).toContain('health.already_registered');
    }
    const counters = await t.db.query<{ last: number; n: number }>(
      `SELECT q.last_number AS last, (SELECT count(*)::int FROM health_visits v WHERE v.service_id = q.service_id AND v.day = q.day) AS n
         FROM health_queue_days q WHERE q.service_id = ANY($1::uuid[]) AND q.day = ANY($2::date[])`,
      [services.map((x) => x.id), days],
    );
    for (const c of counters) expect(c.last).toBe(c.n);
    expect(counters.reduce((sum, c) => sum + c.n, 0)).toBe(24);
  });
});

describe('the queue at the facility', () => {
  async function walkIn(service: string, name: string, date = MONDAY): Promise<{ id: string; queueCode: string; status: string }> {
    const p = await call(counter, 'POST', '/api/v1/health/patients', { ...patientBody({ name, birthDate: '1950-10-10', sex: 'male' }), relation: undefined });
    expect(p.statusCode, p.body).toBe(201);
    const v = await call(counter, 'POST', '/api/v1/health/visits', { serviceId: service, patientId: p.json().id, date });
    expect(v.statusCode, v.body).toBe(201);
    return v.json();
  }
  const act = (id: string, action: string) => call(counter, 'POST', `/api/v1/health/visits/${id}/${action}`, {});

  it('calls checked-in patients in number order, serves them, skips no-shows, and shows it on the display', async () => {
    const lansia = await serviceOf(batua, 'lansia');
    const first = await walkIn(lansia.id, 'Daeng Sikki');
    expect(first).toMatchObject({ queueCode: 'E-001', status: 'checked_in' });
    const second = await walkIn(lansia.id, 'Hj. Suarni');
    // An online booking waits for its check-in before it can be called.
    const online = await addPatient(citizen, { name: 'Baso Tang', birthDate: '1948-02-02', sex: 'male', relation: 'parent' });
    const booked = (await call(citizen, 'POST', '/api/v1/health/visits', { serviceId: lansia.id, patientId: online.id, date: MONDAY })).json();
    expect(booked).toMatchObject({ queueCode: 'E-003', status: 'booked' });

    const called = await call(counter, 'POST', `/api/v1/health/services/${lansia.id}/queue/call-next`, {});
    expect(called.statusCode, called.body).toBe(200);
    expect(called.json().visit).toMatchObject({ queueCode: 'E-001', status: 'called', patient: { name: 'Daeng Sikki' } });
    expect(called.json().visit.patient.nikMasked).toMatch(/\*/);
    // The call is on the facility's public stream, with the number and no name.
    const [event] = await t.db.query<{ payload: Record<string, unknown> }>(`SELECT payload FROM domain_events WHERE type = 'health.visit.call' AND aggregate_id = $1`, [first.id]);
    expect(event.payload).toMatchObject({ public: true, topic: `queue.${batua}`, queueCode: 'E-001' });
    expect(JSON.stringify(event.payload)).not.toContain('Sikki');

    let display = (await call(null, 'GET', `/api/v1/health/facilities/${batua}/display`)).json();
    let row = display.items.find((s: { serviceId: string }) => s.serviceId === lansia.id);
    expect(row).toMatchObject({ nowServing: { queueCode: 'E-001', status: 'called' }, next: ['E-002'], waiting: 2 });
    expect(JSON.stringify(display)).not.toMatch(/Sikki|Suarni/);

    expect((await act(first.id, 'start')).json()).toMatchObject({ status: 'serving' });
    t.clock.advance(9 * 60_000);
    const done = (await act(first.id, 'finish')).json();
    expect(done.status).toBe('done');
    expect(Date.parse(done.finishedAt) - Date.parse(done.startedAt)).toBe(9 * 60_000);

    // Check in the online booking; call E-002, who does not come: skipped.
    expect((await act(booked.id, 'check-in')).json().status).toBe('checked_in');
    const next = (await call(counter, 'POST', `/api/v1/health/services/${lansia.id}/queue/call-next`, {})).json().visit;
    expect(next.queueCode).toBe('E-002');
    expect((await act(second.id, 'recall')).json().status).toBe('called');
    expect((await act(second.id, 'skip')).json().status).toBe('no_show');
    expect((await call(counter, 'POST', `/api/v1/health/services/${lansia.id}/queue/call-next`, {})).json().visit.queueCode).toBe('E-003');
    expect((await call(counter, 'POST', `/api/v1/health/services/${lansia.id}/queue/call-next`, {})).json().visit).toBeNull();

    display = (await call(null, 'GET', `/api/v1/health/facilities/${batua}/display`)).json();
    row = display.items.find((s: { serviceId: string }) => s.serviceId === lansia.id);
    expect(row).toMatchObject({ nowServing: { queueCode: 'E-003' }, next: [], waiting: 0 });
    const queue = (await call(counter, 'GET', `/api/v1/health/services/${lansia.id}/queue`)).json();
    expect(queue.items.map((v: { queueCode: string; status: string }) => `${v.queueCode}:${v.status}`)).toEqual(['E-001:done', 'E-002:no_show', 'E-003:called']);
  });

  it('never gives two counters calling at once the same patient', async () => {
    const kia = await serviceOf(batua, 'kia');
    const a = await walkIn(kia.id, 'Ibu Rosmiati');
    const b = await walkIn(kia.id, 'Ibu Kartini');
    const calls = await Promise.all([0, 1, 2].map(() => call(counter, 'POST', `/api/v1/health/services/${kia.id}/queue/call-next`, {})));
    const codes = calls.map((r) => r.json().visit?.queueCode ?? null).sort();
    expect(codes).toEqual([a.queueCode, b.queueCode, null].sort());
  });

  it('refuses invalid moves (409), other facilities’ staff (404), residents (403), and other days (409)', async () => {
    const anak = await serviceOf(batua, 'anak');
    const v = await walkIn(anak.id, 'Ahmad Fauzan');
    const bad = await act(v.id, 'finish');
    expect(bad.statusCode).toBe(409);
    expect(codesOf(bad)).toContain('health.visit_transition_invalid');
    expect((await act(v.id, 'check-in')).statusCode).toBe(409);
    expect((await call(citizen, 'POST', `/api/v1/health/visits/${v.id}/start`, {})).statusCode).toBe(403);
    expect((await call(counter, 'POST', `/api/v1/health/visits/${v.id}/teleport`, {})).statusCode).toBe(400);
    // Staff of Puskesmas Batua cannot work Kassi-Kassi's queue.
    const kassiUmum = await serviceOf(kassi, 'umum');
    expect((await call(counter, 'POST', `/api/v1/health/services/${kassiUmum.id}/queue/call-next`, {})).statusCode).toBe(404);
    expect((await call(counter, 'GET', `/api/v1/health/services/${kassiUmum.id}/queue`)).statusCode).toBe(404);
    // Tomorrow's booking cannot be called or checked in today.
    const p = await addPatient(citizen, { name: 'Pasien Besok', birthDate: '2012-12-12', sex: 'male' });
    const tomorrow = (await call(citizen, 'POST', '/api/v1/health/visits', { serviceId: anak.id, patientId: p.id, date: '2026-12-01' })).json();
    const early = await act(tomorrow.id, 'check-in');
    expect(early.statusCode).toBe(409);
    expect(codesOf(early)).toContain('health.visit_not_today');
  });

  it('shows a resident their own visit with what is ahead and the number being served; nobody else’s', async () => {
    // Tuesday, whose queue no other test touches.
    t.clock.set('2026-12-01T00:30:00Z');
    try {
      await ownVisitJourney();
    } finally {
      t.clock.set(MONDAY_0830);
    }
  });

  async function ownVisitJourney() {
    const TUESDAY = '2026-12-01';
    const lansia = await serviceOf(batua, 'lansia', TUESDAY);
    const first = await walkIn(lansia.id, 'Daeng Sibali', TUESDAY);
    const p = await addPatient(citizen, { name: 'Nenek Hadijah', birthDate: '1948-04-21', sex: 'female', relation: 'parent' });
    const mine = (await call(citizen, 'POST', '/api/v1/health/visits', { serviceId: lansia.id, patientId: p.id, date: TUESDAY })).json();
    let view = await call(citizen, 'GET', `/api/v1/health/visits/${mine.id}`);
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json()).toMatchObject({ id: mine.id, queueCode: mine.queueCode, ahead: 1, nowServing: null, patient: { name: 'Nenek Hadijah' } });
    const before = Date.parse(view.json().estimatedAt);
    await call(counter, 'POST', `/api/v1/health/services/${lansia.id}/queue/call-next`, {});
    await act(first.id, 'start');
    view = await call(citizen, 'GET', `/api/v1/health/visits/${mine.id}`);
    expect(view.json()).toMatchObject({ ahead: 1, nowServing: first.queueCode });
    await act(first.id, 'finish');
    view = await call(citizen, 'GET', `/api/v1/health/visits/${mine.id}`);
    expect(view.json()).toMatchObject({ ahead: 0, nowServing: null });
    expect(Date.parse(view.json().estimatedAt)).toBeLessThan(before);
    expect((await call(hasnah, 'GET', `/api/v1/health/visits/${mine.id}`)).statusCode).toBe(404);
    expect((await call(counter, 'GET', `/api/v1/health/visits/${mine.id}`)).statusCode).toBe(403);
  }

  it('puts registrations, calls and cancellations on the facility’s public stream, numbers only', async () => {
    const gigi = await serviceOf(batua, 'gigi');
    const v = await walkIn(gigi.id, 'Muhammad Akbar');
    await call(counter, 'POST', `/api/v1/health/visits/${v.id}/cancel`, {});
    const events = await t.db.query<{ type: string; payload: Record<string, unknown> }>(
      `SELECT type, payload FROM domain_events WHERE aggregate_id = $1 ORDER BY occurred_at, id`,
      [v.id],
    );
    expect(events.map((e) => e.type)).toEqual(['health.visit.registered', 'health.visit.cancelled']);
    for (const e of events) {
      expect(e.payload).toMatchObject({ public: true, topic: `queue.${batua}`, queueCode: v.queueCode });
      expect(JSON.stringify(e.payload)).not.toContain('Akbar');
      expect(e.payload).not.toHaveProperty('patientId');
    }
  });

  it('lists the counter’s own facility and services on its desk', async () => {
    const res = await call(counter, 'GET', '/api/v1/health/desk');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { name: string; services: { name: string; queuePrefix: string }[] }[];
    expect(items.map((f) => f.name)).toEqual(['Puskesmas Batua']);
    expect(items[0].services.map((s) => s.queuePrefix)).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    expect((await call(puStaff, 'GET', '/api/v1/health/desk')).statusCode).toBe(403);
    expect((await call(citizen, 'GET', '/api/v1/health/desk')).statusCode).toBe(403);
  });

  it('finds a walk-in by NIK for counter staff (audited), and refuses bad NIKs and residents', async () => {
    const body = { ...patientBody({ name: 'Syamsuddin Dg. Nai', birthDate: '1961-07-02', sex: 'male' }), relation: undefined };
    const created = (await call(counter, 'POST', '/api/v1/health/patients', body)).json();
    const auditsBefore = await count('audit_events');
    const found = await call(counter, 'POST', '/api/v1/health/patients/lookup', { nik: body.nik });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json()).toMatchObject({ id: created.id, name: 'Syamsuddin Dg. Nai', nikMasked: `${body.nik.slice(0, 6)}**********` });
    expect(found.json()).not.toHaveProperty('nik');
    expect(await count('audit_events')).toBe(auditsBefore + 1);
    expect((await call(counter, 'POST', '/api/v1/health/patients/lookup', { nik: '7371101234560001' })).statusCode).toBe(404);
    const short = await call(counter, 'POST', '/api/v1/health/patients/lookup', { nik: '73711' });
    expect(short.statusCode).toBe(400);
    expect(codesOf(short)).toContain('nik.length');
    expect((await call(counter, 'POST', '/api/v1/health/patients/lookup', { nik: body.nik, extra: 1 })).statusCode).toBe(400);
    expect((await call(citizen, 'POST', '/api/v1/health/patients/lookup', { nik: body.nik })).statusCode).toBe(403);
    expect((await call(puStaff, 'POST', '/api/v1/health/patients/lookup', { nik: body.nik })).statusCode).toBe(403);
    expect(await count('audit_events')).toBe(auditsBefore + 1);
  });
});

describe('estimates from measured service times', () => {
  it('uses today’s median once five visits are finished, and recent weeks’ the next day', async () => {
    // Friday 4 December, from 08:00 WITA (00:00 UTC); no other test touches Friday.
    const FRIDAY = '2026-12-04';
    const at = (minutes: number) => new Date(Date.parse('2026-12-04T00:00:00Z') + minutes * 60_000).toISOString();
    t.clock.set(at(0));
    try {
      const umum = await serviceOf(batua, 'umum', FRIDAY);
      const walkIns: { id: string }[] = [];
      for (let i = 0; i < 7; i++) {
        const p = await call(counter, 'POST', '/api/v1/health/patients', { ...patientBody({ name: `Pasien Jumat ${i + 1}`, birthDate: '1970-02-02', sex: i % 2 ? 'male' : 'female' }), relation: undefined });
        const v = await call(counter, 'POST', '/api/v1/health/visits', { serviceId: umum.id, patientId: p.json().id, date: FRIDAY });
        expect(v.statusCode, v.body).toBe(201);
        walkIns.push(v.json());
      }
      // Before anything is measured: the poli's assumed 8 minutes.
      const first = await call(citizen, 'POST', '/api/v1/health/visits', {
        serviceId: umum.id,
        patientId: (await addPatient(citizen, { name: 'Pasien Perkiraan', birthDate: '1995-09-09', sex: 'male', relation: 'spouse' })).id,
        date: FRIDAY,
      });
      expect(first.json()).toMatchObject({ estimateBasis: 'default', serviceMinutes: 8, ahead: 7 });
      // Six visits served in 4, 6, 6, 7, 9 and 30 minutes: the median is 6.5 minutes.
      let clock = 0;
      for (const minutes of [4, 6, 6, 7, 9, 30]) {
        const called = await call(counter, 'POST', `/api/v1/health/services/${umum.id}/queue/call-next`, {});
        const id = called.json().visit.id;
        expect((await call(counter, 'POST', `/api/v1/health/visits/${id}/start`, {})).statusCode).toBe(200);
        clock += minutes;
        t.clock.set(at(clock));
        expect((await call(counter, 'POST', `/api/v1/health/visits/${id}/finish`, {})).statusCode).toBe(200);
      }
      const mine = await call(citizen, 'GET', `/api/v1/health/visits/${first.json().id}`);
      expect(mine.json()).toMatchObject({ estimateBasis: 'today', serviceMinutes: 6.5, ahead: 1 });
      // 09:02: both doctors of the Poli Umum are on duty (the second until 10:00).
      expect(mine.json().estimatedAt).toBe(new Date(Date.parse(at(clock)) + (6.5 / 2) * 60_000).toISOString());
      // Saturday: nothing finished yet today; the last four weeks give the same median.
      t.clock.set('2026-12-05T00:00:00Z');
      const sat = await call(citizen, 'POST', '/api/v1/health/visits', {
        serviceId: umum.id,
        patientId: (await addPatient(citizen, { name: 'Pasien Sabtu', birthDate: '1996-10-10', sex: 'male', relation: 'sibling' })).id,
        date: '2026-12-05',
      });
      expect(sat.statusCode, sat.body).toBe(201);
      expect(sat.json()).toMatchObject({ estimateBasis: 'recent', serviceMinutes: 6.5 });
    } finally {
      t.clock.set(MONDAY_0830);
    }
  });
});

describe('doctors on duty', () => {
  const onDuty = async (facility: string, time: string, date = MONDAY) => {
    const res = await call(null, 'GET', `/api/v1/health/facilities/${facility}/on-duty?date=${date}&time=${time}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as { name: string; serviceId: string; onDuty: { name: string; kind: string; endsAt: string }[]; next: { name: string; startsAt: string } | null }[];
  };
  const names = (items: Awaited<ReturnType<typeof onDuty>>, service: string) =>
    items
      .find((i) => i.name === service)!
      .onDuty.map((d) => d.name)
      .sort();

  it('shows who serves each poli now, from the weekly roster, and who comes next', async () => {
    expect(names(await onDuty(batua, '08:30'), 'Poli Umum')).toEqual(['dr. Andi Nurfadillah', 'dr. Muhammad Ikhsan Syarif']);
    expect(names(await onDuty(batua, '10:30'), 'Poli Umum')).toEqual(['dr. Andi Nurfadillah']);
    const early = await onDuty(batua, '07:15');
    expect(names(early, 'Poli Gigi')).toEqual([]);
    expect(early.find((i) => i.name === 'Poli Gigi')!.next).toMatchObject({ name: 'drg. Sitti Rahmatia', startsAt: '08:00' });
    const evening = await onDuty(batua, '19:00');
    expect(evening.every((i) => i.onDuty.length === 0 && i.next === null)).toBe(true);
    // Sunday: nobody.
    expect((await onDuty(batua, '09:00', '2026-11-29')).every((i) => i.onDuty.length === 0)).toBe(true);
    expect((await call(null, 'GET', `/api/v1/health/facilities/${batua}/on-duty?time=9:00`)).statusCode).toBe(400);
  });

  it('lets the health office add a practitioner, a weekly shift, leave and an extra shift; the estimate follows', async () => {
    const admin = await t.login(DEMO.admin);
    const gigi = await serviceOf(batua, 'gigi', '2026-12-07');
    const added = await call(admin, 'POST', '/api/v1/health/practitioners', { facilityId: batua, name: 'drg. Nurhidayah Amir', kind: 'dentist', strNumber: 'KG00000123456789' });
    expect(added.statusCode, added.body).toBe(201);
    const id = added.json().id;
    // Monday 7 December: a second dentist from 08:00 to 12:00, on leave 09:00-10:00.
    expect((await call(admin, 'POST', `/api/v1/health/practitioners/${id}/shifts`, { serviceId: gigi.id, weekday: 1, startsAt: '08:00', endsAt: '12:00' })).statusCode).toBe(201);
    expect((await call(admin, 'POST', `/api/v1/health/practitioners/${id}/exceptions`, { day: '2026-12-07', kind: 'leave', startsAt: '09:00', endsAt: '10:00', note: 'Pelatihan' })).statusCode).toBe(201);
    expect(names(await onDuty(batua, '08:30', '2026-12-07'), 'Poli Gigi')).toEqual(['drg. Nurhidayah Amir', 'drg. Sitti Rahmatia']);
    expect(names(await onDuty(batua, '09:30', '2026-12-07'), 'Poli Gigi')).toEqual(['drg. Sitti Rahmatia']);
    // An extra shift at the Poli Anak on Tuesday 8 December (a swap).
    const anak = await serviceOf(batua, 'anak', '2026-12-08');
    expect((await call(admin, 'POST', `/api/v1/health/practitioners/${id}/exceptions`, { day: '2026-12-08', kind: 'extra', serviceId: anak.id, startsAt: '08:00', endsAt: '11:00' })).statusCode).toBe(201);
    expect(names(await onDuty(batua, '08:30', '2026-12-08'), 'Poli Anak (MTBS)')).toEqual(['dr. Fadli Syamsuddin', 'drg. Nurhidayah Amir']);
    // Two dentists at 08:30 on 7 December: a walk-in behind two others waits one 20-minute turn.
    t.clock.set('2026-12-07T00:30:00Z');
    try {
      const ahead = [];
      for (let i = 0; i < 3; i++) {
        const p = await call(counter, 'POST', '/api/v1/health/patients', { ...patientBody({ name: `Pasien Gigi ${i + 1}`, birthDate: '1980-08-08', sex: 'female' }), relation: undefined });
        ahead.push((await call(counter, 'POST', '/api/v1/health/visits', { serviceId: gigi.id, patientId: p.json().id, date: '2026-12-07' })).json());
      }
      expect(ahead[2]).toMatchObject({ ahead: 2 });
      expect(Date.parse(ahead[2].estimatedAt) - Date.parse('2026-12-07T00:30:00Z')).toBe(20 * 60_000);
    } finally {
      t.clock.set(MONDAY_0830);
    }
  });

  it('refuses bad rosters with clear answers and staff without the permission', async () => {
    const admin = await t.login(DEMO.admin);
    const p = (await call(admin, 'POST', '/api/v1/health/practitioners', { facilityId: batua, name: 'dr. Uji Jadwal', kind: 'doctor' })).json();
    const umum = await serviceOf(batua, 'umum');
    const kassiUmum = await serviceOf(kassi, 'umum');
    const rosters = await count('health_rosters');
    const cases: [unknown, string, string][] = [
      [{ serviceId: umum.id, weekday: 1, startsAt: '8:00', endsAt: '12:00' }, 'startsAt', 'health.time_format'],
      [{ serviceId: umum.id, weekday: 1, startsAt: '12:00', endsAt: '08:00' }, 'endsAt', 'health.shift_order'],
      [{ serviceId: umum.id, weekday: 8, startsAt: '08:00', endsAt: '12:00' }, 'weekday', ''],
      [{ serviceId: kassiUmum.id, weekday: 1, startsAt: '08:00', endsAt: '12:00' }, 'serviceId', 'health.service_unknown'],
    ];
    for (const [body, field, code] of cases) {
      const res = await call(admin, 'POST', `/api/v1/health/practitioners/${p.id}/shifts`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(res).some((f) => f.endsWith(field))).toBe(true);
      if (code) expect(codesOf(res)).toContain(code);
    }
    const exceptions = await count('health_roster_exceptions');
    const leaveWithService = await call(admin, 'POST', `/api/v1/health/practitioners/${p.id}/exceptions`, { day: MONDAY, kind: 'leave', serviceId: umum.id });
    expect(codesOf(leaveWithService)).toContain('health.leave_no_service');
    const extraWithout = await call(admin, 'POST', `/api/v1/health/practitioners/${p.id}/exceptions`, { day: MONDAY, kind: 'extra' });
    expect(extraWithout.statusCode).toBe(400);
    expect(await count('health_rosters')).toBe(rosters);
    expect(await count('health_roster_exceptions')).toBe(exceptions);
    // Counter staff and other agencies may not manage rosters.
    expect((await call(counter, 'POST', `/api/v1/health/practitioners/${p.id}/shifts`, { serviceId: umum.id, weekday: 1, startsAt: '08:00', endsAt: '12:00' })).statusCode).toBe(403);
    expect((await call(puStaff, 'POST', '/api/v1/health/practitioners', { facilityId: batua, name: 'dr. Bukan Staf', kind: 'doctor' })).statusCode).toBe(403);
    expect((await call(admin, 'POST', '/api/v1/health/practitioners', { facilityId: '01900000-0000-7000-8000-000000000000', name: 'dr. Tanpa Fasilitas', kind: 'doctor' })).statusCode).toBe(400);
    expect((await call(admin, 'POST', '/api/v1/health/practitioners/01900000-0000-7000-8000-000000000000/shifts', { serviceId: umum.id, weekday: 1, startsAt: '08:00', endsAt: '12:00' })).statusCode).toBe(404);
  });
});

describe('the end of a queue day', () => {
  it('closes the open visits of past days: no-shows, and a visit left in service as done; their patients may register again', async () => {
    const tenantsList = await t.db.orm.select().from(tenantsTable);
    const sweep = () => sweepPastVisits({ db: t.db, clock: t.clock, tenants: async () => tenantsList });
    const lansia = await serviceOf(batua, 'lansia', '2026-12-04');
    // A booking for Friday 4 December that nobody comes to.
    const p = await addPatient(citizen, { name: 'Pasien Tidak Datang', birthDate: '1999-03-03', sex: 'female', relation: 'other' });
    const booked = await call(citizen, 'POST', '/api/v1/health/visits', { serviceId: lansia.id, patientId: p.id, date: '2026-12-04' });
    expect(booked.statusCode, booked.body).toBe(201);
    // A walk-in at the pharmacy today, called and served, never finished.
    const farmasi = await serviceOf(batua, 'farmasi');
    const wp = await call(counter, 'POST', '/api/v1/health/patients', { ...patientBody({ name: 'Pasien Lupa Selesai', birthDate: '1966-06-16', sex: 'male' }), relation: undefined });
    const served = (await call(counter, 'POST', '/api/v1/health/visits', { serviceId: farmasi.id, patientId: wp.json().id, date: MONDAY })).json();
    await call(counter, 'POST', `/api/v1/health/services/${farmasi.id}/queue/call-next`, {});
    expect((await call(counter, 'POST', `/api/v1/health/visits/${served.id}/start`, {})).statusCode).toBe(200);
    const open = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM health_visits WHERE day < '2026-12-10' AND status IN ('booked', 'checked_in', 'called', 'serving')`);
    expect(open[0].n).toBeGreaterThan(0);
    const audits = await count('audit_events');
    t.clock.set('2026-12-10T00:30:00Z');
    try {
      expect(await sweep()).toEqual({ closed: open[0].n });
      const left = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM health_visits WHERE day < '2026-12-10' AND status IN ('booked', 'checked_in', 'called', 'serving')`);
      expect(left[0].n).toBe(0);
      expect(await count('audit_events')).toBe(audits + open[0].n);
      const [swept] = await t.db.query<{ status: string }>(`SELECT status FROM health_visits WHERE id = $1`, [booked.json().id]);
      expect(swept.status).toBe('no_show');
      const [left_in_service] = await t.db.query<{ status: string; finished_at: string | null }>(`SELECT status, finished_at FROM health_visits WHERE id = $1`, [served.id]);
      expect(left_in_service).toEqual({ status: 'done', finished_at: null });
      // Nothing left to close; and the patient books the same poli again.
      expect(await sweep()).toEqual({ closed: 0 });
      const again = await call(citizen, 'POST', '/api/v1/health/visits', { serviceId: lansia.id, patientId: p.id, date: '2026-12-11' });
      expect(again.statusCode, again.body).toBe(201);
    } finally {
      t.clock.set(MONDAY_0830);
    }
  });
});

describe('transfer to another poli or to the pharmacy', () => {
  /** Wednesday 9 December 2026, 09:00 WITA: no other test uses that day. */
  const WEDNESDAY = '2026-12-09';
  let umum: string;
  let gigi: string;
  let farmasi: string;
  beforeAll(async () => {
    t.clock.set('2026-12-09T01:00:00Z');
    [umum, gigi, farmasi] = (await Promise.all(['umum', 'gigi', 'farmasi'].map((c) => serviceOf(batua, c, WEDNESDAY)))).map((s) => s.id);
  });
  afterAll(() => t.clock.set(MONDAY_0830));

  async function walkIn(service: string, name: string, patientId?: string): Promise<{ id: string; queueCode: string; patientId: string }> {
    let pid = patientId;
    if (!pid) {
      const p = await call(counter, 'POST', '/api/v1/health/patients', { ...patientBody({ name, birthDate: '1979-05-21', sex: 'male' }), relation: undefined });
      expect(p.statusCode, p.body).toBe(201);
      pid = p.json().id as string;
    }
    const v = await call(counter, 'POST', '/api/v1/health/visits', { serviceId: service, patientId: pid, date: WEDNESDAY });
    expect(v.statusCode, v.body).toBe(201);
    return { ...v.json(), patientId: pid };
  }
  /** Walks a patient in and calls them (those waiting before them are called and skipped). */
  async function called(service: string, name: string, patientId?: string) {
    const v = await walkIn(service, name, patientId);
    await callUp(service, v.id);
    return v;
  }
  async function callUp(service: string, id: string) {
    for (;;) {
      const c = (await call(counter, 'POST', `/api/v1/health/services/${service}/queue/call-next`, {})).json().visit;
      expect(c).not.toBeNull();
      if (c.id === id) return;
      expect((await call(counter, 'POST', `/api/v1/health/visits/${c.id}/skip`, {})).statusCode).toBe(200);
    }
  }
  const transfer = (id: string, serviceId: string, as: Session = counter) => call(as, 'POST', `/api/v1/health/visits/${id}/transfer`, { serviceId });

  it('ends the poli visit and numbers the patient in the pharmacy queue, checked in, in one move', async () => {
    const v = await called(umum, 'Syamsuddin Daeng Nai');
    expect((await call(counter, 'POST', `/api/v1/health/visits/${v.id}/start`, {})).statusCode).toBe(200);
    t.clock.advance(6 * 60_000);
    const res = await transfer(v.id, farmasi);
    expect(res.statusCode, res.body).toBe(200);
    const { from, to } = res.json();
    expect(from).toMatchObject({ id: v.id, status: 'done', queueCode: v.queueCode });
    expect(Date.parse(from.finishedAt) - Date.parse(from.startedAt)).toBe(6 * 60_000);
    expect(to).toMatchObject({ queueCode: 'F-001', status: 'checked_in', channel: 'onsite', service: { id: farmasi }, transferredFrom: { queueCode: v.queueCode, serviceName: 'Poli Umum' } });
    expect(to.patient.name).toBe('Syamsuddin Daeng Nai');

    // The pharmacy's queue and the TV show the new number; the pharmacy calls it like any other.
    const display = (await call(null, 'GET', `/api/v1/health/facilities/${batua}/display`)).json();
    expect(display.items.find((x: { serviceId: string }) => x.serviceId === farmasi)).toMatchObject({ next: ['F-001'], waiting: 1 });
    const next = (await call(counter, 'POST', `/api/v1/health/services/${farmasi}/queue/call-next`, {})).json().visit;
    expect(next).toMatchObject({ id: to.id, queueCode: 'F-001' });
    // A walk-in at the pharmacy takes the next number: no gap, no duplicate.
    expect((await walkIn(farmasi, 'Ramlah Daeng Baji')).queueCode).toBe('F-002');

    // Audited on the source, and both queues move on the public stream (numbers only).
    const [audit] = await t.db.query<{ data: Record<string, unknown> }>(`SELECT data FROM audit_events WHERE action = 'health.visit.transferred' AND entity_id = $1`, [v.id]);
    expect(audit.data).toMatchObject({ queueCode: v.queueCode, toQueueCode: 'F-001', toServiceId: farmasi, from: 'serving', to: 'done' });
    const events = await t.db.query<{ type: string; payload: Record<string, unknown> }>(
      `SELECT type, payload FROM domain_events
        WHERE (aggregate_id = $1 AND type = 'health.visit.transferred') OR (aggregate_id = $2 AND type = 'health.visit.registered') ORDER BY type`,
      [v.id, to.id],
    );
    expect(events.map((e) => e.type)).toEqual(['health.visit.registered', 'health.visit.transferred']);
    for (const e of events) {
      expect(e.payload).toMatchObject({ public: true, topic: `queue.${batua}` });
      expect(JSON.stringify(e.payload)).not.toContain('Syamsuddin');
    }
  });

  it('shows the resident the number they were sent on to, and the new ticket among their visits', async () => {
    const p = await addPatient(citizen, { name: 'Andi Baso Rujukan', birthDate: '1988-03-14' });
    const booked = await call(citizen, 'POST', '/api/v1/health/visits', { serviceId: umum, patientId: p.id, date: WEDNESDAY });
    expect(booked.statusCode, booked.body).toBe(201);
    expect(booked.json().transferredTo).toBeNull();
    expect((await call(counter, 'POST', `/api/v1/health/visits/${booked.json().id}/check-in`, {})).statusCode).toBe(200);
    await callUp(umum, booked.json().id);
    const res = await transfer(booked.json().id, farmasi);
    expect(res.statusCode, res.body).toBe(200);
    const to = res.json().to;

    const own = await call(citizen, 'GET', `/api/v1/health/visits/${booked.json().id}`);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ status: 'done', transferredTo: { id: to.id, queueCode: to.queueCode, serviceName: 'Farmasi' } });
    const ticket = (await call(citizen, 'GET', `/api/v1/health/visits/${to.id}`)).json();
    expect(ticket).toMatchObject({ queueCode: to.queueCode, status: 'checked_in', service: { id: farmasi }, patient: { id: p.id }, transferredTo: null });
    const mine = (await call(citizen, 'GET', '/api/v1/health/visits')).json().items.map((v: { id: string }) => v.id);
    expect(mine).toEqual(expect.arrayContaining([booked.json().id, to.id]));
    // A visit is sent on once: it has ended.
    expect((await transfer(booked.json().id, gigi)).statusCode).toBe(409);
  });

  it('sends a called patient on to another poli', async () => {
    const v = await called(umum, 'Nur Aisyah Amir');
    const res = await transfer(v.id, gigi);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().from).toMatchObject({ status: 'done', startedAt: null });
    expect(res.json().to).toMatchObject({ queueCode: 'B-001', status: 'checked_in' });
  });

  it('refuses what cannot be transferred, with clear answers, and writes nothing', async () => {
    const served = await called(umum, 'Irwan Saputra');
    const waiting = await walkIn(umum, 'Abdul Rahman Said');
    const visitsBefore = await count('health_visits');
    const auditBefore = await count('audit_events');

    const early = await transfer(waiting.id, farmasi);
    expect(early.statusCode).toBe(409);
    expect(codesOf(early)).toContain('health.visit_transition_invalid');
    for (const target of [umum, (await serviceOf(kassi, 'farmasi', WEDNESDAY)).id, '01900000-0000-7000-8000-000000000000']) {
      const bad = await transfer(served.id, target);
      expect(bad.statusCode, bad.body).toBe(400);
      expect(codesOf(bad)).toContain('health.transfer_target_invalid');
    }
    const malformed = await call(counter, 'POST', `/api/v1/health/visits/${served.id}/transfer`, { serviceId: 'farmasi', extra: 1 });
    expect(malformed.statusCode).toBe(400);
    expect((await transfer(served.id, farmasi, citizen)).statusCode).toBe(403);
    expect((await transfer('01900000-0000-7000-8000-000000000000', farmasi)).statusCode).toBe(404);

    // Already in the target's queue: the active registration there is named.
    await walkIn(gigi, '', served.patientId);
    const twice = await transfer(served.id, gigi);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().errors[0]).toMatchObject({ field: 'serviceId', code: 'health.already_registered' });
    expect(twice.json().errors[0].message).toContain('B-002');

    expect(await count('health_visits')).toBe(visitsBefore + 1);
    expect(await count('audit_events')).toBe(auditBefore + 1);
    const queue = (await call(counter, 'GET', `/api/v1/health/services/${umum}/queue?date=${WEDNESDAY}`)).json().items as { id: string; status: string }[];
    expect(queue.find((x) => x.id === served.id)?.status).toBe('called');
    expect(queue.find((x) => x.id === waiting.id)?.status).toBe('checked_in');
  });

  it('transfers a visit once when two counters press at the same moment, and keeps the pharmacy numbers gap-free beside walk-ins', async () => {
    const pharmacyNumbers = async () =>
      (await t.db.query<{ number: number }>(`SELECT number FROM health_visits WHERE service_id = $1 AND day = $2 ORDER BY number`, [farmasi, WEDNESDAY])).map((r) => r.number);
    const before = (await pharmacyNumbers()).length;
    const sources = [];
    for (const name of ['Hendra Wijaya', 'Sitti Maryam', 'Muh. Arif Tahir']) sources.push(await called(umum, name));
    const walkers = await Promise.all(['Rahmawati', 'Jumardi', 'Nurhaedah'].map((n) => call(counter, 'POST', '/api/v1/health/patients', { ...patientBody({ name: n, birthDate: '1990-01-15', sex: 'female' }), relation: undefined })));
    const results = await Promise.all([
      ...sources.flatMap((s) => [transfer(s.id, farmasi), transfer(s.id, farmasi)]),
      ...walkers.map((p) => call(counter, 'POST', '/api/v1/health/visits', { serviceId: farmasi, patientId: p.json().id, date: WEDNESDAY })),
    ]);
    const transfers = results.slice(0, 6);
    expect(transfers.filter((r) => r.statusCode === 200)).toHaveLength(3);
    for (const r of transfers.filter((x) => x.statusCode !== 200)) {
      expect(r.statusCode).toBe(409);
      expect(codesOf(r)).toContain('health.visit_transition_invalid');
    }
    expect(results.slice(6).map((r) => r.statusCode)).toEqual([201, 201, 201]);
    const numbers = await pharmacyNumbers();
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    expect(numbers.length).toBe(before + 6);
  });

  it('refuses a target whose sessions are over for the day', async () => {
    t.clock.set('2026-12-09T03:50:00Z'); // 11:50 WITA
    const v = await called(gigi, 'Andi Baso Amir');
    t.clock.set('2026-12-09T04:05:00Z'); // 12:05: the puskesmas has closed its sessions
    const late = await transfer(v.id, farmasi);
    expect(late.statusCode).toBe(400);
    expect(late.json().errors[0]).toMatchObject({ field: 'serviceId', code: 'health.transfer_target_closed' });
    expect(late.json().errors[0].message).toContain('Farmasi');
  });
});

describe('queue API in the shape of BPJS Kesehatan’s antrean integration', () => {
  /** Thursday 10 December 2026, 09:00 WITA: no other test uses that day. */
  const THURSDAY = '2026-12-10';
  beforeAll(() => t.clock.set('2026-12-10T01:00:00Z'));
  afterAll(() => t.clock.set(MONDAY_0830));

  it('reports each poli: total, remaining, the number called, quotas, doctors and the wait in seconds; and a booking’s remaining and wait', async () => {
    const umum = await serviceOf(batua, 'umum', THURSDAY);
    const first = await call(counter, 'POST', '/api/v1/health/patients', { ...patientBody({ name: 'Pasien Kamis Satu', birthDate: '1966-09-09', sex: 'male' }), relation: undefined });
    const walkIn = await call(counter, 'POST', '/api/v1/health/visits', { serviceId: umum.id, patientId: first.json().id, date: THURSDAY });
    expect(walkIn.statusCode, walkIn.body).toBe(201);
    const mine = await addPatient(citizen, { name: 'Pasien Kamis Dua', birthDate: '1991-04-04' });
    const booked = await call(citizen, 'POST', '/api/v1/health/visits', { serviceId: umum.id, patientId: mine.id, date: THURSDAY });
    expect(booked.statusCode, booked.body).toBe(201);
    const third = await call(counter, 'POST', '/api/v1/health/patients', { ...patientBody({ name: 'Pasien Kamis Tiga', birthDate: '1970-01-01', sex: 'male' }), relation: undefined });
    expect((await call(counter, 'POST', '/api/v1/health/visits', { serviceId: umum.id, patientId: third.json().id, date: THURSDAY })).statusCode).toBe(201);
    const called = (await call(counter, 'POST', `/api/v1/health/services/${umum.id}/queue/call-next`, {})).json().visit;
    expect(called.queueCode).toBe(walkIn.json().queueCode);

    const list = await call(null, 'GET', `/api/v1/health/antrean/status/${batua}?tanggal=${THURSDAY}`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().metadata).toEqual({ message: 'Ok', code: 200 });
    const poli = list.json().response.list.find((p: { kodepoli: string }) => p.kodepoli === 'umum');
    // Poli Umum on Thursday: quota 60, 40 % kept for the counter → 36 online places.
    expect(poli).toMatchObject({ namapoli: 'Poli Umum', totalantrean: 3, sisaantrean: 2, antreanpanggil: walkIn.json().queueCode, kuotajkn: 36, sisakuotajkn: 35, kuotanonjkn: 24, keterangan: '' });
    expect(poli.namadokter).toContain('dr. Andi Nurfadillah');
    expect(poli.waktutunggu).toBeGreaterThan(0);
    expect(poli.waktutunggu % 1).toBe(0);

    const one = await call(null, 'POST', '/api/v1/health/antrean/status', { kodefaskes: batua, kodepoli: 'umum', tanggalperiksa: THURSDAY });
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json().response).toEqual(poli);

    const sisa = await call(null, 'POST', '/api/v1/health/antrean/sisa', { kodebooking: booked.json().id });
    expect(sisa.statusCode, sisa.body).toBe(200);
    // Ahead of it: the walk-in being called (as on the resident's ticket); its wait is the ticket's estimate from now.
    const ticket = (await call(citizen, 'GET', `/api/v1/health/visits/${booked.json().id}`)).json();
    expect(ticket.ahead).toBe(1);
    expect(sisa.json().response).toMatchObject({ nomorantrean: booked.json().queueCode, namapoli: 'Poli Umum', sisaantrean: 1, antreanpanggil: walkIn.json().queueCode, keterangan: '' });
    expect(sisa.json().response.waktutunggu).toBe(Math.max(0, Math.round((Date.parse(ticket.estimatedAt) - Date.parse('2026-12-10T01:00:00Z')) / 1000)));
    // Nothing personal in either answer.
    expect(JSON.stringify([list.json(), sisa.json()])).not.toMatch(/Pasien Kamis|737110/);

    // Bad input: unknown booking, poli, facility; a date that is no date; extra fields.
    expect((await call(null, 'POST', '/api/v1/health/antrean/sisa', { kodebooking: '0190f0c4-7a1b-7000-8000-000000000001' })).statusCode).toBe(404);
    const noPoli = await call(null, 'POST', '/api/v1/health/antrean/status', { kodefaskes: batua, kodepoli: 'jantung', tanggalperiksa: THURSDAY });
    expect([noPoli.statusCode, codesOf(noPoli)]).toEqual([400, ['health.service_unknown']]);
    expect((await call(null, 'GET', '/api/v1/health/antrean/status/0190f0c4-7a1b-7000-8000-000000000001')).statusCode).toBe(404);
    expect((await call(null, 'POST', '/api/v1/health/antrean/status', { kodefaskes: batua, kodepoli: 'umum', tanggalperiksa: '2026-02-30' })).statusCode).toBe(400);
    expect((await call(null, 'POST', '/api/v1/health/antrean/sisa', { kodebooking: booked.json().id, nomorkartu: '0001' })).statusCode).toBe(400);

    // Documented in OpenAPI.
    const doc = (await call(null, 'GET', '/docs/json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/health/antrean/status/{facilityId}', '/api/v1/health/antrean/status', '/api/v1/health/antrean/sisa']));
  });
});

describe('service settings and opening hours', () => {
  let admin: Session;
  beforeAll(async () => {
    admin = await t.login(DEMO.admin);
  });

  it('adds a poli, sets its hours per weekday with quotas, renames and closes it; audited', async () => {
    const created = await call(admin, 'POST', `/api/v1/health/facilities/${batua}/services`, { code: 'poli_mata', name: 'Poli Mata', kind: 'poli', queuePrefix: 'G', onsiteShare: 30, defaultServiceMinutes: 12 });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ code: 'poli_mata', queuePrefix: 'G', active: true, hours: [] });
    const id = created.json().id;
    // No hours yet: closed every day.
    expect((await serviceOf(batua, 'poli_mata', '2026-12-03')).closed).toBe('no_sessions');

    const hours = await call(admin, 'PUT', `/api/v1/health/services/${id}/hours`, {
      weekdays: [
        { weekday: 2, sessions: [{ opensAt: '08:00', closesAt: '10:00', quota: 10 }, { opensAt: '10:00', closesAt: '12:00', quota: 8 }] },
        { weekday: 4, sessions: [{ opensAt: '08:00', closesAt: '11:00', quota: 15 }] },
      ],
    });
    expect(hours.statusCode, hours.body).toBe(200);
    expect(hours.json().hours).toEqual([
      { weekday: 2, sessions: [{ session: 1, opensAt: '08:00', closesAt: '10:00', quota: 10 }, { session: 2, opensAt: '10:00', closesAt: '12:00', quota: 8 }] },
      { weekday: 4, sessions: [{ session: 1, opensAt: '08:00', closesAt: '11:00', quota: 15 }] },
    ]);
    // Thursday 3 December: open, 15 places, 30 % kept for the counter.
    const thursday = await serviceOf(batua, 'poli_mata', '2026-12-03');
    expect(thursday.sessions[0]).toMatchObject({ quota: 15, onlineRoom: 10 });

    // A resident books Tuesday's second session: that session cannot be taken away any more.
    const p = await addPatient(citizen, { name: 'Pasien Mata', birthDate: '1975-07-07' });
    const booked = await call(citizen, 'POST', '/api/v1/health/visits', { serviceId: id, patientId: p.id, date: '2026-12-01', session: 2 });
    expect(booked.statusCode, booked.body).toBe(201);
    const shrink = await call(admin, 'PUT', `/api/v1/health/services/${id}/hours`, { weekdays: [{ weekday: 2, sessions: [{ opensAt: '08:00', closesAt: '12:00', quota: 18 }] }] });
    expect(shrink.statusCode).toBe(409);
    expect(shrink.json().errors[0]).toMatchObject({ field: 'weekdays', code: 'health.hours_in_use' });
    expect(shrink.json().errors[0].message).toContain('1 pendaftaran');
    // Moving the hours keeps both sessions: allowed.
    expect((await call(admin, 'PUT', `/api/v1/health/services/${id}/hours`, { weekdays: [{ weekday: 2, sessions: [{ opensAt: '07:30', closesAt: '10:00', quota: 10 }, { opensAt: '10:00', closesAt: '12:30', quota: 8 }] }] })).statusCode).toBe(200);

    const renamed = await call(admin, 'PATCH', `/api/v1/health/services/${id}`, { name: 'Poli Mata (Refraksi)', onsiteShare: 50 });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Poli Mata (Refraksi)', onsiteShare: 50 });
    const closed = await call(admin, 'PATCH', `/api/v1/health/services/${id}`, { active: false });
    expect(closed.json().active).toBe(false);
    const list = (await call(null, 'GET', `/api/v1/health/facilities/${batua}/services?date=2026-12-03`)).json().items.map((x: { code: string }) => x.code);
    expect(list).not.toContain('poli_mata');
    const actions = (await t.db.query<{ action: string }>(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY occurred_at, id`, [id])).map((r) => r.action);
    expect(actions).toEqual(['health.service.created', 'health.service.hours_set', 'health.service.hours_set', 'health.service.updated', 'health.service.updated']);
  });

  it('refuses bad settings on the field, taken codes and prefixes, and staff without the right; nothing written', async () => {
    const before = await count('health_services');
    const base = { code: 'poli_tht', name: 'Poli THT', kind: 'poli', queuePrefix: 'H' };
    const cases: [unknown, number, string, string][] = [
      [{ ...base, code: 'Poli THT' }, 400, 'code', 'health.service_code'],
      [{ ...base, queuePrefix: 'h1' }, 400, 'queuePrefix', 'health.queue_prefix'],
      [{ ...base, code: 'umum' }, 409, 'code', 'health.service_code_taken'],
      [{ ...base, queuePrefix: 'A' }, 409, 'queuePrefix', 'health.queue_prefix_taken'],
      [{ ...base, onsiteShare: 120 }, 400, 'onsiteShare', ''],
      [{ ...base, kind: 'lab' }, 400, 'kind', ''],
    ];
    for (const [body, status, field, code] of cases) {
      const res = await call(admin, 'POST', `/api/v1/health/facilities/${batua}/services`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(fieldsOf(res)).toContain(field);
      if (code) expect(codesOf(res)).toContain(code);
    }
    expect((await call(counter, 'POST', `/api/v1/health/facilities/${batua}/services`, base)).statusCode).toBe(403);
    expect(await count('health_services')).toBe(before);

    const umum = (await serviceOf(batua, 'umum')).id;
    const badHours: [unknown, string, string][] = [
      [{ weekdays: [{ weekday: 1, sessions: [{ opensAt: '12:00', closesAt: '08:00', quota: 10 }] }] }, 'weekdays.0.sessions.0.closesAt', 'health.shift_order'],
      [{ weekdays: [{ weekday: 1, sessions: [{ opensAt: '08:00', closesAt: '11:00', quota: 10 }, { opensAt: '10:00', closesAt: '12:00', quota: 5 }] }] }, 'weekdays.0.sessions.1.opensAt', 'health.session_overlap'],
      [{ weekdays: [{ weekday: 1, sessions: [] }, { weekday: 1, sessions: [] }] }, 'weekdays.1.weekday', 'health.weekday_repeated'],
      [{ weekdays: [{ weekday: 8, sessions: [] }] }, 'weekdays.0.weekday', ''],
      [{ weekdays: [{ weekday: 1, sessions: [{ opensAt: '8:00', closesAt: '11:00', quota: 10 }] }] }, 'weekdays.0.sessions.0.opensAt', 'health.time_format'],
      [{ weekdays: [{ weekday: 1, sessions: [{ opensAt: '08:00', closesAt: '11:00', quota: 0 }] }] }, 'weekdays.0.sessions.0.quota', ''],
    ];
    const sessions = await count('health_service_sessions');
    for (const [body, field, code] of badHours) {
      const res = await call(admin, 'PUT', `/api/v1/health/services/${umum}/hours`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(res), res.body).toContain(field);
      if (code) expect(codesOf(res)).toContain(code);
    }
    expect((await call(admin, 'PATCH', `/api/v1/health/services/${umum}`, {})).statusCode).toBe(400);
    expect((await call(counter, 'PUT', `/api/v1/health/services/${umum}/hours`, { weekdays: [{ weekday: 7, sessions: [] }] })).statusCode).toBe(403);
    expect(await count('health_service_sessions')).toBe(sessions);
  });
});

describe('session use kept beside the counter', () => {
  it('matches the visits after every registration, cancellation, finish and no-show of this file', async () => {
    const kept = await t.db.query<{ k: string; online: number; onsite: number; closed: number }>(
      `SELECT service_id || '|' || day || '|' || s AS k, online[s] AS online, onsite[s] AS onsite, closed[s] AS closed
         FROM health_queue_days CROSS JOIN generate_series(1, 9) AS s
        WHERE online[s] + onsite[s] + closed[s] > 0
        ORDER BY 1`,
    );
    const counted = await t.db.query<{ k: string; online: number; onsite: number; closed: number }>(
      `SELECT service_id || '|' || day || '|' || session AS k,
              count(*) FILTER (WHERE channel = 'online' AND status <> 'cancelled')::int AS online,
              count(*) FILTER (WHERE channel = 'onsite' AND status <> 'cancelled')::int AS onsite,
              count(*) FILTER (WHERE status IN ('done', 'no_show'))::int AS closed
         FROM health_visits GROUP BY 1
        HAVING count(*) FILTER (WHERE status <> 'cancelled') + count(*) FILTER (WHERE status IN ('done', 'no_show')) > 0
        ORDER BY 1`,
    );
    expect(counted.length).toBeGreaterThan(5);
    expect(counted.some((c) => c.closed > 0)).toBe(true);
    expect(kept).toEqual(counted);
  });

  it('takes no counter for an unknown service', async () => {
    const p = await addPatient(citizen, { name: 'Pasien Layanan Hilang', birthDate: '2001-01-01', sex: 'male', relation: 'sibling' });
    const before = await count('health_queue_days');
    const res = await call(citizen, 'POST', '/api/v1/health/visits', { serviceId: '01900000-0000-7000-8000-000000000000', patientId: p.id, date: MONDAY });
    expect(res.statusCode).toBe(400);
    expect(codesOf(res)).toContain('health.service_unknown');
    expect(await count('health_queue_days')).toBe(before);
  });
});
