import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../test/support/app.js';
import { call, categoryId, counts, nextIp, roadReport, unitId, uploadPhoto } from '../testSupport.js';

/**
 * Slice 2 of the workflow: the unit follows a report up (start, notes, questions, answer with
 * proof) and the reporter answers, withdraws, confirms, reopens and rates; stage deadlines run on
 * the tenant's working calendar (Asia/Makassar, 08:00–16:00, Monday–Friday, holidays).
 */
let t: TestApp;
let dataDir: string;
let admin: Session;
let lalin: Session;
let binaMarga: Session;
let citizen: Session;
let tpiAdmin: Session;
let road: string;
let dishubLl: string;

/** Sessions expire when the fake clock jumps days ahead: sign in again after moving it. */
async function signIn(): Promise<void> {
  admin = await t.login(DEMO.admin);
  binaMarga = await t.login(DEMO.puStaff);
  lalin = await t.login('staf.lalulintas@makassarkota.go.id');
  citizen = await t.login(DEMO.citizen);
  tpiAdmin = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
}

async function setClock(at: Date): Promise<void> {
  t.clock.set(at);
  await signIn();
}

async function advance(ms: number): Promise<void> {
  t.clock.advance(ms);
  await signIn();
}

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'complaints-followup-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir } });
  await signIn();
  road = await categoryId(t, 'Jalan rusak/berlubang');
  dishubLl = await unitId(t, 'DISHUB-LL');
  // A local holiday on Monday 30 November 2026.
  await t.db.query(
    "INSERT INTO calendar_days (tenant_id, day, kind, name) SELECT id, '2026-11-30', 'local_holiday', 'Hari jadi (uji)' FROM tenants WHERE slug = 'makassar' ON CONFLICT DO NOTHING",
  );
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Local time in Makassar (UTC+8) as an instant. */
const wita = (local: string) => new Date(`${local}+08:00`);

