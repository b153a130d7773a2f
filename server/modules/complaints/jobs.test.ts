import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../test/support/app.js';
import type { Tenant } from '../../platform/tenancy/tenants.js';
import { tenants } from '../../platform/tenancy/schema.js';
import { nearestHolders, sweepDeadlines } from './jobs.js';
import { call, categoryId, nextIp, roadReport, unitId, uploadPhoto } from './testSupport.js';

/**
 * The deadline sweep: the assignee is warned at 80 % of a stage's working hours, the unit head gets
 * the escalation at 100 %, unconfirmed resolutions close after the tenant's days; a new stage starts
 * with a clean slate, the needs-information pause moves the warning, and nothing happens twice.
 * Makassar's calendar: Asia/Makassar, 08:00–16:00, Monday–Friday.
 */
let t: TestApp;
let dataDir: string;
let desk: Session;
let lalin: Session;
let kadis: Session;
let citizen: Session;
let trafficLights: string;
let dishubLl: string;
let allTenants: Tenant[];

const KADIS = 'kadis.perhubungan@makassarkota.go.id';
const wita = (local: string) => new Date(`${local}+08:00`);

async function signIn(): Promise<void> {
  desk = await t.login('pengaduan@makassarkota.go.id');
  lalin = await t.login('staf.lalulintas@makassarkota.go.id');
  kadis = await t.login(KADIS);
  citizen = await t.login(DEMO.citizen);
}

async function setClock(local: string): Promise<void> {
  t.clock.set(wita(local));
  await signIn();
}

const sweep = () => sweepDeadlines({ db: t.db, clock: t.clock, tenants: async () => allTenants });
const act = (s: Session, id: string, action: string, body: unknown = {}) => call(t, s, 'POST', `/api/v1/complaints/${id}/${action}`, body);

async function row(id: string) {
  const [r] = await t.db.query<{ status: string; due_at: string | Date | null; warn_at: string | Date | null; warned_at: unknown; escalated_at: unknown }>(
    'SELECT status, due_at, warn_at, warned_at, escalated_at FROM complaints WHERE id = $1',
    [id],
  );
  const iso = (v: string | Date | null) => (v ? new Date(v).toISOString() : null);
  return { status: r.status, due: iso(r.due_at), warnAt: iso(r.warn_at), warned: r.warned_at != null, escalated: r.escalated_at != null };
}

/** Notifications of one kind about one report, by recipient e-mail. */
async function noticed(kind: string, trackingCode: string): Promise<string[]> {
  const rows = await t.db.query<{ email: string }>(
    `SELECT u.email FROM notifications n JOIN users u ON u.tenant_id = n.tenant_id AND u.id = n.user_id
      WHERE n.kind = $1 AND n.title LIKE '%' || $2 || '%' ORDER BY u.email`,
    [kind, trackingCode],
  );
  return rows.map((r) => r.email);
}

async function timeline(id: string): Promise<{ action: string; internal: boolean; actor_kind: string }[]> {
  return t.db.query('SELECT action, internal, actor_kind FROM complaint_events WHERE complaint_id = $1 ORDER BY at, id', [id]);
}

