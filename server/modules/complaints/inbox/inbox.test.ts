import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../test/support/app.js';
import { inboxSql } from '../queries.js';
import { call, categoryId, counts, roadReport, unitId, uploadPhoto } from '../testSupport.js';
import { csvCell } from './exportCsv.js';

let t: TestApp;
let dataDir: string;
let admin: Session;
let officer: Session;
let lalin: Session;
let binaMarga: Session;
let citizen: Session;
let tpiAdmin: Session;
let road: string;
let dpuBm: string;
let dishubLl: string;

async function signIn(): Promise<void> {
  admin = await t.login(DEMO.admin);
  officer = await t.login('pengaduan@makassarkota.go.id');
  lalin = await t.login('staf.lalulintas@makassarkota.go.id');
  binaMarga = await t.login(DEMO.puStaff);
  citizen = await t.login(DEMO.citizen);
  tpiAdmin = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
}

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'complaints-inbox-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir } });
  // Monday 09:00 WITA: inside office hours, so the working-hour deadlines are easy to reason about.
  t.clock.set(new Date('2026-12-07T01:00:00Z'));
  await signIn();
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
const act = (s: Session, id: string, action: string, body: unknown = {}) => call(t, s, 'POST', `/api/v1/complaints/${id}/${action}`, body);
async function toUnit(id: string, unit: string): Promise<void> {
  expect((await act(admin, id, 'verify')).statusCode).toBe(200);
  expect((await act(admin, id, 'dispose', { unitId: unit })).statusCode).toBe(200);
}
const ids = (res: { json(): { items: { id: string }[] } }) => res.json().items.map((i) => i.id);
const search = async (s: Session, q: string, extra = '') => {
  const res = await call(t, s, 'GET', `/api/v1/complaints?limit=100&q=${encodeURIComponent(q)}${extra}`);
  expect(res.statusCode, res.body).toBe(200);
  return ids(res);
};