async function submit(session: Session | null = null, extra: Record<string, unknown> = {}): Promise<{ id: string; trackingCode: string; accessToken?: string }> {
  const res = await call(t, session, 'POST', '/api/v1/complaints', roadReport(road, extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const act = (s: Session | null, id: string, action: string, body: unknown = {}) => call(t, s, 'POST', `/api/v1/complaints/${id}/${action}`, body);

/** A reporter's command by tracking code, with the private link's token as header when given. */
async function cite(s: Session | null, code: string, action: string, body: unknown = {}, token?: string) {
  const headers: Record<string, string> = {};
  if (s) Object.assign(headers, { cookie: s.cookie, 'x-csrf-token': s.csrf });
  if (token) headers['x-complaint-token'] = token;
  return t.app.inject({ method: 'POST', url: `/api/v1/complaints/track/${code}/${action}`, headers, payload: body as object, remoteAddress: nextIp() });
}

async function row(id: string) {
  const [r] = await t.db.query<{ status: string; due_at: Date | string | null; paused_hours: number | null; resume_status: string | null }>(
    'SELECT status, due_at, paused_hours, resume_status FROM complaints WHERE id = $1',
    [id],
  );
  return { ...r, due: r.due_at ? new Date(r.due_at).toISOString() : null };
}

async function disposed(session: Session | null = null, extra: Record<string, unknown> = {}) {
  const c = await submit(session, extra);
  expect((await act(admin, c.id, 'verify')).statusCode).toBe(200);
  expect((await act(admin, c.id, 'dispose', { unitId: dishubLl })).statusCode).toBe(200);
  return c;
}

describe('deadlines on the working calendar', () => {
  it('runs each stage in office hours across a weekend and a holiday, pauses for the reporter and resumes', async () => {
    await setClock(wita('2026-11-27T14:00:00')); // Friday 14:00
    const c = await submit();
    // Verification 8 h: Friday 14–16 (2 h), weekend, Monday holiday, Tuesday 08–14 (6 h).
    expect((await row(c.id)).due).toBe(wita('2026-12-01T14:00:00').toISOString());
    await setClock(wita('2026-11-27T15:00:00'));
    await act(admin, c.id, 'verify');
    // Disposition 8 h: Friday 1 h, Tuesday 7 h.
    expect((await row(c.id)).due).toBe(wita('2026-12-01T15:00:00').toISOString());
    await act(admin, c.id, 'dispose', { unitId: dishubLl });
    // Resolution 80 h (10 office days): Friday 1 h, then 9 days to Friday 11 December, 7 h on Monday 14.
    expect((await row(c.id)).due).toBe(wita('2026-12-14T15:00:00').toISOString());
    await setClock(wita('2026-12-01T09:00:00'));
    expect((await act(lalin, c.id, 'start')).statusCode).toBe(200);
    expect((await row(c.id)).due).toBe(wita('2026-12-14T15:00:00').toISOString()); // same stage, same clock
    await setClock(wita('2026-12-01T10:00:00'));
    const asked = await act(lalin, c.id, 'request-info', { question: 'Mohon kirim foto lubang dari dekat.' });
    expect(asked.statusCode, asked.body).toBe(200);
    // 3 h used (Friday 1 h, Tuesday 08–10): 77 h left, clock stopped.
    expect(await row(c.id)).toMatchObject({ status: 'needs_info', due: null, paused_hours: 77, resume_status: 'in_progress' });
    expect(asked.json()).toMatchObject({ status: 'needs_info', dueAt: null, pausedHours: 77 });
    // The question is public; only the reporter may answer.
    const pub = (await call(t, null, 'GET', `/api/v1/complaints/track/${c.trackingCode}`)).json();
    expect(pub.timeline.at(-1)).toMatchObject({ action: 'request_info', status: 'needs_info', note: 'Mohon kirim foto lubang dari dekat.' });
    expect((await cite(null, c.trackingCode, 'provide-info', { answer: 'Lubangnya sekitar satu meter.' }, 'B'.repeat(43))).statusCode).toBe(404);
    await setClock(wita('2026-12-03T10:00:00')); // Thursday
    const answered = await cite(null, c.trackingCode, 'provide-info', { answer: 'Lubangnya sekitar satu meter.' }, c.accessToken);
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'in_progress', dueAt: wita('2026-12-16T15:00:00').toISOString() });
    expect(await row(c.id)).toMatchObject({ status: 'in_progress', paused_hours: null, resume_status: null });
    // The overdue filter: not yet, then after the due time.
    const overdueIds = async (s: Session) => (await call(t, s, 'GET', '/api/v1/complaints?overdue=true&limit=100')).json().items.map((i: { id: string }) => i.id);
    expect(await overdueIds(lalin)).not.toContain(c.id);
    await setClock(wita('2026-12-16T15:01:00'));
    expect(await overdueIds(lalin)).toContain(c.id);
    expect(await overdueIds(admin)).toContain(c.id);
    expect((await call(t, admin, 'GET', '/api/v1/complaints?overdue=yes')).statusCode).toBe(400);
    // A resolved report has no running clock and leaves the overdue list.
    const proof = await uploadPhoto(t, { session: lalin });
    expect((await act(lalin, c.id, 'resolve', { answer: 'Lubang sudah ditambal dengan aspal panas.', proofPhotos: [{ id: proof.id }] })).statusCode).toBe(200);
    expect((await row(c.id)).due).toBeNull();
    expect(await overdueIds(admin)).not.toContain(c.id);
  });

  it('returns a report asked about before it was taken up to the disposed stage', async () => {
    const c = await disposed();
    await act(lalin, c.id, 'request-info', { question: 'Di sisi jalan yang mana?' });
    const res = await cite(null, c.trackingCode, 'provide-info', { answer: 'Sisi kiri dari arah utara.' }, c.accessToken);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('disposed');
  });
});

describe('handler follow-up', () => {
  it('starts, notes internally and publicly, asks, resolves with proof: every move writes its rows together', async () => {
    const c = await disposed();
    let before = await counts(t);
    const started = await act(lalin, c.id, 'start', { note: 'Tim dijadwalkan besok pagi' });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json()).toMatchObject({ status: 'in_progress' });
    let after = await counts(t);
    expect(after.complaint_events - before.complaint_events).toBe(2); // public status change + internal note
    expect(after.audit_events - before.audit_events).toBe(1);
    expect(after.domain_events - before.domain_events).toBe(1);

    const secret = await uploadPhoto(t, { session: lalin });
    before = await counts(t);
    const note = await act(lalin, c.id, 'notes', { text: 'Kontraktor: CV Maju (internal)', internal: true, photos: [{ id: secret.id }] });
    expect(note.statusCode, note.body).toBe(200);
    expect(await act(lalin, c.id, 'notes', { text: 'Material sudah dipesan.', internal: false })).toMatchObject({ statusCode: 200 });
    after = await counts(t);
    expect(after).toMatchObject({ complaint_events: before.complaint_events + 2, complaint_photos: before.complaint_photos + 1, domain_events: before.domain_events + 2 });
    const noteAudits = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'complaint.note_added' AND entity_id = $1", [c.id]);
    expect(noteAudits[0].n).toBe(2);
    // The public sees the public note, never the internal one nor its photo.
    const track = (await call(t, null, 'GET', `/api/v1/complaints/track/${c.trackingCode}`)).json();
    const notes = track.timeline.map((e: { note: string | null }) => e.note);
    expect(notes).toContain('Material sudah dipesan.');
    expect(notes).not.toContain('Kontraktor: CV Maju (internal)');
    expect(notes).not.toContain('Tim dijadwalkan besok pagi');
    expect(track.photoIds).not.toContain(secret.id);
    expect((await call(t, null, 'GET', `/api/v1/files/${secret.id}`)).statusCode).toBe(404);

    const proof = await uploadPhoto(t, { session: lalin });
    const resolved = await act(lalin, c.id, 'resolve', { answer: 'Lubang sudah ditambal dan dipadatkan.', proofPhotos: [{ id: proof.id }] });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const pub = (await call(t, null, 'GET', `/api/v1/complaints/track/${c.trackingCode}`)).json();
    expect(pub).toMatchObject({ status: 'resolved', resolvedAt: expect.any(String) });
    expect(pub.timeline.at(-1)).toMatchObject({ action: 'resolve', status: 'resolved', note: 'Lubang sudah ditambal dan dipadatkan.' });
    expect(pub.photoIds).toContain(proof.id);
  });

  it('refuses bad input (400), invalid moves (409) and reports out of scope (404) with nothing written', async () => {
    const c = await disposed();
    const rejected = await submit();
    await act(admin, rejected.id, 'reject', { reason: 'spam' });
    const pdf = await uploadPhoto(t, { session: lalin, pdf: true });
    const notMine = await uploadPhoto(t, { session: admin });
    const before = await counts(t);
    const cases: [Session | null, string, string, unknown, number][] = [
      [lalin, c.id, 'resolve', { answer: 'terlalu pendek', proofPhotos: [{ id: notMine.id }] }, 400],
      [lalin, c.id, 'resolve', { answer: 'Jawaban yang cukup panjang untuk laporan.', proofPhotos: [] }, 400],
      [lalin, c.id, 'resolve', { answer: 'Jawaban yang cukup panjang untuk laporan.', proofPhotos: [{ id: notMine.id }] }, 400],
      [lalin, c.id, 'resolve', { answer: 'Jawaban yang cukup panjang untuk laporan.', proofPhotos: [{ id: pdf.id }] }, 400],
      [lalin, c.id, 'resolve', { answer: 'x'.repeat(2001), proofPhotos: [{ id: notMine.id }] }, 400],
      [lalin, c.id, 'notes', { text: 'Tanpa tanda internal' }, 400],
      [lalin, c.id, 'notes', { text: '', internal: true }, 400],
      [lalin, c.id, 'notes', { text: 'Catatan', internal: true, extra: 1 }, 400],
      [lalin, c.id, 'request-info', {}, 400],
      [admin, rejected.id, 'resolve', { answer: 'Jawaban yang cukup panjang untuk laporan.', proofPhotos: [{ id: notMine.id }] }, 409],
      [admin, rejected.id, 'start', {}, 409],
      [lalin, rejected.id, 'start', {}, 404],
      [lalin, '01900000-0000-7000-8000-000000000000', 'start', {}, 404],
      [tpiAdmin, c.id, 'notes', { text: 'Catatan', internal: true }, 404],
      [binaMarga, c.id, 'start', {}, 403],
      [citizen, c.id, 'start', {}, 403],
      [null, c.id, 'start', {}, 401],
    ];
    for (const [s, id, action, body, status] of cases) {
      const res = await act(s, id, action, body);
      expect(res.statusCode, `${action} ${JSON.stringify(body)}: ${res.body}`).toBe(status);
    }
    expect(await counts(t)).toEqual(before);
    expect((await row(c.id)).status).toBe('disposed');
  });
});

