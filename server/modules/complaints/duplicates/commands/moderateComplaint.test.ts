import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTION_MARK } from '../../../../../common/complaints/contracts.js';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../../test/support/app.js';
import { call, categoryId, counts, roadReport, unitId, uploadPhoto } from '../../testSupport.js';
import { redact } from './moderateComplaint.js';

let t: TestApp;
let dataDir: string;
let admin: Session;
let officer: Session;
let auditor: Session;
let binaMarga: Session;
let citizen: Session;
let tpiAdmin: Session;
let road: string;
let dpuBm: string;

const PHONE = '0812 3456 7890';
const DESCRIPTION = `Jalan berlubang besar di depan rumah Pak Budi (HP ${PHONE}), sudah dua motor jatuh minggu ini.`;

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'complaints-moderation-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir } });
  admin = await t.login(DEMO.admin);
  officer = await t.login('pengaduan@makassarkota.go.id');
  auditor = await t.login(DEMO.auditor);
  binaMarga = await t.login(DEMO.puStaff);
  citizen = await t.login(DEMO.citizen);
  tpiAdmin = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
  road = await categoryId(t, 'Jalan rusak/berlubang');
  dpuBm = await unitId(t, 'DPU-BM');
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Filed {
  id: string;
  trackingCode: string;
  photo: string;
}

async function verifiedWithPhoto(): Promise<Filed> {
  const photo = await uploadPhoto(t);
  const res = await call(t, null, 'POST', '/api/v1/complaints', roadReport(road, { description: DESCRIPTION, photos: [photo] }));
  expect(res.statusCode, res.body).toBe(201);
  const c = res.json();
  expect((await call(t, admin, 'POST', `/api/v1/complaints/${c.id}/verify`, {})).statusCode).toBe(200);
  return { id: c.id, trackingCode: c.trackingCode, photo: photo.id };
}

const track = (c: Filed) => call(t, null, 'GET', `/api/v1/complaints/track/${c.trackingCode}`);
const mod = (s: Session | null, c: Filed, path: string, body: unknown) => call(t, s, 'POST', `/api/v1/complaints/${c.id}/${path}`, body);

