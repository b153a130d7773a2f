import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../test/support/app.js';

/**
 * The drug catalogue (issue 5): one list for the whole government, read by every pharmacy, kept
 * by those holding health.pharmacy.stock tenant-wide; drugs added, corrected and withdrawn from
 * prescribing, each audited; bad input and other staff refused with nothing written.
 */

let t: TestApp;
let dataDir: string;
let admin: Session;
let pharmacist: Session;
let doctor: Session;

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'drugs-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' } });
  t.clock.set('2026-11-30T00:30:00Z');
  admin = await t.login(DEMO.admin);
  pharmacist = await t.login('apoteker.batua@makassarkota.go.id');
  doctor = await t.login('dokter.batua@makassarkota.go.id');
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function count(table: string): Promise<number> {
  const [r] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return r.n;
}

const prescribable = async (s: Session) => ((await t.request(s, 'GET', '/api/v1/health/drugs')).json().items as { code: string }[]).map((d) => d.code);

describe('the drug catalogue', () => {
  it('lists every drug and says who may change it', async () => {
    const mine = (await t.request(admin, 'GET', '/api/v1/health/drug-catalogue')).json();
    expect(mine.canManage).toBe(true);
    expect(mine.items).toHaveLength(32);
    expect(mine.items[0]).toMatchObject({ active: true });
    const theirs = (await t.request(pharmacist, 'GET', '/api/v1/health/drug-catalogue?q=amoks')).json();
    expect(theirs.canManage).toBe(false);
    expect(theirs.items.map((d: { code: string }) => d.code).sort()).toEqual(['AMX-500', 'AMX-SYR']);
    expect((await t.request(null, 'GET', '/api/v1/health/drug-catalogue')).statusCode).toBe(401);
  });

  it('adds a drug that can be prescribed at once, corrects and withdraws it; audited', async () => {
    const added = await t.request(admin, 'POST', '/api/v1/health/drugs', { code: 'CET-10', name: 'Setirizin 10 mg', form: 'tablet', unit: 'tablet' });
    expect(added.statusCode, added.body).toBe(201);
    const drug = added.json();
    expect(drug).toMatchObject({ code: 'CET-10', name: 'Setirizin 10 mg', form: 'tablet', unit: 'tablet', active: true });
    expect(await prescribable(doctor)).toContain('CET-10');

    // No stock or prescription yet: the unit may still change.
    const fixed = await t.request(admin, 'PATCH', `/api/v1/health/drugs/${drug.id}`, { name: 'Setirizin HCl 10 mg', form: 'kaplet', unit: 'kaplet' });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ name: 'Setirizin HCl 10 mg', form: 'kaplet', unit: 'kaplet' });

    const withdrawn = await t.request(admin, 'PATCH', `/api/v1/health/drugs/${drug.id}`, { active: false });
    expect(withdrawn.json().active).toBe(false);
    expect(await prescribable(doctor)).not.toContain('CET-10');
    const listed = (await t.request(admin, 'GET', '/api/v1/health/drug-catalogue')).json().items as { code: string; active: boolean }[];
    expect(listed.at(-1)).toMatchObject({ code: 'CET-10', active: false });

    const trail = await t.db.query<{ action: string; data: any }>(`SELECT action, data FROM audit_events WHERE entity_id = $1 ORDER BY occurred_at, id`, [drug.id]);
    expect(trail.map((a) => a.action)).toEqual(['health.drug.added', 'health.drug.updated', 'health.drug.updated']);
    expect(trail[1]!.data).toEqual({ name: { from: 'Setirizin 10 mg', to: 'Setirizin HCl 10 mg' }, form: { from: 'tablet', to: 'kaplet' }, unit: { from: 'tablet', to: 'kaplet' } });
  });

  it('keeps the unit of a drug that has stock', async () => {
    const amx = ((await t.request(admin, 'GET', '/api/v1/health/drug-catalogue?q=AMX-500')).json().items as { id: string }[])[0]!;
    const res = await t.request(admin, 'PATCH', `/api/v1/health/drugs/${amx.id}`, { unit: 'tablet' });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0]).toMatchObject({ field: 'unit', code: 'health.drug_unit_in_use' });
    expect(res.json().errors[0].message).toContain('kapsul');
    expect(((await t.request(admin, 'GET', '/api/v1/health/drug-catalogue?q=AMX-500')).json().items as { unit: string }[])[0]!.unit).toBe('kapsul');
  });

  it('refuses bad input, a taken code and staff without the right; nothing written', async () => {
    const before = { drugs: await count('health_drugs'), audit: await count('audit_events') };
    const base = { code: 'NEW-1', name: 'Obat Baru 1 mg', form: 'tablet', unit: 'tablet' };
    const cases: [unknown, number, string, string][] = [
      [{ ...base, code: 'new 1' }, 400, 'code', 'health.drug_code'],
      [{ ...base, code: 'PCT-500' }, 409, 'code', 'health.drug_code_taken'],
      [{ ...base, name: 'Ob' }, 400, 'name', ''],
      [{ ...base, form: 'pil' }, 400, 'form', ''],
      [{ ...base, unit: '5' }, 400, 'unit', 'health.drug_unit'],
      [{ ...base, active: false }, 400, '', ''],
    ];
    for (const [body, status, field, code] of cases) {
      const res = await t.request(admin, 'POST', '/api/v1/health/drugs', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      const errors = res.json().errors as { field: string; code: string }[];
      if (field) expect(errors.map((e) => e.field)).toContain(field);
      if (code) expect(errors.map((e) => e.code)).toContain(code);
    }
    const pct = ((await t.request(admin, 'GET', '/api/v1/health/drug-catalogue?q=PCT-500')).json().items as { id: string }[])[0]!;
    expect((await t.request(admin, 'PATCH', `/api/v1/health/drugs/${pct.id}`, {})).statusCode).toBe(400);
    expect((await t.request(admin, 'PATCH', `/api/v1/health/drugs/${pct.id}`, { code: 'PCT-501' })).statusCode).toBe(400);
    expect((await t.request(admin, 'PATCH', '/api/v1/health/drugs/01900000-0000-7000-8000-000000000000', { active: false })).statusCode).toBe(404);
    // A facility's pharmacist keeps stock but not the government's catalogue; a doctor has no stock right at all.
    const refused = await t.request(pharmacist, 'POST', '/api/v1/health/drugs', base);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().title).toContain('Katalog obat berlaku untuk seluruh daerah');
    expect((await t.request(pharmacist, 'PATCH', `/api/v1/health/drugs/${pct.id}`, { active: false })).statusCode).toBe(403);
    expect((await t.request(doctor, 'POST', '/api/v1/health/drugs', base)).statusCode).toBe(403);
    expect({ drugs: await count('health_drugs'), audit: await count('audit_events') }).toEqual(before);
    expect(await prescribable(doctor)).toContain('PCT-500');
  });
});