describe('Indonesian full-text search', () => {
  let lamp: { id: string; trackingCode: string };
  let hole: { id: string; trackingCode: string };
  let answered: { id: string; trackingCode: string };

  beforeAll(async () => {
    lamp = await submit({ description: 'Lampu penerangan padam total di gang buntu Kakatua, warga takut lewat malam hari.', address: 'Lorong 5 Jl. Veteran Selatan' });
    hole = await submit({ description: 'Tiang reklame berkarat-karat dan miring, hampir roboh menimpa trotoar.', address: 'Jl. Sultan Alauddin dekat kampus' });
    answered = await submit({ description: 'Genangan air setinggi lutut setiap hujan deras di perempatan.', address: 'Jl. Pettarani' });
    await toUnit(answered.id, dishubLl);
    await toUnit(hole.id, dpuBm);
    // Internal note text must never be searchable as an answer; the public answer must.
    expect((await act(lalin, answered.id, 'notes', { text: 'Rahasia internal: kontraktor wanprestasi', internal: true, photos: [] })).statusCode).toBe(200);
    const proof = await uploadPhoto(t, { session: lalin });
    const res = await act(lalin, answered.id, 'resolve', { answer: 'Saluran sudah dikeruk dan gorong-gorong diperlebar.', proofPhotos: [{ id: proof.id }] });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('stems Indonesian affixes over description, address and public answers', async () => {
    expect(await search(admin, 'karat')).toEqual([hole.id]); // "berkarat-karat"
    expect(await search(admin, 'berkarat')).toEqual([hole.id]);
    expect(await search(admin, 'penerangan')).toContain(lamp.id);
    expect(await search(admin, 'penerangan')).not.toContain(hole.id);
    expect(await search(admin, 'Alauddin')).toContain(hole.id); // address
    expect(await search(admin, 'Alauddin')).not.toContain(lamp.id);
    expect(await search(admin, 'keruk')).toContain(answered.id); // "dikeruk" in the public answer
    expect(await search(admin, 'keruk')).not.toContain(hole.id);
    expect(await search(admin, 'wanprestasi')).toEqual([]); // internal note
    // Web-search syntax: phrases, OR and exclusion.
    expect(await search(admin, '"gang buntu kakatua"')).toEqual([lamp.id]);
    expect(await search(admin, '"kakatua buntu"')).toEqual([]);
    const either = await search(admin, 'kakatua or karat');
    expect(either).toEqual(expect.arrayContaining([lamp.id, hole.id]));
    expect(either).not.toContain(answered.id);
    expect(await search(admin, 'kakatua')).toContain(lamp.id);
    expect(await search(admin, 'kakatua -lampu')).not.toContain(lamp.id);
    // Punctuation only: no lexemes, no rows, no error.
    expect(await search(admin, '!!! ...')).toEqual([]);
  });

  it('matches a tracking code exactly, as typed', async () => {
    expect(await search(admin, lamp.trackingCode)).toEqual([lamp.id]);
    expect(await search(admin, ` ${lamp.trackingCode.toLowerCase().replace(/-/g, ' ')} `)).toEqual([lamp.id]);
  });

  it('combines with the other filters and the actor’s scope', async () => {
    expect(await search(admin, 'karat', '&status=submitted')).toEqual([]);
    expect(await search(admin, 'karat', '&status=disposed')).toEqual([hole.id]);
    // The lalu lintas handler sees only their unit's reports, search or not.
    expect(await search(lalin, 'karat')).toEqual([]);
    expect(await search(lalin, 'keruk')).toEqual([answered.id]);
    expect(await search(lalin, hole.trackingCode)).toEqual([]);
    expect(await search(tpiAdmin, 'karat')).toEqual([]);
    expect((await call(t, admin, 'GET', `/api/v1/complaints?q=${'a'.repeat(201)}`)).statusCode).toBe(400);
  });
});

describe('bulk verify and dispose', () => {
  it('moves each report on its own and reports each outcome', async () => {
    const a = await submit();
    const b = await submit();
    const done = await submit();
    await act(admin, done.id, 'verify');
    const tpi = (await t.db.query<{ id: string }>("SELECT c.id FROM complaints c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = 'tanjungpinang' LIMIT 1"))[0];
    const unknown = uuidv7();
    const before = await counts(t);
    const res = await call(t, officer, 'POST', '/api/v1/complaints/bulk', { action: 'verify', ids: [a.id, done.id, unknown, b.id, ...(tpi ? [tpi.id] : [])], note: 'Cek lapangan OK' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.items.map((i: { id: string; status: number }) => [i.id, i.status])).toEqual([
      [a.id, 200],
      [done.id, 409],
      [unknown, 404],
      [b.id, 200],
      ...(tpi ? [[tpi.id, 404]] : []),
    ]);
    expect(body.items[0].newStatus).toBe('verified');
    expect(body.items[1]).toMatchObject({ code: 'complaint.transition_invalid', message: expect.any(String) });
    expect(body).toMatchObject({ succeeded: 2, failed: tpi ? 3 : 2 });
    const after = await counts(t);
    expect(after.audit_events - before.audit_events).toBe(2);
    expect(after.domain_events - before.domain_events).toBe(2);

    const disposed = await call(t, officer, 'POST', '/api/v1/complaints/bulk', { action: 'dispose', ids: [a.id, b.id], unitId: dishubLl });
    expect(disposed.statusCode, disposed.body).toBe(200);
    expect(disposed.json()).toMatchObject({ succeeded: 2, failed: 0 });
    const mine = ids(await call(t, lalin, 'GET', '/api/v1/complaints?limit=100'));
    expect(mine).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  it('refuses bad requests and other roles, writing nothing', async () => {
    const a = await submit();
    const before = await counts(t);
    const bad: [Session, unknown, number][] = [
      [officer, { action: 'dispose', ids: [a.id] }, 400],
      [officer, { action: 'dispose', ids: [a.id], unitId: uuidv7() }, 400],
      [officer, { action: 'dispose', ids: [a.id], unitId: await unitId(t, 'DLH', 'tanjungpinang') }, 400],
      [officer, { action: 'verify', ids: [a.id, a.id] }, 400],
      [officer, { action: 'verify', ids: [] }, 400],
      [officer, { action: 'verify', ids: Array.from({ length: 101 }, () => uuidv7()) }, 400],
      [officer, { action: 'reject', ids: [a.id] }, 400],
      [officer, { action: 'verify', ids: ['not-a-uuid'] }, 400],
      [lalin, { action: 'verify', ids: [a.id] }, 403],
      [binaMarga, { action: 'verify', ids: [a.id] }, 403],
      [citizen, { action: 'verify', ids: [a.id] }, 403],
    ];
    for (const [s, body, status] of bad) {
      const res = await call(t, s, 'POST', '/api/v1/complaints/bulk', body);
      expect(res.statusCode, `${JSON.stringify(body).slice(0, 80)} ${res.body}`).toBe(status);
    }
    expect((await call(t, null, 'POST', '/api/v1/complaints/bulk', { action: 'verify', ids: [a.id] })).statusCode).toBe(401);
    expect(await counts(t)).toEqual(before);
  });
});

/** Parses our CSV (quoted cells with doubled quotes, CRLF rows). */
function parseCsv(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('CSV export', () => {
  let hostile: { id: string; trackingCode: string };

  beforeAll(async () => {
    hostile = await submit({
      description: '=HYPERLINK("http://evil.example","klik"); laporan "palsu" dengan baris\nkedua',
      address: '+62 Jl. Somba Opu; blok @A',
      reporter: { name: '-Daeng Tiro', phone: '081234567002', email: 'tiro@example.com' },
    });
    await toUnit(hostile.id, dishubLl);
  });

  async function exportCsv(s: Session, query = '') {
    const res = await call(t, s, 'GET', `/api/v1/complaints/export.csv${query}`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return res;
  }

  it('writes Excel-ready CSV: BOM, semicolons, quoting, formula guard, tenant-zone times', async () => {
    const res = await exportCsv(admin, `?q=${encodeURIComponent(hostile.trackingCode)}`);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="pengaduan-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parseCsv(res.body.replace(/^\uFEFF/, ''), ';');
    expect(rows[0][0]).toBe('Kode pelacakan');
    expect(rows).toHaveLength(2);
    const [header, row] = rows;
    const cell = (name: string) => row[header.indexOf(name)];
    expect(cell('Kode pelacakan')).toBe(hostile.trackingCode);
    expect(cell('Uraian')).toBe(`'=HYPERLINK("http://evil.example","klik"); laporan "palsu" dengan baris\nkedua`);
    expect(cell('Alamat')).toBe(`'+62 Jl. Somba Opu; blok @A`);
    expect(cell('Nama pelapor')).toBe(`'-Daeng Tiro`);
    expect(cell('Lintang')).toBe('-5,1689'); // a plain negative number stays a number; decimal comma with ';'
    expect(cell('Status')).toBe('Didisposisi');
    // Submitted at the fake clock's time, shown in WITA (UTC+8).
    const [{ at }] = await t.db.query<{ at: string }>('SELECT submitted_at AS at FROM complaints WHERE id = $1', [hostile.id]);
    expect(cell('Diterima')).toBe(DateTime.fromJSDate(new Date(at)).setZone('Asia/Makassar').toFormat('yyyy-MM-dd HH:mm'));
    // Contact in clear for personal_data.read, and the export is audited.
    expect(cell('Telepon pelapor')).toBe('6281234567002');
    const [audit] = await t.db.query<{ data: { unmasked: boolean; filter: { q: string } } }>(
      "SELECT data FROM audit_events WHERE action = 'complaint.exported' ORDER BY occurred_at DESC, id DESC LIMIT 1",
    );
    expect(audit.data).toMatchObject({ unmasked: true, filter: { q: hostile.trackingCode } });

    const comma = await exportCsv(admin, `?delimiter=comma&q=${encodeURIComponent(hostile.trackingCode)}`);
    const crow = parseCsv(comma.body.replace(/^\uFEFF/, ''), ',');
    expect(crow[1][crow[0].indexOf('Lintang')]).toBe('-5.1689');
    expect(crow[1][crow[0].indexOf('Alamat')]).toBe(`'+62 Jl. Somba Opu; blok @A`);
  });

  it('masks contact without personal_data.read and follows the inbox scope and filters', async () => {
    const officerRows = parseCsv((await exportCsv(officer, `?q=${hostile.trackingCode}`)).body.replace(/^\uFEFF/, ''), ';');
    const phone = officerRows[1][officerRows[0].indexOf('Telepon pelapor')];
    expect(phone).not.toBe('6281234567002');
    expect(phone).toMatch(/\*/);
    // The handler's export holds exactly their inbox.
    const inbox = ids(await call(t, lalin, 'GET', '/api/v1/complaints?limit=100'));
    const rows = parseCsv((await exportCsv(lalin)).body.replace(/^\uFEFF/, ''), ';');
    const codes = rows.slice(1).map((r) => r[0]);
    expect(codes).toHaveLength(inbox.length);
    const [{ n }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM complaints WHERE unit_id = $1 AND status IN ('disposed','in_progress','needs_info','resolved','closed','reopened')`, [dishubLl]);
    expect(codes).toHaveLength(n);
    // Staff without a complaints role: the header only. Other tenants see none of Makassar's rows.
    expect(parseCsv((await exportCsv(binaMarga)).body.replace(/^\uFEFF/, ''), ';')).toHaveLength(1);
    const tpi = await call(t, tpiAdmin, 'GET', '/api/v1/complaints/export.csv');
    expect(tpi.body).not.toContain(hostile.trackingCode);
    // Filters like the inbox's; English headers on request.
    const submitted = parseCsv((await exportCsv(admin, '?status=submitted')).body.replace(/^\uFEFF/, ''), ';');
    expect(submitted.slice(1).every((r) => r[1] === 'Diterima')).toBe(true);
    const en = await t.app.inject({ method: 'GET', url: '/api/v1/complaints/export.csv?status=closed', headers: { cookie: admin.cookie, 'accept-language': 'en' } });
    expect(en.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^Tracking code;Status;/);
    expect((await call(t, citizen, 'GET', '/api/v1/complaints/export.csv')).statusCode).toBe(403);
    expect((await call(t, null, 'GET', '/api/v1/complaints/export.csv')).statusCode).toBe(401);
    expect((await call(t, admin, 'GET', '/api/v1/complaints/export.csv?delimiter=tab')).statusCode).toBe(400);
  });

  it('guards cells a spreadsheet would evaluate', () => {
    expect(csvCell('=1+1', ';')).toBe("'=1+1");
    expect(csvCell('@SUM(A1)', ';')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1', ';')).toBe("'\t=1");
    expect(csvCell('-12,5', ';')).toBe('"-12,5"'.replace(/"/g, '') === '-12,5' ? '-12,5' : '');
    expect(csvCell('-12.5', ',')).toBe('-12.5');
    expect(csvCell('a;b', ';')).toBe('"a;b"');
    expect(csvCell('a "b"', ',')).toBe('"a ""b"""');
    expect(csvCell(null, ';')).toBe('');
  });
});

describe('unit statistics and transparency', () => {
  // A fresh period far from the other tests' reports.
  const start = new Date('2027-03-01T01:00:00Z'); // Monday 09:00 WITA
  const hours = (h: number) => h * 3_600_000;
  let onTime: string;
  let late: string;
  let overdue: string;
  let fresh: string;

  beforeAll(async () => {
    t.clock.set(start);
    await signIn();
    const mk = async () => {
      const c = await submit();
      await toUnit(c.id, dishubLl);
      return c.id;
    };
    [onTime, late, overdue] = [await mk(), await mk(), await mk()];
    await t.db.query("UPDATE complaints SET category_id = (SELECT id FROM complaint_categories WHERE name = 'Lampu lalu lintas mati' AND tenant_id = complaints.tenant_id) WHERE id = $1", [overdue]);
    // Resolved 2 h after submission (deadline 80 working hours).
    t.clock.advance(hours(2));
    await signIn();
    const proof1 = await uploadPhoto(t, { session: lalin });
    expect((await act(lalin, onTime, 'resolve', { answer: 'Sudah ditangani oleh tim lapangan.', proofPhotos: [{ id: proof1.id }] })).statusCode).toBe(200);
    // Twenty days later: the second is resolved late, the third is still open and overdue.
    t.clock.advance(hours(24 * 20));
    await signIn();
    const proof2 = await uploadPhoto(t, { session: lalin });
    expect((await act(lalin, late, 'resolve', { answer: 'Sudah ditangani oleh tim lapangan.', proofPhotos: [{ id: proof2.id }] })).statusCode).toBe(200);
    fresh = await mk(); // just disposed: open, within its deadline
    await t.db.query('UPDATE complaints SET rating = 5 WHERE id = $1', [onTime]);
    await t.db.query('UPDATE complaints SET rating = 2 WHERE id = $1', [late]);
  });

  it('marks late answers from the due time at resolution', async () => {
    const rows = await t.db.query<{ id: string; resolved_late: boolean | null }>('SELECT id, resolved_late FROM complaints WHERE id = ANY($1::uuid[])', [[onTime, late, overdue, fresh]]);
    const by = Object.fromEntries(rows.map((r) => [r.id, r.resolved_late]));
    expect(by).toEqual({ [onTime]: false, [late]: true, [overdue]: null, [fresh]: null });
  });

  it('counts open, overdue, resolved, median time and rating for the unit, per category', async () => {
    const from = DateTime.fromJSDate(start).setZone('Asia/Makassar').toISODate();
    const res = await call(t, lalin, 'GET', `/api/v1/complaints/stats?from=${from}`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    const lateHours = (t.clock.now().getTime() - hours(0) - start.getTime()) / 3_600_000;
    expect(s.totals).toMatchObject({ received: 4, open: 2, overdue: 1, resolved: 2, resolvedOnTime: 1, ratings: 2, averageRating: 3.5 });
    expect(s.totals.onTimeShare).toBeCloseTo(1 / 3, 3);
    // Median of 2 h and ~482 h (submitted a few ms apart, resolved 20 days + 2 h later).
    expect(s.totals.medianHoursToResolve).toBeCloseTo((2 + lateHours) / 2, 0);
    expect(s.categories.map((c: { categoryName: string; received: number }) => [c.categoryName, c.received])).toEqual([
      ['Jalan rusak/berlubang', 3],
      ['Lampu lalu lintas mati', 1],
    ]);
    // The triage desk sees the same for the unit, and more for the tenant.
    const unit = (await call(t, admin, 'GET', `/api/v1/complaints/stats?from=${from}&unitId=${dishubLl}`)).json();
    expect(unit.totals).toEqual(s.totals);
    const dishub = await unitId(t, 'DISHUB');
    const agency = (await call(t, admin, 'GET', `/api/v1/complaints/stats?from=${from}&unitId=${dishub}`)).json();
    expect(agency.totals.received).toBe(4); // the subtree of Dinas Perhubungan
    const all = (await call(t, admin, 'GET', '/api/v1/complaints/stats')).json();
    expect(all.totals.received).toBeGreaterThanOrEqual(1); // default: the last 30 days
  });

  it('refuses other units, bad periods and other roles', async () => {
    expect((await call(t, lalin, 'GET', `/api/v1/complaints/stats?unitId=${dpuBm}`)).statusCode).toBe(404);
    expect((await call(t, admin, 'GET', `/api/v1/complaints/stats?unitId=${uuidv7()}`)).statusCode).toBe(404);
    expect((await call(t, tpiAdmin, 'GET', `/api/v1/complaints/stats?unitId=${dishubLl}`)).statusCode).toBe(404);
    expect((await call(t, admin, 'GET', '/api/v1/complaints/stats?from=2027-03-10&to=2027-03-01')).statusCode).toBe(400);
    expect((await call(t, admin, 'GET', '/api/v1/complaints/stats?from=2020-01-01&to=2027-03-01')).statusCode).toBe(400);
    expect((await call(t, admin, 'GET', '/api/v1/complaints/stats?from=2027-02-30')).statusCode).toBe(400);
    expect((await call(t, admin, 'GET', '/api/v1/complaints/stats?from=kemarin')).statusCode).toBe(400);
    const none = await call(t, binaMarga, 'GET', '/api/v1/complaints/stats');
    expect(none.statusCode).toBe(200);
    expect(none.json().totals.received).toBe(0);
    expect((await call(t, citizen, 'GET', '/api/v1/complaints/stats')).statusCode).toBe(403);
  });

  it('publishes per-agency transparency without report content', async () => {
    const res = await call(t, null, 'GET', '/api/v1/complaints/transparency?days=30');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const body = res.json();
    const dishub = body.agencies.find((a: { unitName: string }) => a.unitName === 'Dinas Perhubungan');
    expect(dishub).toMatchObject({ received: 4, resolved: 2, overdue: 1, averageRating: 3.5 });
    expect(dishub.onTimeShare).toBeCloseTo(1 / 3, 3);
    expect(body.totals.received).toBe(4);
    expect(res.body).not.toMatch(/Daeng|tiro@|6281|Sudah ditangani/);
    expect((await call(t, null, 'GET', '/api/v1/complaints/transparency?days=7')).statusCode).toBe(400);
    // Served from the shared cache for 10 minutes, then computed again.
    await t.db.query('UPDATE complaints SET rating = 4 WHERE id = $1', [late]);
    const cached = (await call(t, null, 'GET', '/api/v1/complaints/transparency?days=30')).json();
    expect(cached.agencies.find((a: { unitName: string }) => a.unitName === 'Dinas Perhubungan').averageRating).toBe(3.5);
    t.clock.advance(11 * 60_000);
    const fresh = (await call(t, null, 'GET', '/api/v1/complaints/transparency?days=30')).json();
    expect(fresh.agencies.find((a: { unitName: string }) => a.unitName === 'Dinas Perhubungan').averageRating).toBe(4.5);
    const tpi = (await call(t, null, 'GET', '/api/v1/complaints/transparency?days=365', undefined, { prefix: '/t/tanjungpinang' })).json();
    expect(tpi.agencies.find((a: { unitName: string }) => a.unitName === 'Dinas Perhubungan')).toBeUndefined();
  });
});

describe('search and period indexes', () => {
  it('serves search and the period scans from indexes over a few thousand reports', async () => {
    const [{ tenant_id, category_id }] = await t.db.query<{ tenant_id: string; category_id: string }>(
      "SELECT c.tenant_id, c.id AS category_id FROM complaint_categories c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = 'makassar' AND c.name = 'Jalan rusak/berlubang'",
    );
    await t.db.query(
      `INSERT INTO complaints (tenant_id, id, tracking_code, category_id, kind, status, description, kecamatan_code, unit_id, submitted_at, updated_at)
       SELECT $1, ('01900000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'ADU-Y' || g, $2, 'pengaduan', 'disposed',
              'Laporan uji nomor ' || g || (CASE WHEN g % 500 = 0 THEN ' pohon tumbang menutup jalan' ELSE ' saluran air tersumbat sampah' END),
              '73.71.01', $3, now() - (g || ' minutes')::interval, now()
         FROM generate_series(1, 5000) g`,
      [tenant_id, category_id, dpuBm],
    );
    await t.db.query('ANALYZE complaints');
    const explain = async (q: ReturnType<typeof sql>) => {
      const rows = (await t.db.orm.execute(sql`EXPLAIN ${q}`)) as any;
      return (Array.isArray(rows) ? rows : rows.rows).map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    };
    const rare = await explain(inboxSql(tenant_id, 'all', { q: 'pohon tumbang', limit: 25 }));
    expect(rare).toMatch(/complaints_search_idx/);
    expect(rare).not.toMatch(/Seq Scan on complaints/);
    const common = await explain(inboxSql(tenant_id, 'all', { q: 'saluran', limit: 25 }, [new Date().toISOString(), uuidv7()]));
    expect(common).toMatch(/complaints_search_idx|complaints_inbox_idx/);
    expect(common).not.toMatch(/Seq Scan on complaints/);
    const period = await explain(
      sql`SELECT count(*) FROM complaints c WHERE c.tenant_id = ${tenant_id} AND c.submitted_at >= now() - interval '1 hour' AND c.status = 'disposed'`,
    );
    expect(period).toMatch(/complaints_period_idx|complaints_inbox_idx/);
    expect(period).not.toMatch(/Seq Scan on complaints/);

    // The CSV export streams these in keyset pages of 500: every row once, newest first.
    const res = await call(t, admin, 'GET', '/api/v1/complaints/export.csv?q=tersumbat');
    expect(res.statusCode).toBe(200);
    const codes = res.body.split('\r\n').slice(1, -1).map((l) => l.split(';')[0]).filter((c) => /^ADU-Y\d+$/.test(c)); // generated codes only (a real one may start with ADU-Y too)
    expect(codes).toHaveLength(4990);
    expect(new Set(codes).size).toBe(4990);
    expect(codes.slice(0, 3)).toEqual(['ADU-Y1', 'ADU-Y2', 'ADU-Y3']);
  });
});

describe('inbox items', () => {
  it('shows a summary of the description: whole up to 140 characters, cut with an ellipsis beyond', async () => {
    const exact = `Lubang jalan ${'x'.repeat(140 - 'Lubang jalan '.length)}`;
    const longer = `Trotoar amblas ${'y'.repeat(300)} ujung`;
    const a = await submit({ description: exact });
    const b = await submit({ description: longer });
    await toUnit(a.id, dishubLl);
    await toUnit(b.id, dishubLl);
    // The desk's inbox and a handler's (units merged per unit) read the same cut columns.
    for (const s of [admin, lalin]) {
      const res = await call(t, s, 'GET', `/api/v1/complaints?limit=100&q=${a.trackingCode}`);
      expect(res.json().items, res.body).toHaveLength(1);
      expect(res.json().items[0].summary).toBe(exact);
      const res2 = await call(t, s, 'GET', `/api/v1/complaints?limit=100&q=${b.trackingCode}`);
      const summary: string = res2.json().items[0].summary;
      expect(summary).toHaveLength(140);
      expect(summary).toBe(`${longer.slice(0, 139)}…`);
      // The detail still has the whole text.
      expect((await call(t, s, 'GET', `/api/v1/complaints/${b.id}`)).json().description).toBe(longer);
    }
  });
  it("reads a handler's scope from the unit tree inside the statement: a grant's subtree, never a sibling's", async () => {
    const seksi = await unitId(t, 'DPU-BM-JLN');
    const r = await submit({ description: 'Aspal mengelupas sepanjang dua puluh meter di depan pasar.' });
    await toUnit(r.id, seksi);
    const [{ tenant_id }] = await t.db.query<{ tenant_id: string }>('SELECT tenant_id FROM complaints WHERE id = $1', [r.id]);
    const page = async (roots: string[], extra: { unitId?: string } = {}) => {
      const rows = (await t.db.orm.execute(inboxSql(tenant_id, { tenantWide: false, roots }, { q: r.trackingCode, limit: 10, ...extra }))) as any;
      return (Array.isArray(rows) ? rows : rows.rows).map((x: { id: string }) => x.id);
    };
    expect(await page([dpuBm])).toEqual([r.id]); // the bidang's grant covers its seksi
    expect(await page([seksi])).toEqual([r.id]);
    expect(await page([dishubLl])).toEqual([]); // another agency's grant
    expect(await page([dpuBm], { unitId: seksi })).toEqual([r.id]);
    expect(await page([dpuBm], { unitId: dpuBm })).toEqual([]); // the filter narrows to one unit
    expect(await page([dishubLl], { unitId: seksi })).toEqual([]); // a filter never widens the scope
    const wide = (await t.db.orm.execute(inboxSql(tenant_id, { tenantWide: true, roots: [] }, { q: r.trackingCode, limit: 10 }))) as any;
    expect((Array.isArray(wide) ? wide : wide.rows).map((x: { id: string }) => x.id)).toEqual([r.id]);
  });
});

describe('map view (GET /api/v1/complaints/inbox-map)', () => {
  const box = (lat: number, lng: number, d = 0.01) => `${lng - d},${lat - d},${lng + d},${lat + d}`;
  const mapOf = (s: Session | null, qs: string) => call(t, s, 'GET', `/api/v1/complaints/inbox-map?${qs}`);

  it('shows the inbox’s reports with coordinates in the box, in the same scope and with the same filters', async () => {
    const here = { lat: -5.1321, lng: 119.4567 };
    const mine = await submit({ location: { lat: here.lat + 0.001, lng: here.lng + 0.001 } });
    const theirs = await submit({ location: { lat: here.lat - 0.001, lng: here.lng - 0.001 } });
    const far = await submit({ location: { lat: -5.2, lng: 119.39 } });
    const noPlace = await submit({ location: undefined });
    await toUnit(mine.id, dishubLl);
    await toUnit(theirs.id, dpuBm);
    await toUnit(far.id, dishubLl);
    await toUnit(noPlace.id, dishubLl);

    // The desk sees every report in the box, unverified ones too, with coordinates.
    const desk = await mapOf(officer, `bbox=${box(here.lat, here.lng)}&zoom=14`);
    expect(desk.statusCode, desk.body).toBe(200);
    const deskIds = ids(desk);
    expect(deskIds).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect(deskIds).not.toContain(far.id);
    expect(deskIds).not.toContain(noPlace.id);
    const item = desk.json().items.find((i: { id: string }) => i.id === mine.id);
    expect(item).toMatchObject({ trackingCode: mine.trackingCode, status: 'disposed', lat: here.lat + 0.001, lng: here.lng + 0.001 });
    expect(desk.json().truncated).toBe(false);

    // A handler of Bidang Lalu Lintas sees only his unit's report; filters narrow further.
    const lalinMap = ids(await mapOf(lalin, `bbox=${box(here.lat, here.lng)}&zoom=14`));
    expect(lalinMap).toContain(mine.id);
    expect(lalinMap).not.toContain(theirs.id);
    const byUnit = ids(await mapOf(officer, `bbox=${box(here.lat, here.lng)}&zoom=14&unitId=${dpuBm}`));
    expect(byUnit).toContain(theirs.id);
    expect(byUnit).not.toContain(mine.id);
    expect(ids(await mapOf(officer, `bbox=${box(here.lat, here.lng)}&zoom=14&status=verified`))).not.toContain(mine.id);
    expect(ids(await mapOf(officer, `bbox=${box(here.lat, here.lng)}&zoom=14&q=${encodeURIComponent(mine.trackingCode)}`))).toEqual([mine.id]);
  });

  it('sends the newest 500 and says when there were more', async () => {
    const [{ tenant_id }] = await t.db.query<{ tenant_id: string }>("SELECT id AS tenant_id FROM tenants WHERE slug = 'makassar'");
    await t.db.query(
      `INSERT INTO complaints (tenant_id, id, tracking_code, category_id, kind, status, description, lat, lng, kecamatan_code, unit_id, submitted_at, updated_at)
       SELECT $1, ('01900000-0000-7000-9000-' || lpad(to_hex(g), 12, '0'))::uuid, 'ADU-M' || g, $2, 'pengaduan', 'disposed',
              'Laporan uji peta staf nomor ' || g || ' jalan berlubang', -5.0601 + g * 0.000001, 119.5001, '73.71.01', $3, now() - (g || ' minutes')::interval, now()
         FROM generate_series(1, 520) g`,
      [tenant_id, road, dpuBm],
    );
    const res = await mapOf(officer, `bbox=${box(-5.06, 119.5)}&zoom=14`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(500);
    expect(res.json().truncated).toBe(true);
    const codes = res.json().items.map((i: { trackingCode: string }) => i.trackingCode);
    expect(codes).toContain('ADU-M1');
    expect(codes).not.toContain('ADU-M520');
  });

  it('refuses a bad box, a signed-out caller and a resident', async () => {
    for (const qs of ['bbox=119,-5,118,-4&zoom=14', 'bbox=abc&zoom=14', 'bbox=100,-20,140,10&zoom=14', 'zoom=14', `bbox=${box(-5.1, 119.4)}`, `bbox=${box(-5.1, 119.4)}&zoom=14&status=bogus`]) {
      const res = await mapOf(officer, qs);
      expect(res.statusCode, qs).toBe(400);
    }
    expect((await mapOf(null, `bbox=${box(-5.1, 119.4)}&zoom=14`)).statusCode).toBe(401);
    expect((await mapOf(citizen, `bbox=${box(-5.1, 119.4)}&zoom=14`)).statusCode).toBe(403);
  });
});
