import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../test/support/app.js';

/**
 * The roster page's API (issue 5): a facility's practitioners with their weekly shifts and coming
 * leave and extra shifts; a shift or an exception taken off, a practitioner renamed or taken off
 * duty — each audited, each seen at once by the public "dokter piket"; refused for other staff,
 * other facilities and bad input, with nothing written.
 */

let t: TestApp;
let dataDir: string;
let head: Session;
let counter: Session;
let batua: string;
let kassi: string;
let gigi: string;
let umum: string;

/** Monday 30 November 2026, 08:30 WITA. */
const MONDAY = '2026-11-30';
const UNKNOWN = '01900000-0000-7000-8000-000000000000';

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'roster-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' } });
  t.clock.set('2026-11-30T00:30:00Z');
  head = await t.login('kapus.batua@makassarkota.go.id');
  counter = await t.login('loket.batua@makassarkota.go.id');
  const facilities = (await t.request(null, 'GET', '/api/v1/health/facilities')).json().items as { id: string; name: string }[];
  batua = facilities.find((f) => f.name === 'Puskesmas Batua')!.id;
  kassi = facilities.find((f) => f.name === 'Puskesmas Kassi-Kassi')!.id;
  const services = (await t.request(null, 'GET', `/api/v1/health/facilities/${batua}/services?date=${MONDAY}`)).json().items as { id: string; code: string }[];
  gigi = services.find((s) => s.code === 'gigi')!.id;
  umum = services.find((s) => s.code === 'umum')!.id;
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Roster {
  from: string;
  practitioners: { id: string; name: string; kind: string; strNumber: string | null; active: boolean; shifts: { id: string; serviceId: string; weekday: number; startsAt: string; endsAt: string }[]; exceptions: { id: string; day: string; kind: string; serviceId: string | null }[] }[];
}