describe('hiding photos and reports', () => {
  it('a hidden photo leaves the tracking page and public downloads; staff still see it, flagged', async () => {
    const c = await verifiedWithPhoto();
    expect((await track(c)).json().photoIds).toEqual([c.photo]);
    expect((await call(t, null, 'GET', `/api/v1/files/${c.photo}`)).statusCode).toBe(200);
    const before = await counts(t);
    const res = await mod(officer, c, `photos/${c.photo}/visibility`, { hidden: true, reason: 'Wajah warga terlihat jelas' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().photos).toEqual([{ id: c.photo, hidden: true }]);
    const after = await counts(t);
    expect(after.audit_events - before.audit_events).toBe(1);
    expect(after.complaint_events - before.complaint_events).toBe(1);
    expect((await track(c)).json().photoIds).toEqual([]);
    expect((await call(t, null, 'GET', `/api/v1/files/${c.photo}`)).statusCode).not.toBe(200);
    expect((await call(t, admin, 'GET', `/api/v1/files/${c.photo}`)).statusCode).toBe(200);
    const [audit] = await t.db.query<{ data: Record<string, unknown> }>("SELECT data FROM audit_events WHERE entity_id = $1 AND action = 'complaint.photo_hidden'", [c.id]);
    expect(audit.data).toMatchObject({ reason: 'Wajah warga terlihat jelas', fileId: c.photo });
    // Internal timeline entry with the reason; not on the public timeline.
    const detail = (await call(t, admin, 'GET', `/api/v1/complaints/${c.id}`)).json();
    expect(detail.timeline.at(-1)).toMatchObject({ action: 'moderation.photo_hidden', internal: true, note: 'Wajah warga terlihat jelas' });
    expect((await track(c)).body).not.toMatch(/moderation|Wajah/);
    // Hiding again writes nothing; showing brings it back.
    const again = await counts(t);
    expect((await mod(officer, c, `photos/${c.photo}/visibility`, { hidden: true, reason: 'Wajah warga terlihat jelas' })).statusCode).toBe(200);
    expect(await counts(t)).toEqual(again);
    expect((await mod(officer, c, `photos/${c.photo}/visibility`, { hidden: false, reason: 'Sudah diburamkan' })).statusCode).toBe(200);
    expect((await track(c)).json().photoIds).toEqual([c.photo]);
  });

  it('never shows a photo of an internal note', async () => {
    const c = await verifiedWithPhoto();
    expect((await call(t, admin, 'POST', `/api/v1/complaints/${c.id}/dispose`, { unitId: dpuBm })).statusCode).toBe(200);
    const internalPhoto = await uploadPhoto(t, { session: admin });
    const noted = await call(t, admin, 'POST', `/api/v1/complaints/${c.id}/notes`, { text: 'Foto rumah warga, jangan dipublikasikan', internal: true, photos: [{ id: internalPhoto.id }] });
    expect(noted.statusCode, noted.body).toBe(200);
    const before = await counts(t);
    const res = await mod(officer, c, `photos/${internalPhoto.id}/visibility`, { hidden: false, reason: 'Coba tampilkan' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('complaints.photo_internal');
    expect(await counts(t)).toEqual(before);
    expect((await track(c)).json().photoIds).toEqual([c.photo]);
  });

  it('a hidden report leaves the tracking page and the suggestions', async () => {
    const c = await verifiedWithPhoto();
    expect((await mod(admin, c, 'visibility', { hidden: true, reason: 'Laporan berisi fitnah' })).statusCode).toBe(200);
    expect((await track(c)).statusCode).toBe(404);
    expect((await call(t, null, 'GET', `/api/v1/files/${c.photo}`)).statusCode).not.toBe(200);
    expect((await call(t, admin, 'GET', `/api/v1/complaints/${c.id}`)).statusCode).toBe(200);
    expect((await mod(admin, c, 'visibility', { hidden: false, reason: 'Sudah diklarifikasi' })).statusCode).toBe(200);
    expect((await track(c)).statusCode).toBe(200);
  });
});

describe('redacting text', () => {
  it('the public and staff see the redacted description; auditors read the original', async () => {
    const c = await verifiedWithPhoto();
    const before = await counts(t);
    const res = await mod(officer, c, 'redact', { phrases: ['Pak Budi', PHONE], reason: 'Data pribadi pihak ketiga' });
    expect(res.statusCode, res.body).toBe(200);
    const redacted = `Jalan berlubang besar di depan rumah ${REDACTION_MARK} (HP ${REDACTION_MARK}), sudah dua motor jatuh minggu ini.`;
    expect(res.json().description).toBe(redacted);
    expect((await counts(t)).audit_events - before.audit_events).toBe(1);
    const pub = await track(c);
    expect(pub.json().description).toBe(redacted);
    expect(pub.body).not.toContain('Budi');
    expect((await call(t, admin, 'GET', `/api/v1/complaints/${c.id}`)).body).not.toContain('Budi');
    // Not in the audit trail either.
    const audits = await t.db.query<{ data: unknown }>('SELECT data FROM audit_events WHERE entity_id = $1', [c.id]);
    expect(JSON.stringify(audits)).not.toContain('Budi');
    // The auditor (audit.read) reads the original; the reading is audited.
    const orig = await call(t, auditor, 'GET', `/api/v1/complaints/${c.id}/redactions`);
    expect(orig.statusCode, orig.body).toBe(200);
    expect(orig.json().items).toEqual([
      expect.objectContaining({ field: 'description', eventId: null, original: DESCRIPTION, redacted, reason: 'Data pribadi pihak ketiga', actorName: expect.any(String) }),
    ]);
    const [viewed] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'complaint.redactions_viewed'", [c.id]);
    expect(viewed.n).toBe(1);
    // Without audit.read: the triage officer, handlers and citizens do not; another tenant gets 404.
    expect((await call(t, officer, 'GET', `/api/v1/complaints/${c.id}/redactions`)).statusCode).toBe(403);
    expect((await call(t, binaMarga, 'GET', `/api/v1/complaints/${c.id}/redactions`)).statusCode).toBe(403);
    expect((await call(t, citizen, 'GET', `/api/v1/complaints/${c.id}/redactions`)).statusCode).toBe(403);
    expect((await call(t, null, 'GET', `/api/v1/complaints/${c.id}/redactions`)).statusCode).toBe(401);
    expect((await call(t, tpiAdmin, 'GET', `/api/v1/complaints/${c.id}/redactions`)).statusCode).toBe(404);
  });

  it('redacts a public note of the timeline, not an internal one', async () => {
    const c = await verifiedWithPhoto();
    expect((await call(t, admin, 'POST', `/api/v1/complaints/${c.id}/dispose`, { unitId: dpuBm, note: 'Internal: hubungi Pak Budi' })).statusCode).toBe(200);
    const noted = await call(t, admin, 'POST', `/api/v1/complaints/${c.id}/notes`, { text: `Petugas sudah menghubungi Pak Budi di ${PHONE} untuk survei.`, internal: false });
    expect(noted.statusCode, noted.body).toBe(200);
    const timeline = noted.json().timeline as { id: string; note: string | null; internal: boolean }[];
    const publicNote = timeline.find((e) => !e.internal && e.note?.includes(PHONE))!;
    const internalNote = timeline.find((e) => e.internal && e.note?.includes('Budi'))!;
    const before = await counts(t);
    expect((await mod(officer, c, 'redact', { eventId: internalNote.id, phrases: ['Budi'], reason: 'Data pribadi' })).statusCode).toBe(400);
    expect(await counts(t)).toEqual(before);
    const res = await mod(officer, c, 'redact', { eventId: publicNote.id, phrases: [PHONE], reason: 'Nomor HP warga' });
    expect(res.statusCode, res.body).toBe(200);
    const pub = (await track(c)).json();
    expect(pub.timeline.map((e: { note: string | null }) => e.note)).toContain(`Petugas sudah menghubungi Pak Budi di ${REDACTION_MARK} untuk survei.`);
    expect(JSON.stringify(pub.timeline)).not.toContain(PHONE);
    const orig = (await call(t, admin, 'GET', `/api/v1/complaints/${c.id}/redactions`)).json();
    expect(orig.items).toEqual([expect.objectContaining({ field: 'note', eventId: publicNote.id, original: `Petugas sudah menghubungi Pak Budi di ${PHONE} untuk survei.` })]);
  });

  it('refuses bad input and other people with 4xx, writing nothing', async () => {
    const c = await verifiedWithPhoto();
    const before = await counts(t);
    const redactions = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM complaint_redactions'))[0].n;
    const r0 = await redactions();
    const expectStatus = async (s: Session | null, path: string, body: unknown, status: number, code?: string) => {
      const res = await mod(s, c, path, body);
      expect(res.statusCode, `${path} ${res.body}`).toBe(status);
      if (code) expect(JSON.stringify(res.json())).toContain(code);
    };
    await expectStatus(admin, 'redact', { phrases: ['tidak ada di teks'], reason: 'Data pribadi' }, 400, 'complaints.redaction_phrase_missing');
    await expectStatus(admin, 'redact', { phrases: [], reason: 'Data pribadi' }, 400);
    await expectStatus(admin, 'redact', { phrases: ['Budi'], reason: 'x' }, 400);
    await expectStatus(admin, 'redact', { phrases: ['Budi'] }, 400);
    await expectStatus(admin, 'redact', { eventId: '01900000-0000-7000-8000-000000000000', phrases: ['Budi'], reason: 'Data pribadi' }, 400, 'complaints.redaction_event');
    await expectStatus(admin, 'redact', { phrases: ['a'.repeat(3)].concat(Array(20).fill('Budi')), reason: 'Data pribadi' }, 400);
    // 'e' occurs often: 20 characters for each would exceed 2000.
    const long = await call(t, null, 'POST', '/api/v1/complaints', roadReport(road, { description: 'e '.repeat(900) }));
    expect((await call(t, admin, 'POST', `/api/v1/complaints/${long.json().id}/redact`, { phrases: ['e'.repeat(1) + ' '], reason: 'Uji batas panjang' })).statusCode).toBe(400);
    await expectStatus(admin, `photos/01900000-0000-7000-8000-000000000000/visibility`, { hidden: true, reason: 'Wajah warga' }, 404);
    await expectStatus(admin, `photos/${c.photo}/visibility`, { hidden: 'ya', reason: 'Wajah warga' }, 400);
    await expectStatus(admin, 'visibility', { hidden: true }, 400);
    // Only the triage desk moderates.
    await expectStatus(binaMarga, 'redact', { phrases: ['Budi'], reason: 'Data pribadi' }, 403);
    await expectStatus(auditor, `photos/${c.photo}/visibility`, { hidden: true, reason: 'Wajah warga' }, 403);
    await expectStatus(citizen, 'visibility', { hidden: true, reason: 'Wajah warga' }, 403);
    await expectStatus(null, 'redact', { phrases: ['Budi'], reason: 'Data pribadi' }, 401);
    await expectStatus(tpiAdmin, 'redact', { phrases: ['Budi'], reason: 'Data pribadi' }, 404);
    await expectStatus(tpiAdmin, `photos/${c.photo}/visibility`, { hidden: true, reason: 'Wajah warga' }, 404);
    const after = await counts(t);
    // The long report was filed above (1 report, its timeline entry, audit and event); nothing else.
    expect(after.complaints - before.complaints).toBe(1);
    expect(after.complaint_events - before.complaint_events).toBe(1);
    expect(after.audit_events - before.audit_events).toBe(1);
    expect(await redactions()).toBe(r0);
    expect((await track(c)).json().description).toBe(DESCRIPTION);
  });

  it('replaces the longest phrases first', () => {
    expect(redact('Pak Budi Santoso dan Budi', ['Budi', 'Pak Budi Santoso'])).toBe(`${REDACTION_MARK} dan ${REDACTION_MARK}`);
  });
});
