import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../test/support/app.js';
import { inboxSql, mineSql } from '../queries.js';
import { call, categoryId, counts, roadReport, unitId, uploadPhoto } from '../testSupport.js';

let t: TestApp;
let dataDir: string;
let admin: Session;
let lalin: Session;
let officer: Session;
let binaMarga: Session;
let puAdmin: Session;
let citizen: Session;
let tpiAdmin: Session;
let road: string;
let dpuBm: string;
let dishubLl: string;

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'complaints-triage-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir } });
  admin = await t.login(DEMO.admin);
  binaMarga = await t.login(DEMO.puStaff);
  lalin = await t.login('staf.lalulintas@makassarkota.go.id');
  officer = await t.login('pengaduan@makassarkota.go.id');
  puAdmin = await t.login(DEMO.puAdmin);
  citizen = await t.login(DEMO.citizen);
  tpiAdmin = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
  road = await categoryId(t, 'Jalan rusak/berlubang');
  dpuBm = await unitId(t, 'DPU-BM');
  dishubLl = await unitId(t, 'DISHUB-LL');
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function submit(extra: Record<string, unknown> = {}): Promise<{ id: string; trackingCode: string; accessToken: string }> {
  const res = await call(t, null, 'POST', '/api/v1/complaints', roadReport(road, extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const act = (s: Session | null, id: string, action: string, body: unknown = {}) => call(t, s, 'POST', `/api/v1/complaints/${id}/${action}`, body);

describe('triage: verify, reject, dispose', () => {
  it('verifies and disposes, writing status, timeline, audit and event together', async () => {
    const c = await submit();
    const before = await counts(t);
    // The call-centre officer holds complaints.triage on the root: tenant-wide.
    const v = await act(officer, c.id, 'verify', {});
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json()).toMatchObject({ status: 'verified', verifiedAt: expect.any(String) });
    const d = await act(admin, c.id, 'dispose', { unitId: dpuBm, note: 'Mohon segera ditambal sebelum musim hujan' });
    expect(d.statusCode, d.body).toBe(200);
    const detail = d.json();
    expect(detail).toMatchObject({ status: 'disposed', unitId: dpuBm, unitName: 'Bidang Bina Marga', disposedAt: expect.any(String) });
    expect(detail.allowedActions).toContain('dispose');
    const timeline = detail.timeline.map((e: { action: string; status: string | null; internal: boolean; note: string | null }) => [e.action, e.status, e.internal, e.note]);
    expect(timeline).toEqual([
      ['submit', 'submitted', false, null],
      ['verify', 'verified', false, null],
      ['dispose', 'disposed', false, null],
      ['note', null, true, 'Mohon segera ditambal sebelum musim hujan'],
    ]);
    const after = await counts(t);
    expect(after.complaint_events - before.complaint_events).toBe(3);
    expect(after.audit_events - before.audit_events).toBe(2);
    expect(after.domain_events - before.domain_events).toBe(2);
    const [ev] = await t.db.query<{ payload: Record<string, unknown> }>(
      "SELECT payload FROM domain_events WHERE aggregate_id = $1 AND type = 'complaint.status_changed' AND payload->>'action' = 'dispose'",
      [c.id],
    );
    expect(ev.payload).toMatchObject({ from: 'verified', to: 'disposed', unitId: dpuBm });
    expect(JSON.stringify(ev.payload)).not.toMatch(/ditambal/);

    // Re-disposition to another unit, with a note.
    const again = await act(admin, c.id, 'dispose', { unitId: dishubLl, note: 'Salah unit: ini rambu, bukan jalan' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ status: 'disposed', unitId: dishubLl });
  });

  it('rejects with a reason that the reporter sees, keeping the note internal', async () => {
    const c = await submit();
    const r = await act(admin, c.id, 'reject', { reason: 'duplicate', note: 'Sama dengan laporan kemarin' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'rejected', rejectionReason: 'duplicate' });
    const track = await call(t, null, 'GET', `/api/v1/complaints/track/${c.trackingCode}?token=${c.accessToken}`);
    expect(track.json()).toMatchObject({ status: 'rejected', rejectionReason: 'duplicate' });
    expect(track.body).not.toMatch(/laporan kemarin/);
    // A rejected report is not public.
    expect((await call(t, null, 'GET', `/api/v1/complaints/track/${c.trackingCode}`)).statusCode).toBe(404);
  });

  describe('refuses and writes nothing', () => {
    it('invalid transitions answer 409 complaint.transition_invalid', async () => {
      const c = await submit();
      // Disposing before verification.
      let before = await counts(t);
      let res = await act(admin, c.id, 'dispose', { unitId: dpuBm });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('complaint.transition_invalid');
      expect(await counts(t)).toEqual(before);
      // Rejecting a disposed report.
      await act(admin, c.id, 'verify');
      await act(admin, c.id, 'dispose', { unitId: dpuBm });
      before = await counts(t);
      res = await act(admin, c.id, 'reject', { reason: 'spam' });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('complaint.transition_invalid');
      // Verifying twice.
      res = await act(admin, c.id, 'verify');
      expect(res.statusCode).toBe(409);
      expect(await counts(t)).toEqual(before);
      const [row] = await t.db.query<{ status: string }>('SELECT status FROM complaints WHERE id = $1', [c.id]);
      expect(row.status).toBe('disposed');
    });

    it('bad bodies, unknown units and other tenants', async () => {
      const c = await submit();
      await act(admin, c.id, 'verify');
      const before = await counts(t);
      const cases: [Session, string, string, unknown, number][] = [
        [admin, c.id, 'reject', { reason: 'boring' }, 400],
        [admin, c.id, 'reject', {}, 400],
        [admin, c.id, 'dispose', { unitId: '01900000-0000-7000-8000-000000000000' }, 400],
        [admin, c.id, 'dispose', { unitId: (await unitId(t, 'DLH', 'tanjungpinang')) }, 400],
        [admin, c.id, 'dispose', { unitId: dpuBm, note: 'x'.repeat(2001) }, 400],
        [admin, '01900000-0000-7000-8000-000000000000', 'verify', {}, 404],
        [tpiAdmin, c.id, 'reject', { reason: 'spam' }, 404],
      ];
      for (const [s, id, action, body, status] of cases) {
        const res = await act(s, id, action, body);
        expect(res.statusCode, `${action} ${JSON.stringify(body)}: ${res.body}`).toBe(status);
      }
      expect(await counts(t)).toEqual(before);
    });

    it('only the triage desk moves reports: handlers and citizens are refused', async () => {
      const c = await submit();
      const before = await counts(t);
      expect((await act(lalin, c.id, 'verify')).statusCode).toBe(403);
      expect((await act(binaMarga, c.id, 'verify')).statusCode).toBe(403);
      expect((await act(citizen, c.id, 'verify')).statusCode).toBe(403);
      expect((await act(null, c.id, 'verify')).statusCode).toBe(401);
      expect(await counts(t)).toEqual(before);
    });
  });
});

describe('inbox and detail', () => {
  let mine: string;
  let otherUnit: string;
  let waiting: string;

  beforeAll(async () => {
    const photo = await uploadPhoto(t);
    mine = (await submit({ photos: [photo], reporter: { name: 'Daeng Ngemba', phone: '081234567001', email: 'ngemba@example.com' } })).id;
    await act(admin, mine, 'verify');
    await act(admin, mine, 'dispose', { unitId: dishubLl, note: 'Catatan internal' });
    otherUnit = (await submit({ regionCode: '73.71.01' })).id;
    await act(admin, otherUnit, 'verify');
    await act(admin, otherUnit, 'dispose', { unitId: dpuBm });
    t.clock.advance(1000);
    waiting = (await submit()).id;
  });

  it('shows the triage desk the whole tenant, newest first, with filters and cursor pages', async () => {
    const res = await call(t, admin, 'GET', '/api/v1/complaints?limit=100');
    expect(res.statusCode, res.body).toBe(200);
    const ids = res.json().items.map((i: { id: string }) => i.id);
    expect(ids).toEqual(expect.arrayContaining([mine, otherUnit, waiting]));
    const keys = res.json().items.map((i: { submittedAt: string; id: string }) => `${i.submittedAt}|${i.id}`);
    expect(keys).toEqual([...keys].sort().reverse());

    const submitted = (await call(t, admin, 'GET', '/api/v1/complaints?status=submitted&limit=100')).json().items;
    expect(submitted.every((i: { status: string }) => i.status === 'submitted')).toBe(true);
    expect(submitted.map((i: { id: string }) => i.id)).toContain(waiting);
    // The demo city has reports of its own (demoReports.ts): filters are checked item by item.
    const mariso = (await call(t, admin, 'GET', '/api/v1/complaints?regionCode=73.71.01&limit=100')).json().items;
    expect(mariso.map((i: { id: string }) => i.id)).toContain(otherUnit);
    expect(mariso.map((i: { id: string }) => i.id)).not.toContain(mine);
    expect(mariso.every((i: { kecamatan: { code: string } | null }) => i.kecamatan?.code === '73.71.01')).toBe(true);
    const mangasa = (await call(t, admin, 'GET', '/api/v1/complaints?regionCode=73.71.10.1004&limit=100')).json().items;
    expect(mangasa.map((i: { id: string }) => i.id)).not.toContain(otherUnit);
    expect(mangasa.length).toBeGreaterThan(0);
    const byUnit = (await call(t, admin, 'GET', `/api/v1/complaints?unitId=${dishubLl}&limit=100`)).json().items;
    expect(byUnit.every((i: { unitId: string }) => i.unitId === dishubLl)).toBe(true);
    const sampah = await categoryId(t, 'Sampah menumpuk');
    const byCategory = (await call(t, admin, 'GET', `/api/v1/complaints?categoryId=${sampah}&limit=100`)).json().items;
    expect(byCategory.every((i: { categoryId: string }) => i.categoryId === sampah)).toBe(true);
    expect(byCategory.length).toBeGreaterThan(0);
    for (const id of [mine, otherUnit, waiting]) expect(byCategory.map((i: { id: string }) => i.id)).not.toContain(id);

    // Pages of 2 walk the same list without gaps or repeats.
    const all = res.json().items.map((i: { id: string }) => i.id);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (await call(t, admin, 'GET', `/api/v1/complaints?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      walked.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all);
    expect((await call(t, admin, 'GET', '/api/v1/complaints?cursor=bm90LWEtY3Vyc29y')).statusCode).toBe(400);
    expect((await call(t, admin, 'GET', '/api/v1/complaints?status=lost')).statusCode).toBe(400);
  });

  it('shows a handler only reports disposed to their units', async () => {
    const res = await call(t, lalin, 'GET', '/api/v1/complaints?limit=100');
    expect(res.statusCode, res.body).toBe(200);
    const ids = res.json().items.map((i: { id: string }) => i.id);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(otherUnit);
    expect(ids).not.toContain(waiting);
    expect(res.json().items.every((i: { unitId: string }) => i.unitId === dishubLl)).toBe(true);
    // Staff without a complaints role see an empty inbox, not an error.
    const none = await call(t, binaMarga, 'GET', '/api/v1/complaints');
    expect(none.statusCode).toBe(200);
    expect(none.json().items).toEqual([]);
    expect((await call(t, citizen, 'GET', '/api/v1/complaints')).statusCode).toBe(403);
    // Another tenant sees none of Makassar's reports.
    const tpi = (await call(t, tpiAdmin, 'GET', '/api/v1/complaints?limit=100')).json().items;
    expect(tpi.map((i: { id: string }) => i.id)).not.toContain(mine);
  });

  it('opens a report for its unit with masked contact and internal notes; another unit’s report is 404', async () => {
    const res = await call(t, lalin, 'GET', `/api/v1/complaints/${mine}`);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.reporter).toMatchObject({ name: 'Daeng Ngemba', unmasked: false });
    expect(d.reporter.phone).not.toBe('6281234567001');
    expect(d.reporter.email).not.toBe('ngemba@example.com');
    expect(d.photos).toHaveLength(1);
    expect(d.timeline.some((e: { internal: boolean; note: string }) => e.internal && e.note === 'Catatan internal')).toBe(true);
    expect(d.allowedActions.sort()).toEqual(['request_info', 'resolve', 'start']);

    expect((await call(t, lalin, 'GET', `/api/v1/complaints/${otherUnit}`)).statusCode).toBe(404);
    expect((await call(t, lalin, 'GET', `/api/v1/complaints/${waiting}`)).statusCode).toBe(404);
    expect((await call(t, binaMarga, 'GET', `/api/v1/complaints/${mine}`)).statusCode).toBe(404);
    expect((await call(t, tpiAdmin, 'GET', `/api/v1/complaints/${mine}`)).statusCode).toBe(404);
    expect((await call(t, puAdmin, 'GET', `/api/v1/complaints/${mine}`)).statusCode).toBe(404);
  });

  it('lets the handler download the photo but not the public before verification; after, anyone', async () => {
    const d = (await call(t, lalin, 'GET', `/api/v1/complaints/${mine}`)).json();
    const fileUrl = `/api/v1/files/${d.photos[0].id}`;
    expect((await call(t, lalin, 'GET', fileUrl)).statusCode).toBe(200);
    expect((await call(t, null, 'GET', fileUrl)).statusCode).toBe(200); // verified report
    const fresh = await uploadPhoto(t);
    const c = await submit({ photos: [fresh] });
    expect((await call(t, null, 'GET', `/api/v1/files/${fresh.id}`)).statusCode).toBe(404);
    expect((await call(t, lalin, 'GET', `/api/v1/files/${fresh.id}`)).statusCode).toBe(404);
    expect((await call(t, admin, 'GET', `/api/v1/files/${fresh.id}`)).statusCode).toBe(200);
    await act(admin, c.id, 'reject', { reason: 'spam' });
    expect((await call(t, null, 'GET', `/api/v1/files/${fresh.id}`)).statusCode).toBe(404);
  });

  it('shows contact in clear to personal_data.read holders when they ask, and audits that reading', async () => {
    const before = (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'complaint.reporter_viewed'"))[0].n;
    expect((await call(t, admin, 'GET', `/api/v1/complaints/${mine}`)).json().reporter.unmasked).toBe(false);
    const d = (await call(t, admin, 'GET', `/api/v1/complaints/${mine}?reveal=true`)).json();
    expect(d.reporter).toMatchObject({ phone: '6281234567001', email: 'ngemba@example.com', unmasked: true });
    const after = (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'complaint.reporter_viewed'"))[0].n;
    expect(after - before).toBe(1);
  });
});

describe('inbox indexes', () => {
  it('serves the inbox orders from indexes over a few thousand reports', async () => {
    const [{ tenant_id, category_id }] = await t.db.query<{ tenant_id: string; category_id: string }>(
      "SELECT c.tenant_id, c.id AS category_id FROM complaint_categories c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = 'makassar' AND c.name = 'Jalan rusak/berlubang'",
    );
    await t.db.query(
      `INSERT INTO complaints (tenant_id, id, tracking_code, category_id, kind, status, description, kecamatan_code, unit_id, submitted_at, updated_at)
       SELECT $1, ('01900000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'ADU-X' || g, $2, 'pengaduan',
              (ARRAY['submitted','verified','disposed','in_progress','resolved'])[1 + g % 5], 'Deskripsi laporan uji nomor ' || g,
              '73.71.' || lpad((1 + g % 15)::text, 2, '0'), CASE WHEN g % 20 = 0 THEN $3::uuid ELSE $4::uuid END,
              now() - (g || ' minutes')::interval, now()
         FROM generate_series(1, 5000) g`,
      [tenant_id, category_id, dpuBm, dishubLl],
    );
    await t.db.query('ANALYZE complaints');
    const plans: Record<string, string> = {};
    const variants: [string, Parameters<typeof inboxSql>[1], Parameters<typeof inboxSql>[2]][] = [
      ['all', 'all', { limit: 25 }],
      ['status', 'all', { status: 'disposed', limit: 25 }],
      ['kecamatan', 'all', { regionCode: '73.71.05', limit: 25 }],
      ['handler', { tenantWide: false, roots: [dpuBm] }, { limit: 25 }],
      ['handlerUnits', { tenantWide: false, roots: [dpuBm, dishubLl] }, { limit: 25 }],
      ['handlerOneUnit', { tenantWide: false, roots: [dpuBm, dishubLl] }, { unitId: dishubLl, limit: 25 }],
      ['handlerTenantWide', { tenantWide: true, roots: [] }, { limit: 25 }],
      ['overdue', 'all', { overdue: true, now: new Date(), limit: 25 }],
    ];
    for (const [name, units, filter] of variants) {
      const q = inboxSql(tenant_id, units, filter, [new Date().toISOString(), uuidv7()]);
      const rows = (await t.db.orm.execute(sql`EXPLAIN ${q}`)) as any;
      plans[name] = (Array.isArray(rows) ? rows : rows.rows).map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    }
    expect(plans.all).toMatch(/complaints_inbox_idx/);
    expect(plans.status).toMatch(/complaints_status_idx/);
    expect(plans.kecamatan).toMatch(/complaints_kecamatan_idx/);
    expect(plans.handler).toMatch(/complaints_unit_idx/);
    expect(plans.handlerUnits).toMatch(/complaints_unit_idx/);
    expect(plans.handlerOneUnit).toMatch(/complaints_unit_idx/);
    // The per-unit merge gives the same page as one filtered scan would.
    const merged = await t.db.orm.execute(inboxSql(tenant_id, { tenantWide: false, roots: [dpuBm, dishubLl] }, { limit: 30 }));
    const scanned = await t.db.query<{ id: string }>(
      `SELECT id FROM complaints WHERE tenant_id = $1 AND unit_id = ANY($2::uuid[]) AND status IN ('disposed', 'in_progress', 'needs_info', 'resolved', 'closed', 'reopened')
        ORDER BY submitted_at DESC, id DESC LIMIT 31`,
      [tenant_id, `{${dpuBm},${dishubLl}}`],
    );
    const mergedIds = ((Array.isArray(merged) ? merged : (merged as any).rows) as { id: string }[]).map((r) => r.id);
    expect(mergedIds).toEqual(scanned.map((r) => r.id));
    expect(mergedIds.length).toBe(31);
    expect(plans.overdue).toMatch(/complaints_due_idx/);
    const mine = (await t.db.orm.execute(sql`EXPLAIN ${mineSql(tenant_id, uuidv7(), 25, [new Date().toISOString(), uuidv7()])}`)) as any;
    const minePlan = (Array.isArray(mine) ? mine : mine.rows).map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    expect(minePlan).toMatch(/complaints_reporter_idx/);
    expect(minePlan).not.toMatch(/Seq Scan on complaints/);
    for (const p of Object.values(plans)) expect(p).not.toMatch(/Seq Scan on complaints/);
  });
});