async function roster(s: Session = head, facility = batua, from?: string): Promise<Roster> {
  const res = await t.request(s, 'GET', `/api/v1/health/facilities/${facility}/roster${from ? `?from=${from}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Who serves a service at a local time of a date, by name (the public page). */
async function onDuty(serviceId: string, date: string, time: string): Promise<string[]> {
  const res = await t.request(null, 'GET', `/api/v1/health/facilities/${batua}/on-duty?date=${date}&time=${time}`);
  return res.json().items.find((i: { serviceId: string }) => i.serviceId === serviceId).onDuty.map((p: { name: string }) => p.name);
}

async function count(table: string): Promise<number> {
  const [r] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return r.n;
}

async function actions(entityId: string): Promise<string[]> {
  return (await t.db.query<{ action: string }>(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY occurred_at, id`, [entityId])).map((r) => r.action);
}

describe('a facility’s roster', () => {
  it('lists the practitioners with their weekly shifts and the exceptions from today on', async () => {
    const r = await roster();
    expect(r.from).toBe(MONDAY);
    expect(r.practitioners.map((p) => p.name)).toContain('drg. Sitti Rahmatia');
    const dentist = r.practitioners.find((p) => p.name === 'drg. Sitti Rahmatia')!;
    expect(dentist).toMatchObject({ kind: 'dentist', active: true, strNumber: null, exceptions: [] });
    expect(dentist.shifts.map((s) => s.weekday)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(dentist.shifts[0]).toMatchObject({ serviceId: gigi, startsAt: '08:00', endsAt: '12:00' });

    // A leave next week, one last week (not listed from today), an extra shift.
    const past = await t.request(head, 'POST', `/api/v1/health/practitioners/${dentist.id}/exceptions`, { day: '2026-11-23', kind: 'leave' });
    expect(past.statusCode).toBe(201);
    const leave = await t.request(head, 'POST', `/api/v1/health/practitioners/${dentist.id}/exceptions`, { day: '2026-12-07', kind: 'leave', note: 'Pelatihan' });
    expect(leave.statusCode).toBe(201);
    const listed = (await roster()).practitioners.find((p) => p.id === dentist.id)!;
    expect(listed.exceptions).toEqual([{ id: leave.json().id, day: '2026-12-07', kind: 'leave', serviceId: null, startsAt: '00:00', endsAt: '23:59', note: 'Pelatihan' }]);
    expect((await roster(head, batua, '2026-11-23')).practitioners.find((p) => p.id === dentist.id)!.exceptions).toHaveLength(2);
  });

  it('refuses other staff (403), other facilities and unknown ones (404), a bad date (400)', async () => {
    expect((await t.request(counter, 'GET', `/api/v1/health/facilities/${batua}/roster`)).statusCode).toBe(403);
    expect((await t.request(head, 'GET', `/api/v1/health/facilities/${kassi}/roster`)).statusCode).toBe(404);
    expect((await t.request(head, 'GET', `/api/v1/health/facilities/${UNKNOWN}/roster`)).statusCode).toBe(404);
    expect((await t.request(head, 'GET', `/api/v1/health/facilities/${batua}/roster?from=30-11-2026`)).statusCode).toBe(400);
  });
});

describe('changing the roster', () => {
  it('takes a weekly shift off: the public page no longer shows it; audited', async () => {
    const p = (await t.request(head, 'POST', '/api/v1/health/practitioners', { facilityId: batua, name: 'dr. Rapi Jadwal', kind: 'doctor' })).json();
    const shift = await t.request(head, 'POST', `/api/v1/health/practitioners/${p.id}/shifts`, { serviceId: umum, weekday: 1, startsAt: '08:00', endsAt: '12:00' });
    expect(shift.statusCode).toBe(201);
    expect(await onDuty(umum, MONDAY, '09:00')).toContain('dr. Rapi Jadwal');
    const del = await t.request(head, 'DELETE', `/api/v1/health/practitioners/${p.id}/shifts/${shift.json().id}`);
    expect(del.statusCode, del.body).toBe(204);
    expect(await onDuty(umum, MONDAY, '09:00')).not.toContain('dr. Rapi Jadwal');
    expect((await roster()).practitioners.find((x) => x.id === p.id)!.shifts).toEqual([]);
    expect(await actions(p.id)).toEqual(['health.practitioner.added', 'health.roster.shift_added', 'health.roster.shift_removed']);
    // Gone already: 404, nothing else removed.
    const rosters = await count('health_rosters');
    expect((await t.request(head, 'DELETE', `/api/v1/health/practitioners/${p.id}/shifts/${shift.json().id}`)).statusCode).toBe(404);
    expect(await count('health_rosters')).toBe(rosters);
  });

  it('withdraws a coming leave (the practitioner is back on duty) but keeps a past one', async () => {
    const dentist = (await roster()).practitioners.find((p) => p.name === 'drg. Sitti Rahmatia')!;
    const leave = (await t.request(head, 'POST', `/api/v1/health/practitioners/${dentist.id}/exceptions`, { day: MONDAY, kind: 'leave', startsAt: '08:00', endsAt: '12:00' })).json();
    expect(await onDuty(gigi, MONDAY, '09:00')).not.toContain('drg. Sitti Rahmatia');
    const del = await t.request(head, 'DELETE', `/api/v1/health/practitioners/${dentist.id}/exceptions/${leave.id}`);
    expect(del.statusCode, del.body).toBe(204);
    expect(await onDuty(gigi, MONDAY, '09:00')).toContain('drg. Sitti Rahmatia');
    expect((await actions(dentist.id)).at(-1)).toBe('health.roster.exception_removed');

    const past = (await roster(head, batua, '2026-11-23')).practitioners.find((p) => p.id === dentist.id)!.exceptions.find((e) => e.day === '2026-11-23')!;
    const exceptions = await count('health_roster_exceptions');
    const refused = await t.request(head, 'DELETE', `/api/v1/health/practitioners/${dentist.id}/exceptions/${past.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'health.exception_past' });
    expect(refused.json().title).toContain('sudah lewat');
    expect(await count('health_roster_exceptions')).toBe(exceptions);
  });

  it('renames, sets the STR number and takes a practitioner off duty and back; audited', async () => {
    const p = (await t.request(head, 'POST', '/api/v1/health/practitioners', { facilityId: batua, name: 'dr. Cuti Panjang', kind: 'doctor' })).json();
    await t.request(head, 'POST', `/api/v1/health/practitioners/${p.id}/shifts`, { serviceId: umum, weekday: 1, startsAt: '08:00', endsAt: '12:00' });
    const renamed = await t.request(head, 'PATCH', `/api/v1/health/practitioners/${p.id}`, { name: 'dr. Cuti Panjang, Sp.PD', strNumber: 'KK0000012345' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'dr. Cuti Panjang, Sp.PD', strNumber: 'KK0000012345', active: true });
    const off = await t.request(head, 'PATCH', `/api/v1/health/practitioners/${p.id}`, { active: false });
    expect(off.json().active).toBe(false);
    expect(await onDuty(umum, MONDAY, '09:00')).not.toContain('dr. Cuti Panjang, Sp.PD');
    const listed = (await roster()).practitioners;
    expect(listed.at(-1)).toMatchObject({ id: p.id, active: false });
    expect(listed.at(-1)!.shifts).toHaveLength(1);
    await t.request(head, 'PATCH', `/api/v1/health/practitioners/${p.id}`, { active: true, strNumber: null });
    expect(await onDuty(umum, MONDAY, '09:00')).toContain('dr. Cuti Panjang, Sp.PD');
    const [audit] = await t.db.query<{ data: any }>(`SELECT data FROM audit_events WHERE entity_id = $1 AND action = 'health.practitioner.updated' ORDER BY occurred_at, id LIMIT 1`, [p.id]);
    expect(audit.data).toEqual({ name: { from: 'dr. Cuti Panjang', to: 'dr. Cuti Panjang, Sp.PD' }, strNumber: { from: null, to: 'KK0000012345' } });
  });

  it('refuses bad input, other staff and other facilities; nothing written', async () => {
    const dentist = (await roster()).practitioners.find((p) => p.name === 'drg. Sitti Rahmatia')!;
    const shiftId = dentist.shifts[0]!.id;
    const admin = await t.login('admin@makassarkota.go.id');
    const before = { rosters: await count('health_rosters'), exceptions: await count('health_roster_exceptions'), audit: await count('audit_events') };
    const bad: [unknown, string, string][] = [
      [{ name: 'dr' }, 'name', ''],
      [{ strNumber: 'str 123' }, 'strNumber', 'health.str_number'],
      [{ active: 'no' }, 'active', ''],
      [{ kind: 'nurse' }, '', ''],
      [{}, '', 'health.nothing_to_change'],
    ];
    for (const [body, field, code] of bad) {
      const res = await t.request(head, 'PATCH', `/api/v1/health/practitioners/${dentist.id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const errors = res.json().errors as { field: string; code: string; message: string }[];
      if (field) expect(errors.map((e) => e.field)).toContain(field);
      if (code) expect(errors.map((e) => e.code)).toContain(code);
    }
    const strError = (await t.request(head, 'PATCH', `/api/v1/health/practitioners/${dentist.id}`, { strNumber: 'x' })).json().errors[0].message;
    expect(strError).toContain('Nomor STR');
    expect((await t.request(counter, 'PATCH', `/api/v1/health/practitioners/${dentist.id}`, { active: false })).statusCode).toBe(403);
    expect((await t.request(counter, 'DELETE', `/api/v1/health/practitioners/${dentist.id}/shifts/${shiftId}`)).statusCode).toBe(403);
    expect((await t.request(head, 'DELETE', `/api/v1/health/practitioners/${dentist.id}/shifts/not-a-uuid`)).statusCode).toBe(400);
    // A shift of another practitioner through this one's URL, or an unknown one: 404.
    const other = (await roster()).practitioners.find((p) => p.name === 'dr. Andi Nurfadillah')!;
    expect((await t.request(head, 'DELETE', `/api/v1/health/practitioners/${other.id}/shifts/${shiftId}`)).statusCode).toBe(404);
    expect((await t.request(head, 'DELETE', `/api/v1/health/practitioners/${dentist.id}/exceptions/${UNKNOWN}`)).statusCode).toBe(404);
    // Another facility's practitioner is out of reach: 404.
    const kassiDoctor = (await roster(admin, kassi)).practitioners[0]!;
    expect((await t.request(head, 'PATCH', `/api/v1/health/practitioners/${kassiDoctor.id}`, { active: false })).statusCode).toBe(404);
    expect((await t.request(head, 'DELETE', `/api/v1/health/practitioners/${kassiDoctor.id}/shifts/${kassiDoctor.shifts[0]!.id}`)).statusCode).toBe(404);
    expect({ rosters: await count('health_rosters'), exceptions: await count('health_roster_exceptions'), audit: await count('audit_events') }).toEqual(before);
    expect((await roster()).practitioners.find((p) => p.id === dentist.id)).toMatchObject({ name: 'drg. Sitti Rahmatia', active: true, strNumber: null });
  });
});