async function submit(): Promise<{ id: string; trackingCode: string; accessToken: string }> {
  const res = await call(t, null, 'POST', '/api/v1/complaints', roadReport(trafficLights, { attributes: {}, description: 'Lampu lalu lintas di simpang empat mati total sejak pagi, rawan tabrakan.' }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'complaints-jobs-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir } });
  trafficLights = await categoryId(t, 'Lampu lalu lintas mati');
  dishubLl = await unitId(t, 'DISHUB-LL');
  allTenants = await t.db.orm.select().from(tenants);
  await setClock('2026-12-01T09:00:00');
  // Start from a quiet city: whatever the demo data had due is swept now.
  t.clock.set(wita('2027-06-01T09:00:00'));
  await sweep();
  await setClock('2026-12-01T09:00:00');
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('warning and escalation', () => {
  it('warns the triage desk at 80 % of verification and escalates to the heads above the desk at 100 %', async () => {
    await setClock('2026-12-01T09:00:00'); // Tuesday; verification allowance 2 h
    const c = await submit();
    expect(await row(c.id)).toMatchObject({ due: wita('2026-12-01T11:00:00').toISOString(), warnAt: wita('2026-12-01T10:36:00').toISOString(), warned: false });

    await setClock('2026-12-01T10:30:00');
    await sweep();
    expect(await row(c.id)).toMatchObject({ warned: false, escalated: false });

    await setClock('2026-12-01T10:40:00');
    await Promise.all([sweep(), sweep()]); // two workers at once: one warning
    expect(await row(c.id)).toMatchObject({ warned: true, warnAt: null, escalated: false });
    expect(await noticed('complaint.deadline_warning', c.trackingCode)).toEqual([DEMO.admin, 'pengaduan@makassarkota.go.id']);
    await sweep();
    expect(await noticed('complaint.deadline_warning', c.trackingCode)).toHaveLength(2);

    // Not escalated before the due time, escalated once after it.
    await setClock('2026-12-01T10:59:00');
    await sweep();
    expect((await row(c.id)).escalated).toBe(false);
    await setClock('2026-12-01T11:01:00');
    await Promise.all([sweep(), sweep()]);
    expect((await row(c.id)).escalated).toBe(true);
    // The desk is granted on the city (PEMDA): the heads there are the city's administrators.
    expect(await noticed('complaint.escalated', c.trackingCode)).toEqual([DEMO.admin]);
    expect((await timeline(c.id)).filter((e) => e.actor_kind === 'system').map((e) => [e.action, e.internal])).toEqual([
      ['deadline_warning', true],
      ['escalate', true],
    ]);
    // The public never sees the internal entries.
    const pub = await call(t, null, 'GET', `/api/v1/complaints/track/${c.trackingCode}`);
    expect(JSON.stringify(pub.json())).not.toMatch(/escalate|deadline_warning/);

    // Inbox: flag, badge data and filter.
    const escalatedIds = async (s: Session) => (await call(t, s, 'GET', '/api/v1/complaints?escalated=true&limit=100')).json().items.map((i: { id: string }) => i.id);
    expect(await escalatedIds(desk)).toContain(c.id);
    const detail = (await call(t, desk, 'GET', `/api/v1/complaints/${c.id}`)).json();
    expect(detail).toMatchObject({ overdue: true, escalatedAt: wita('2026-12-01T11:01:00').toISOString() });
    expect(detail.warnedAt).toBe(wita('2026-12-01T10:40:00').toISOString());
    expect((await call(t, desk, 'GET', '/api/v1/complaints?escalated=maybe')).statusCode).toBe(400);

    // Verification is a new stage: a clean slate.
    expect((await act(desk, c.id, 'verify')).statusCode).toBe(200);
    expect(await row(c.id)).toMatchObject({ status: 'verified', warned: false, escalated: false, warnAt: wita('2026-12-01T12:37:00').toISOString() });
    expect(await escalatedIds(desk)).not.toContain(c.id);
  });

  it('warns the unit’s handlers and escalates to the closest unit head during resolution', async () => {
    await setClock('2026-12-01T09:00:00');
    const c = await submit();
    await act(desk, c.id, 'verify');
    const disp = await act(desk, c.id, 'dispose', { unitId: dishubLl });
    expect(disp.statusCode, disp.body).toBe(200);
    // Resolution 16 h: Tuesday 09–16 (7 h), Wednesday (8 h), Thursday 08–09; warning after 12.8 h.
    expect(await row(c.id)).toMatchObject({ due: wita('2026-12-03T09:00:00').toISOString(), warnAt: wita('2026-12-02T13:48:00').toISOString() });
    await setClock('2026-12-02T14:00:00');
    await sweep();
    // Syamsul (Bidang Lalu Lintas) is closer than the kepala dinas and the city's administrators.
    expect(await noticed('complaint.deadline_warning', c.trackingCode)).toEqual(['staf.lalulintas@makassarkota.go.id']);
    await setClock('2026-12-03T09:30:00');
    await sweep();
    expect(await noticed('complaint.escalated', c.trackingCode)).toEqual([KADIS]);
    // The kepala dinas sees the escalated report in his inbox and may act on it as a handler.
    const inbox = (await call(t, kadis, 'GET', '/api/v1/complaints?escalated=true&limit=100')).json();
    expect(inbox.items.map((i: { id: string }) => i.id)).toContain(c.id);
    expect((await act(kadis, c.id, 'start')).statusCode).toBe(200);
    // Starting keeps the stage (and its escalation); a re-disposition restarts it.
    expect(await row(c.id)).toMatchObject({ status: 'in_progress', escalated: true });
    expect((await act(desk, c.id, 'dispose', { unitId: dishubLl, note: 'Ditangani ulang oleh tim malam.' })).statusCode).toBe(200);
    expect(await row(c.id)).toMatchObject({ status: 'disposed', escalated: false, warned: false });
  });

  it('moves the warning with the needs-information pause and does not warn a paused report', async () => {
    await setClock('2026-12-01T09:00:00');
    const c = await submit();
    await act(desk, c.id, 'verify');
    await act(desk, c.id, 'dispose', { unitId: dishubLl });
    await setClock('2026-12-01T10:00:00'); // 1 h used, 15 h left
    expect((await act(lalin, c.id, 'request-info', { question: 'Simpang yang mana, dekat apa?' })).statusCode).toBe(200);
    expect(await row(c.id)).toMatchObject({ status: 'needs_info', due: null, warnAt: null });
    await setClock('2026-12-08T10:00:00');
    await sweep();
    expect(await row(c.id)).toMatchObject({ warned: false, escalated: false });
    const answered = await t.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/track/${c.trackingCode}/provide-info`,
      headers: { 'x-complaint-token': c.accessToken },
      payload: { answer: 'Simpang Jl. Veteran dan Jl. Bandang, dekat pasar.' },
      remoteAddress: nextIp(),
    });
    expect(answered.statusCode, answered.body).toBe(200);
    // 15 h left from Tuesday 10:00: due Thursday 09:00; warning when 3.2 h are left (11.8 h on).
    expect(await row(c.id)).toMatchObject({ due: wita('2026-12-10T09:00:00').toISOString(), warnAt: wita('2026-12-09T13:48:00').toISOString() });
  });
});

describe('automatic closing', () => {
  it('closes a resolution the reporter did not confirm after the tenant’s days, as the system, and tells the reporter', async () => {
    await setClock('2026-12-01T09:00:00');
    const res = await call(t, citizen, 'POST', '/api/v1/complaints', roadReport(trafficLights, { attributes: {}, description: 'Lampu merah di depan kampus tidak menyala sejak semalam.' }));
    const c = res.json();
    await act(desk, c.id, 'verify');
    await act(desk, c.id, 'dispose', { unitId: dishubLl });
    const proof = await uploadPhoto(t, { session: lalin });
    expect((await act(lalin, c.id, 'resolve', { answer: 'Modul lampu sudah diganti, lampu menyala normal.', proofPhotos: [{ id: proof.id }] })).statusCode).toBe(200);
    await setClock('2026-12-08T08:59:00'); // 7 days less a minute
    await sweep();
    expect((await row(c.id)).status).toBe('resolved');
    await setClock('2026-12-08T09:01:00');
    await Promise.all([sweep(), sweep()]);
    expect((await row(c.id)).status).toBe('closed');
    const closes = (await timeline(c.id)).filter((e) => e.action === 'close');
    expect(closes).toEqual([{ action: 'close', internal: false, actor_kind: 'system' }]);
    const mine = (await call(t, citizen, 'GET', '/api/v1/me/complaints?limit=100')).json();
    expect(mine.items.find((i: { id: string }) => i.id === c.id).status).toBe('closed');
    expect(await t.db.query("SELECT 1 FROM notifications WHERE kind = 'complaint.status_changed' AND title LIKE $1", [`%${c.trackingCode}%ditutup%`])).toHaveLength(1);
    const [audit] = await t.db.query<{ data: { automatic: boolean; afterDays: number } }>("SELECT data FROM audit_events WHERE action = 'complaint.close' AND entity_id = $1", [c.id]);
    expect(audit.data).toMatchObject({ automatic: true, afterDays: 7 });
  });

  it('follows the tenant’s setting', async () => {
    await t.db.query("UPDATE complaint_settings SET auto_close_days = 3 WHERE tenant_id = (SELECT id FROM tenants WHERE slug = 'makassar')");
    await setClock('2026-12-01T09:00:00');
    const c = await submit();
    await act(desk, c.id, 'verify');
    await act(desk, c.id, 'dispose', { unitId: dishubLl });
    const proof = await uploadPhoto(t, { session: lalin });
    await act(lalin, c.id, 'resolve', { answer: 'Sudah diperbaiki petugas.', proofPhotos: [{ id: proof.id }] });
    await setClock('2026-12-04T09:01:00');
    await sweep();
    expect((await row(c.id)).status).toBe('closed');
    await t.db.query("UPDATE complaint_settings SET auto_close_days = 7 WHERE tenant_id = (SELECT id FROM tenants WHERE slug = 'makassar')");
  });
});

describe('nearestHolders', () => {
  const h = (user_id: string, unit_id: string, depth: number) => ({ user_id, unit_id, depth });
  it('picks the grants closest to the unit on its path, ignoring other branches', () => {
    const list = [h('admin', 'root', 1), h('kadis', 'dishub', 2), h('kabid', 'll', 3), h('other', 'dpu', 2)];
    expect(nearestHolders(list, ['root', 'dishub', 'll'])).toEqual(['kabid']);
    expect(nearestHolders(list, ['root', 'dishub', 'angkutan'])).toEqual(['kadis']);
    expect(nearestHolders(list, ['root', 'dlh'])).toEqual(['admin']);
    expect(nearestHolders(list, ['elsewhere'])).toEqual([]);
  });
});
