import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../test/support/app.js';
import { loadCalendar } from './load.js';
import { addWorkingDays, isWorkingDay } from './workingTime.js';

let t: TestApp;
let admin: Session;
let makassarId: string;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login(DEMO.admin);
  [{ id: makassarId }] = await t.db.query<{ id: string }>(`SELECT id::text FROM tenants WHERE slug = 'makassar'`);
});
afterAll(async () => {
  await t.close();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [r] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) x`, params);
  return r.n;
}
const calendarRows = () => count('SELECT 1 FROM calendar_days WHERE tenant_id = $1', [makassarId]);
const auditRows = (action: string) => count('SELECT 1 FROM audit_events WHERE tenant_id = $1 AND action = $2', [makassarId, action]);

describe('GET /api/v1/admin/calendar', () => {
  it('lists the 2026 national holidays and cuti bersama with the work week', async () => {
    const res = await t.request(admin, 'GET', '/api/v1/admin/calendar?year=2026');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ year: 2026, timeZone: 'Asia/Makassar', workWeek: [1, 2, 3, 4, 5], officeStart: '08:00', officeEnd: '16:00' });
    expect(body.days).toHaveLength(25);
    expect(body.days.map((d: any) => d.day)).toEqual([...body.days.map((d: any) => d.day)].sort());
    expect(body.days.find((d: any) => d.day === '2026-03-19')).toEqual({ day: '2026-03-19', kind: 'national_holiday', name: 'Hari Suci Nyepi (Tahun Baru Saka 1948)', weekday: 4 });
    expect(body.days.filter((d: any) => d.kind === 'collective_leave')).toHaveLength(8);
  });

  it('defaults to the current year in the tenant zone, and an empty year is empty', async () => {
    expect((await t.request(admin, 'GET', '/api/v1/admin/calendar')).json().year).toBe(2026);
    expect((await t.request(admin, 'GET', '/api/v1/admin/calendar?year=2027')).json().days).toEqual([]);
  });

  it.each(['year=26', 'year=abcd', 'year=2101', 'month=3'])('refuses ?%s with 400', async (qs) => {
    const res = await t.request(admin, 'GET', `/api/v1/admin/calendar?${qs}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toMatch(/^querystring\./);
  });
});

describe('POST /api/v1/admin/calendar', () => {
  it('adds a local holiday and audits it', async () => {
    const before = await calendarRows();
    const res = await t.request(admin, 'POST', '/api/v1/admin/calendar', { day: '2026-11-09', kind: 'local_holiday', name: 'Hari Jadi Kota Makassar' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ day: '2026-11-09', kind: 'local_holiday', name: 'Hari Jadi Kota Makassar', weekday: 1 });
    expect(await calendarRows()).toBe(before + 1);
    const [audit] = await t.db.query<any>(`SELECT actor_id::text, entity_id, data FROM audit_events WHERE action = 'calendar.day_added' AND entity_id = '2026-11-09'`);
    expect(audit).toEqual({ actor_id: admin.userId, entity_id: '2026-11-09', data: { day: '2026-11-09', kind: 'local_holiday', name: 'Hari Jadi Kota Makassar' } });
  });

  it('answers 409 when the day is already in the calendar, and writes nothing', async () => {
    const before = await calendarRows();
    const res = await t.request(admin, 'POST', '/api/v1/admin/calendar', { day: '2026-08-17', kind: 'local_holiday', name: 'Dua kali' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('calendar.day_exists');
    expect(res.json().errors[0].field).toBe('day');
    expect(await calendarRows()).toBe(before);
  });

  it('accepts an extra working day on a Saturday only', async () => {
    const sat = await t.request(admin, 'POST', '/api/v1/admin/calendar', { day: '2026-10-10', kind: 'extra_workday', name: 'Hari kerja pengganti' });
    expect(sat.statusCode).toBe(201);
    const before = await calendarRows();
    const audits = await auditRows('calendar.day_added');
    const wed = await t.request(admin, 'POST', '/api/v1/admin/calendar', { day: '2026-10-14', kind: 'extra_workday', name: 'Hari kerja pengganti' });
    expect(wed.statusCode).toBe(400);
    expect(wed.json().errors[0]).toMatchObject({ field: 'kind', code: 'calendar.extra_workday_on_workday' });
    expect(wed.json().errors[0].message).toContain('2026-10-14');
    expect(await calendarRows()).toBe(before);
    expect(await auditRows('calendar.day_added')).toBe(audits);
  });

  it.each([
    [{ day: '2026-02-30', kind: 'local_holiday', name: 'Tanggal salah' }, 'day'],
    [{ day: '26-02-01', kind: 'local_holiday', name: 'Tahun pendek' }, 'day'],
    [{ day: '1999-12-31', kind: 'local_holiday', name: 'Terlalu lampau' }, 'day'],
    [{ day: 20261201, kind: 'local_holiday', name: 'Angka' }, 'day'],
    [{ day: '2026-12-01', kind: 'holiday', name: 'Jenis salah' }, 'kind'],
    [{ day: '2026-12-01', kind: 'local_holiday', name: 'x' }, 'name'],
    [{ day: '2026-12-01', kind: 'local_holiday' }, 'name'],
    [{ day: '2026-12-01', kind: 'local_holiday', name: 'Lebih', tenantId: '01900000-0000-7000-8000-000000000000' }, 'tenantId'],
  ])('refuses %j with a field error on %s and writes nothing', async (payload, field) => {
    const before = await calendarRows();
    const res = await t.request(admin, 'POST', '/api/v1/admin/calendar', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: any) => e.field)).toContain(field);
    expect(await calendarRows()).toBe(before);
  });

  it('refuses malformed JSON and a missing CSRF token without writing', async () => {
    const before = await calendarRows();
    const bad = await t.request(admin, 'POST', '/api/v1/admin/calendar', '{"day":', { 'content-type': 'application/json' });
    expect(bad.statusCode).toBe(400);
    const csrf = await t.request(admin, 'POST', '/api/v1/admin/calendar', { day: '2026-12-02', kind: 'local_holiday', name: 'Tanpa token' }, { 'x-csrf-token': 'salah' });
    expect(csrf.statusCode).toBe(403);
    expect(await calendarRows()).toBe(before);
  });
});