describe('reporter follow-up', () => {
  it('refuses bad answers and answers nobody asked for, with nothing written', async () => {
    const c = await disposed();
    const other = await uploadPhoto(t, { session: lalin });
    const before = await counts(t);
    expect((await cite(null, c.trackingCode, 'provide-info', { answer: 'Belum ditanya.' }, c.accessToken)).statusCode).toBe(409);
    expect(await counts(t)).toEqual(before);
    await act(lalin, c.id, 'request-info', { question: 'Di sisi jalan yang mana?' });
    const asked = await counts(t);
    const cases: [unknown, number][] = [
      [{}, 400],
      [{ answer: '' }, 400],
      [{ answer: 'x'.repeat(2001) }, 400],
      [{ answer: 'Sisi kiri.', extra: true }, 400],
      [{ answer: 'Sisi kiri.', photos: [{ id: 'bukan-uuid' }] }, 400],
      [{ answer: 'Sisi kiri.', photos: [{ id: other.id }] }, 400], // someone else's upload, no token
    ];
    for (const [body, status] of cases) {
      expect((await cite(null, c.trackingCode, 'provide-info', body, c.accessToken)).statusCode, JSON.stringify(body)).toBe(status);
    }
    expect(await counts(t)).toEqual(asked);
    expect((await row(c.id)).status).toBe('needs_info');
    // An anonymous reporter's own upload (with its token) is accepted.
    const mine = await uploadPhoto(t);
    const ok = await cite(null, c.trackingCode, 'provide-info', { answer: 'Sisi kiri.', photos: [mine] }, c.accessToken);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().photoIds).toContain(mine.id);
  });

  it('withdraws only before verification and only with the right token', async () => {
    const c = await submit();
    const before = await counts(t);
    expect((await cite(null, c.trackingCode, 'withdraw', {})).statusCode).toBe(404);
    expect((await cite(null, c.trackingCode, 'withdraw', {}, 'A'.repeat(43))).statusCode).toBe(404);
    expect((await cite(citizen, c.trackingCode, 'withdraw', {})).statusCode).toBe(404);
    expect((await cite(null, 'ADU-0000-0000-0000', 'withdraw', {}, c.accessToken)).statusCode).toBe(404);
    expect(await counts(t)).toEqual(before);
    const res = await cite(null, c.trackingCode, 'withdraw', { reason: 'Sudah diperbaiki warga sendiri.' }, c.accessToken);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'withdrawn', dueAt: null });
    const late = await disposed();
    const mid = await counts(t);
    const refused = await cite(null, late.trackingCode, 'withdraw', {}, late.accessToken);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('complaint.transition_invalid');
    expect(await counts(t)).toEqual(mid);
  });

  it('closes, rates once, and refuses bad ratings; reopening works within 7 days only', async () => {
    const proofOf = async () => ({ id: (await uploadPhoto(t, { session: lalin })).id });
    const c = await disposed(citizen);
    await act(lalin, c.id, 'resolve', { answer: 'Lubang sudah ditambal dan dipadatkan.', proofPhotos: [await proofOf()] });
    // Rating before closing is refused.
    expect((await cite(citizen, c.trackingCode, 'rate', { score: 5 })).statusCode).toBe(409);
    const closed = await cite(citizen, c.trackingCode, 'close', {});
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().status).toBe('closed');
    const before = await counts(t);
    for (const body of [{ score: 0 }, { score: 6 }, { score: 4.5 }, {}, { score: 5, comment: 'x'.repeat(1001) }, { score: 5, stars: 5 }]) {
      expect((await cite(citizen, c.trackingCode, 'rate', body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await cite(null, c.trackingCode, 'rate', { score: 5 })).statusCode).toBe(404);
    expect(await counts(t)).toEqual(before);
    const rated = await cite(citizen, c.trackingCode, 'rate', { score: 4, comment: 'Cepat, terima kasih.' });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json().rating).toEqual({ score: 4, comment: 'Cepat, terima kasih.' });
    expect((await call(t, admin, 'GET', `/api/v1/complaints/${c.id}`)).json().rating).toEqual({ score: 4, comment: 'Cepat, terima kasih.' });
    const again = await cite(citizen, c.trackingCode, 'rate', { score: 1 });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('complaints.already_rated');
    expect((await cite(citizen, c.trackingCode, 'reopen', { reason: 'Sudah ditutup tetapi rusak lagi.' })).statusCode).toBe(409);

    // Reopen: within 7 days yes, after no.
    const r = await disposed(null, { reporter: { email: 'pelapor@example.com' } });
    await act(lalin, r.id, 'resolve', { answer: 'Lubang sudah ditambal dan dipadatkan.', proofPhotos: [await proofOf()] });
    await advance(6 * 24 * 3600 * 1000);
    expect((await cite(null, r.trackingCode, 'reopen', { reason: 'pendek' }, r.accessToken)).statusCode).toBe(400);
    const reopened = await cite(null, r.trackingCode, 'reopen', { reason: 'Tambalan sudah lepas lagi setelah hujan.' }, r.accessToken);
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'reopened', dueAt: expect.any(String) });
    expect((await act(lalin, r.id, 'start')).statusCode).toBe(200);
    await act(lalin, r.id, 'resolve', { answer: 'Ditambal ulang dengan beton.', proofPhotos: [await proofOf()] });
    await advance(7 * 24 * 3600 * 1000 + 60_000);
    const mid = await counts(t);
    const expired = await cite(null, r.trackingCode, 'reopen', { reason: 'Tambalan sudah lepas lagi setelah hujan.' }, r.accessToken);
    expect(expired.statusCode).toBe(409);
    expect(expired.json().code).toBe('complaints.reopen_expired');
    expect(await counts(t)).toEqual(mid);
  });
});