describe('PATCH and DELETE /api/v1/admin/calendar/:day', () => {
  it('renames a day and records before and after', async () => {
    const res = await t.request(admin, 'PATCH', '/api/v1/admin/calendar/2026-11-09', { name: 'Hari Jadi Kota Makassar ke-419' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ day: '2026-11-09', kind: 'local_holiday', name: 'Hari Jadi Kota Makassar ke-419', weekday: 1 });
    const [audit] = await t.db.query<any>(`SELECT data FROM audit_events WHERE action = 'calendar.day_changed' AND entity_id = '2026-11-09'`);
    expect(audit.data).toEqual({
      day: '2026-11-09',
      before: { kind: 'local_holiday', name: 'Hari Jadi Kota Makassar' },
      after: { kind: 'local_holiday', name: 'Hari Jadi Kota Makassar ke-419' },
    });
  });

  it('refuses turning a weekday into an extra working day, an empty change and an unknown day', async () => {
    const kind = await t.request(admin, 'PATCH', '/api/v1/admin/calendar/2026-11-09', { kind: 'extra_workday' });
    expect(kind.statusCode).toBe(400);
    expect(kind.json().errors[0].code).toBe('calendar.extra_workday_on_workday');
    const empty = await t.request(admin, 'PATCH', '/api/v1/admin/calendar/2026-11-09', {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().code).toBe('nothing_to_change');
    const unknown = await t.request(admin, 'PATCH', '/api/v1/admin/calendar/2026-11-10', { name: 'Tidak ada' });
    expect(unknown.statusCode).toBe(404);
    const badDay = await t.request(admin, 'PATCH', '/api/v1/admin/calendar/2026-13-01', { name: 'Bulan 13' });
    expect(badDay.statusCode).toBe(400);
    expect(badDay.json().errors[0].field).toBe('params.day');
    const unknownField = await t.request(admin, 'PATCH', '/api/v1/admin/calendar/2026-11-09', { day: '2026-11-10' });
    expect(unknownField.statusCode).toBe(400);
    const [row] = await t.db.query<any>(`SELECT kind, name FROM calendar_days WHERE tenant_id = $1 AND day = '2026-11-09'`, [makassarId]);
    expect(row).toEqual({ kind: 'local_holiday', name: 'Hari Jadi Kota Makassar ke-419' });
  });

  it('removes a day, audits it, and a second removal is 404', async () => {
    const before = await calendarRows();
    const res = await t.request(admin, 'DELETE', '/api/v1/admin/calendar/2026-11-09');
    expect(res.statusCode).toBe(204);
    expect(await calendarRows()).toBe(before - 1);
    expect(await auditRows('calendar.day_removed')).toBe(1);
    expect((await t.request(admin, 'DELETE', '/api/v1/admin/calendar/2026-11-09')).statusCode).toBe(404);
  });
});

describe('who may manage the calendar', () => {
  it('denies the auditor, a citizen and anonymous callers', async () => {
    const auditor = await t.login(DEMO.auditor);
    const citizen = await t.login(DEMO.citizen);
    expect((await t.request(auditor, 'GET', '/api/v1/admin/calendar')).statusCode).toBe(403);
    expect((await t.request(citizen, 'POST', '/api/v1/admin/calendar', { day: '2026-12-03', kind: 'local_holiday', name: 'Warga' })).statusCode).toBe(403);
    expect((await t.request(null, 'GET', '/api/v1/admin/calendar')).statusCode).toBe(401);
  });

  it('needs the permission on the root unit, not on an agency', async () => {
    // A custom role with calendar.manage, granted to the Bina Marga staff member on their bidang only.
    const [{ unit_id, user_id }] = await t.db.query<any>(
      `SELECT u.id::text AS unit_id, usr.id::text AS user_id FROM units u, users usr
        WHERE u.tenant_id = $1 AND u.code = 'DPU-BM' AND usr.tenant_id = $1 AND usr.email = $2`,
      [makassarId, DEMO.puStaff],
    );
    const roleId = uuidv7();
    await t.db.query(`INSERT INTO roles (tenant_id, id, key, name, permissions) VALUES ($1, $2, 'kalender_bidang', 'Kalender bidang', '{calendar.manage}')`, [makassarId, roleId]);
    await t.db.query(`INSERT INTO grants (tenant_id, id, user_id, role_id, unit_id) VALUES ($1, $2, $3, $4, $5)`, [makassarId, uuidv7(), user_id, roleId, unit_id]);
    const staff = await t.login(DEMO.puStaff);
    const before = await calendarRows();
    const res = await t.request(staff, 'POST', '/api/v1/admin/calendar', { day: '2026-12-04', kind: 'local_holiday', name: 'Libur bidang' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('tenant_wide_required');
    expect((await t.request(staff, 'GET', '/api/v1/admin/calendar')).statusCode).toBe(403);
    expect(await calendarRows()).toBe(before);
  });

  it('keeps each government to its own calendar', async () => {
    const tpi = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
    const add = await t.request(tpi, 'POST', '/api/v1/admin/calendar', { day: '2026-01-17', kind: 'local_holiday', name: 'Hari Jadi Kota Tanjungpinang' });
    expect(add.statusCode).toBe(201);
    // The same date stays free in Makassar, and Makassar's extra working day is invisible in Tanjungpinang.
    const mks = (await t.request(admin, 'GET', '/api/v1/admin/calendar?year=2026')).json();
    expect(mks.days.some((d: any) => d.day === '2026-01-17')).toBe(false);
    const own = (await t.request(tpi, 'GET', '/api/v1/admin/calendar?year=2026')).json();
    expect(own.timeZone).toBe('Asia/Jakarta');
    expect(own.days.some((d: any) => d.day === '2026-10-10')).toBe(false);
    expect((await t.request(tpi, 'DELETE', '/api/v1/admin/calendar/2026-10-10')).statusCode).toBe(404);
    expect(await count(`SELECT 1 FROM calendar_days WHERE tenant_id = $1 AND day = '2026-10-10'`, [makassarId])).toBe(1);
  });
});

describe('loadCalendar', () => {
  it('reads the calendar fresh each time, through the base connection or a transaction', async () => {
    const tenant = { id: makassarId };
    const friday = new Date('2026-03-27T07:00:00Z'); // Friday 27 March 2026, 15:00 WITA
    const cal = await loadCalendar(t.db, tenant);
    expect(cal.timeZone).toBe('Asia/Makassar');
    expect(isWorkingDay(cal, '2026-03-19')).toBe(false);
    expect(isWorkingDay(cal, '2026-10-10')).toBe(true); // the extra working day added above
    expect(addWorkingDays(cal, friday, 1).toISOString()).toBe('2026-03-30T07:00:00.000Z');

    expect((await t.request(admin, 'POST', '/api/v1/admin/calendar', { day: '2026-03-28', kind: 'extra_workday', name: 'Sabtu kerja' })).statusCode).toBe(201);
    const inTx = await t.db.orm.transaction((tx) => loadCalendar(tx, tenant));
    expect(addWorkingDays(inTx, friday, 1).toISOString()).toBe('2026-03-28T07:00:00.000Z');

    await t.db.query(`UPDATE tenants SET settings = settings || '{"workWeek":[1,2,3,4,5,6],"officeEnd":"15:00"}'::jsonb WHERE id = $1`, [makassarId]);
    const sixDays = await loadCalendar(t.db.orm, tenant);
    expect(sixDays.workWeek).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sixDays.officeEnd).toBe('15:00');
    await t.db.query(`UPDATE tenants SET settings = settings || '{"workWeek":[1,2,3,4,5],"officeEnd":"16:00"}'::jsonb WHERE id = $1`, [makassarId]);
  });
});