describe('notifications to the reporter', () => {
  it('tells a signed-in reporter in-app and by e-mail, an anonymous one by e-mail, and nobody else', async () => {
    const notices = async () => (await t.db.query<{ user_id: string; title: string }>('SELECT user_id, title FROM notifications ORDER BY created_at, id')) as { user_id: string; title: string }[];
    const mails = async () => await t.db.query<{ to_address: string; subject: string }>('SELECT * FROM email_outbox ORDER BY created_at, id');
    const [me] = await t.db.query<{ id: string }>("SELECT id FROM users WHERE email = 'warga@example.com'");
    const n0 = (await notices()).length;
    const m0 = (await mails()).length;
    const mine = await disposed(citizen);
    const added = (await notices()).slice(n0);
    expect(added.length).toBe(2); // verified, disposed
    expect(added.every((n) => n.user_id === me.id)).toBe(true);
    expect(added[0].title).toContain(mine.trackingCode);
    const mailed = (await mails()).slice(m0) as Record<string, unknown>[];
    expect(mailed).toHaveLength(2);
    expect(mailed.every((m) => Object.values(m).includes('warga@example.com'))).toBe(true);

    const n1 = (await notices()).length;
    const m1 = (await mails()).length;
    await disposed(null, { reporter: { name: 'Daeng Ngemba', email: 'ngemba@example.com' } });
    await disposed(null); // no address: nobody to tell
    expect((await notices()).length).toBe(n1);
    const anon = (await mails()).slice(m1) as Record<string, unknown>[];
    expect(anon).toHaveLength(2);
    expect(anon.every((m) => Object.values(m).includes('ngemba@example.com'))).toBe(true);

    // The reporter's own moves are not echoed back.
    const m2 = (await mails()).length;
    const w = await submit(null, { reporter: { email: 'ngemba@example.com' } });
    await cite(null, w.trackingCode, 'withdraw', {}, w.accessToken);
    expect((await mails()).length).toBe(m2);
  });
});

describe('my reports', () => {
  it('lists the signed-in resident’s reports newest first with cursor pages', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1000);
      ids.push((await submit(citizen)).id);
    }
    await submit(); // someone else's
    const res = await call(t, citizen, 'GET', '/api/v1/me/complaints?limit=100');
    expect(res.statusCode, res.body).toBe(200);
    const all = res.json().items.map((i: { id: string }) => i.id);
    expect(all.slice(0, 3)).toEqual([...ids].reverse());
    const [{ n }] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM complaints c JOIN users u ON u.id = c.reporter_user_id WHERE u.email = 'warga@example.com'");
    expect(all).toHaveLength(n);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (await call(t, citizen, 'GET', `/api/v1/me/complaints?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      walked.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all);
    expect((await call(t, null, 'GET', '/api/v1/me/complaints')).statusCode).toBe(401);
    expect((await call(t, admin, 'GET', '/api/v1/me/complaints')).json().items).toEqual([]);
    expect((await call(t, citizen, 'GET', '/api/v1/me/complaints?cursor=bm90LWEtY3Vyc29y')).statusCode).toBe(400);
  });
});
