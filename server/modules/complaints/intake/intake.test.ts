import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../test/support/app.js';
import * as S from '../../../platform/files/testSamples.js';
import { isTrackingCode } from '../../../platform/numbering/format.js';
import { UPLOAD_RATE_PER_API_KEY, UPLOAD_RATE_PER_MINUTE } from '../../../platform/files/routes.js';
import { call, categoryId, counts, nextIp, unitId, uploadPhoto } from '../testSupport.js';
import { INTAKE_RATE_PER_API_KEY } from './routes.js';

let t: TestApp;
let dataDir: string;
let admin: Session;
let desk: Session;
let handler: Session;
let citizen: Session;
let tpiAdmin: Session;
let road: string;
let intakeKey: string;
let uploadOnlyKey: string;

const OFFICER = 'pengaduan@makassarkota.go.id';

async function intakeCounts(): Promise<Record<string, number>> {
  const base = await counts(t);
  base.complaint_intake = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM complaint_intake'))[0].n;
  base.handled = (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM complaint_intake WHERE status <> 'pending'"))[0].n;
  return base;
}

function deliver(channel: string, body: unknown, o: { key?: string | null; session?: Session; headers?: Record<string, string>; prefix?: string } = {}) {
  const headers: Record<string, string> = { ...o.headers };
  const key = o.key === undefined ? intakeKey : o.key;
  if (key) headers.authorization = `Bearer ${key}`;
  if (o.session) Object.assign(headers, { cookie: o.session.cookie, 'x-csrf-token': o.session.csrf });
  return t.app.inject({ method: 'POST', url: `${o.prefix ?? ''}/api/v1/intake/${channel}`, headers, payload: body as object, remoteAddress: nextIp() });
}

async function uploadWithKey(key: string, pdf = false): Promise<string> {
  const parts: S.Part[] = pdf
    ? [{ name: 'file', filename: 'surat.pdf', data: S.buildPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']) }]
    : [{ name: 'file', filename: 'wa.png', data: await S.png() }];
  const { payload, headers } = S.multipart(parts);
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/files', payload, headers: { ...headers, authorization: `Bearer ${key}` }, remoteAddress: nextIp() });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const message = (extra: Record<string, unknown> = {}) => ({
  text: 'Pak, lampu jalan di Jl. Dg. Tata mati sudah 3 malam, gelap sekali.',
  sender: { name: 'Daeng Sikki', phone: '+62 812-3456-7411' },
  ...extra,
});

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'complaints-intake-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir } });
  admin = await t.login(DEMO.admin);
  desk = await t.login(OFFICER);
  handler = await t.login('staf.lalulintas@makassarkota.go.id');
  citizen = await t.login(DEMO.citizen);
  tpiAdmin = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
  road = await categoryId(t, 'Jalan rusak/berlubang');
  const k1 = await t.request(admin, 'POST', '/api/v1/admin/api-keys', { name: 'Gateway WhatsApp', permissions: ['complaints.intake', 'files.upload'] });
  expect(k1.statusCode, k1.body).toBe(201);
  intakeKey = k1.json().key;
  const k2 = await t.request(admin, 'POST', '/api/v1/admin/api-keys', { name: 'Unggah saja', permissions: ['files.upload'] });
  uploadOnlyKey = k2.json().key;
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('POST /api/v1/intake/:channel', () => {
  it('accepts an API key with complaints.intake only: no key 401, wrong key 401, key without the permission 403, a session 403', async () => {
    const before = await intakeCounts();
    expect((await deliver('whatsapp', message(), { key: null })).statusCode).toBe(401);
    expect((await deliver('whatsapp', message(), { key: `bk_${intakeKey.slice(3, 11)}_${'A'.repeat(43)}` })).statusCode).toBe(401);
    expect((await deliver('whatsapp', message(), { key: uploadOnlyKey })).statusCode).toBe(403);
    const asAdmin = await deliver('whatsapp', message(), { key: null, session: admin });
    expect(asAdmin.statusCode, asAdmin.body).toBe(403);
    expect(asAdmin.json().code).toBe('complaints.intake_api_key_only');
    expect((await deliver('whatsapp', message(), { key: null, session: desk })).statusCode).toBe(403);
    // A Makassar key is unknown to Tanjungpinang.
    expect((await deliver('whatsapp', message(), { prefix: '/t/tanjungpinang' })).statusCode).toBe(401);
    expect(await intakeCounts()).toEqual(before);
  });

  it('refuses bad input with 400 and writes nothing', async () => {
    const pdf = await uploadWithKey(intakeKey, true);
    const other = await uploadPhoto(t, { session: admin });
    const before = await intakeCounts();
    const cases: [string, unknown][] = [
      ['telegram', message()],
      ['whatsapp', message({ text: '   ' })],
      ['whatsapp', message({ text: 'x'.repeat(4001) })],
      ['whatsapp', { sender: {} }],
      ['whatsapp', message({ location: { lat: 200, lng: 119.4 } })],
      ['whatsapp', message({ sender: { phone: 'not a phone' } })],
      ['whatsapp', message({ media: [{ id: pdf }] })],
      ['whatsapp', message({ media: [{ id: other.id }] })],
      ['whatsapp', message({ media: Array.from({ length: 6 }, () => ({ id: pdf })) })],
      ['whatsapp', message({ mediaUrl: 'https://example.com/a.jpg' })],
    ];
    for (const [channel, body] of cases) {
      const res = await deliver(channel, body);
      expect(res.statusCode, `${channel} ${JSON.stringify(body).slice(0, 80)} → ${res.body}`).toBe(400);
    }
    expect(await intakeCounts()).toEqual(before);
  });

  let first: { id: string };
  it('queues a message with its images: 201, audited, event without personal data', async () => {
    const img = await uploadWithKey(intakeKey);
    const before = await intakeCounts();
    const res = await deliver('whatsapp', message({ externalId: 'wamid.HBgM001', media: [{ id: img }], location: { lat: -5.1689, lng: 119.4102 }, address: 'Jl. Dg. Tata Raya' }));
    expect(res.statusCode, res.body).toBe(201);
    first = res.json();
    expect(first).toMatchObject({ channel: 'whatsapp', externalId: 'wamid.HBgM001', status: 'pending', duplicate: false, complaint: null });
    const after = await intakeCounts();
    expect(after.complaint_intake - before.complaint_intake).toBe(1);
    expect(after.claimed_files - before.claimed_files).toBe(1);
    expect(after.complaints).toBe(before.complaints);
    const [row] = await t.db.query<any>('SELECT sender, media, lat, status, api_key_id FROM complaint_intake WHERE id = $1', [first.id]);
    expect(row.sender).toEqual({ name: 'Daeng Sikki', phone: '6281234567411' });
    expect(row.media).toEqual([{ id: img, mime: expect.stringMatching(/^image\//) }]);
    expect(row.api_key_id).not.toBeNull();
    const [file] = await t.db.query<any>('SELECT purpose FROM files WHERE id = $1', [img]);
    expect(file.purpose).toBe('complaint.intake_media');
    const [audit] = await t.db.query<any>("SELECT actor_kind, data FROM audit_events WHERE action = 'complaint.intake_received' AND entity_id = $1", [first.id]);
    expect(audit.actor_kind).toBe('apikey');
    const [event] = await t.db.query<any>("SELECT payload FROM domain_events WHERE type = 'complaint.intake_received' AND aggregate_id = $1", [first.id]);
    expect(JSON.stringify(event.payload)).not.toMatch(/Sikki|6281234567411|lampu/);
  });

  it('returns the first item (200) for a repeat delivery of the same external id and writes nothing; another channel is another message', async () => {
    const before = await intakeCounts();
    const again = await deliver('whatsapp', message({ externalId: 'wamid.HBgM001', text: 'isi lain' }));
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: first.id, duplicate: true, status: 'pending' });
    expect(await intakeCounts()).toEqual(before);
    const sms = await deliver('sms', message({ externalId: 'wamid.HBgM001' }));
    expect(sms.statusCode).toBe(201);
    expect(sms.json().id).not.toBe(first.id);
  });

  it('honours Idempotency-Key: a retry replays, another body with the key is refused', async () => {
    const headers = { 'idempotency-key': 'a7d1c7a2-intake-1' };
    const one = await deliver('instagram', message({ sender: { handle: '@warga_mks' } }), { headers });
    expect(one.statusCode).toBe(201);
    const before = await intakeCounts();
    const two = await deliver('instagram', message({ sender: { handle: '@warga_mks' } }), { headers });
    expect(two.statusCode).toBe(201);
    expect(two.headers['idempotent-replayed']).toBe('true');
    expect(two.json().id).toBe(one.json().id);
    expect((await deliver('instagram', message({ text: 'lain' }), { headers })).statusCode).toBe(422);
    expect(await intakeCounts()).toEqual(before);
  });
});

describe('budgets per API key', () => {
  const newKey = async (name: string) => {
    const res = await t.request(admin, 'POST', '/api/v1/admin/api-keys', { name, permissions: ['complaints.intake', 'files.upload'] });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().key as string;
  };

  it(`takes ${INTAKE_RATE_PER_API_KEY} messages a minute per key, from any address; the key's next is 429 and another key goes on`, async () => {
    const busy = await newKey('Gateway sibuk');
    // Bad bodies answer fast (400) and count as deliveries all the same.
    for (let i = 0; i < INTAKE_RATE_PER_API_KEY; i++) expect((await deliver('whatsapp', { text: '' }, { key: busy })).statusCode).toBe(400);
    const before = await intakeCounts();
    const limited = await deliver('whatsapp', message({ externalId: 'wamid.limit-1' }), { key: busy });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(await intakeCounts()).toEqual(before);
    expect((await deliver('whatsapp', message({ externalId: 'wamid.limit-2' }), { key: await newKey('Gateway lain') })).statusCode).toBe(201);
  });

  it(`takes ${UPLOAD_RATE_PER_API_KEY} uploads a minute per key (not the ${UPLOAD_RATE_PER_MINUTE} of one address), then 429`, async () => {
    const key = await newKey('Gateway foto');
    const ip = '10.78.0.1';
    const empty = () =>
      t.app.inject({ method: 'POST', url: '/api/v1/files', payload: 'x', headers: { 'content-type': 'text/plain', authorization: `Bearer ${key}` }, remoteAddress: ip });
    // One address, far beyond an address's budget: the key's own budget applies.
    for (let i = 0; i < UPLOAD_RATE_PER_API_KEY; i++) expect((await empty()).statusCode).toBe(415);
    const limited = await empty();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    // The key is limited from every address; the address itself is not.
    const other = await t.app.inject({ method: 'POST', url: '/api/v1/files', payload: 'x', headers: { 'content-type': 'text/plain', authorization: `Bearer ${key}` }, remoteAddress: '10.78.0.2' });
    expect(other.statusCode).toBe(429);
    expect((await uploadWithKey(await newKey('Gateway foto 2'))).length).toBeGreaterThan(0);
  });
});

describe('triage queue', () => {
  let itemId: string;
  let imageId: string;
  beforeAll(async () => {
    imageId = await uploadWithKey(intakeKey);
    const res = await deliver('facebook', message({ externalId: 'fb-777', media: [{ id: imageId }], sender: { name: 'Ibu Mira', phone: '081234567412' } }));
    itemId = res.json().id;
  });

  it('lists received messages for the triage desk, masked, filtered, paginated; others are refused', async () => {
    const res = await call(t, desk, 'GET', '/api/v1/complaints/intake?status=pending&limit=2');
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    expect(page.items.length).toBe(2);
    expect(page.nextCursor).toBeTruthy();
    expect(page.items[0].id).toBe(itemId);
    expect(page.items[0].sender.phone).toBe('6281******412');
    const next = (await call(t, desk, 'GET', `/api/v1/complaints/intake?status=pending&limit=2&cursor=${page.nextCursor}`)).json();
    expect(next.items.map((i: any) => i.id)).not.toContain(itemId);
    const fb = (await call(t, desk, 'GET', '/api/v1/complaints/intake?channel=facebook')).json();
    expect(fb.items.map((i: any) => i.channel)).toEqual(['facebook']);
    expect((await call(t, handler, 'GET', '/api/v1/complaints/intake')).statusCode).toBe(403);
    expect((await call(t, citizen, 'GET', '/api/v1/complaints/intake')).statusCode).toBe(403);
    expect((await call(t, desk, 'GET', '/api/v1/complaints/intake?channel=telegram')).statusCode).toBe(400);
  });

  it('shows the detail masked to the officer, unmasked and audited to personal_data.read; the officer may view the images', async () => {
    const masked = (await call(t, desk, 'GET', `/api/v1/complaints/intake/${itemId}`)).json();
    expect(masked).toMatchObject({ unmasked: false, sender: { name: 'Ibu Mira', phone: '6281******412' }, media: [{ id: imageId }] });
    const img = await t.app.inject({ method: 'GET', url: `/api/v1/files/${imageId}`, headers: { cookie: desk.cookie } });
    expect(img.statusCode).toBe(200);
    const asCitizen = await t.app.inject({ method: 'GET', url: `/api/v1/files/${imageId}`, headers: { cookie: citizen.cookie } });
    expect(asCitizen.statusCode).toBe(404);
    const before = (await t.db.query<any>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'complaint.intake_sender_viewed'"))[0].n;
    const full = (await call(t, admin, 'GET', `/api/v1/complaints/intake/${itemId}`)).json();
    expect(full.sender.phone).toBe('6281234567412');
    const after = (await t.db.query<any>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'complaint.intake_sender_viewed'"))[0].n;
    expect(after).toBe(before + 1);
  });

  it('refuses a bad conversion with 400 and writes nothing', async () => {
    const before = await intakeCounts();
    const bad = [
      { categoryId: road, description: 'pendek', regionCode: '73.71.10.1004', attributes: { jenis_kerusakan: 'lubang' } },
      { categoryId: road, description: 'Jalan berlubang besar di depan pasar, bahaya.', attributes: { jenis_kerusakan: 'lubang' } },
      { categoryId: road, description: 'Jalan berlubang besar di depan pasar, bahaya.', regionCode: '21.72.01', attributes: { jenis_kerusakan: 'lubang' } },
      { categoryId: road, description: 'Jalan berlubang besar di depan pasar, bahaya.', regionCode: '73.71.10.1004', attributes: { jenis_kerusakan: 'lubang' }, mediaIds: ['01900000-0000-7000-8000-000000000000'] },
    ];
    for (const body of bad) {
      const res = await call(t, desk, 'POST', `/api/v1/complaints/intake/${itemId}/convert`, body);
      expect(res.statusCode, res.body).toBe(400);
    }
    expect(await intakeCounts()).toEqual(before);
  });

  let trackingCode: string;
  it('converts a message into a routed, audited report with the channel, the sender as reporter and the images as photos', async () => {
    const before = await intakeCounts();
    const res = await call(t, desk, 'POST', `/api/v1/complaints/intake/${itemId}/convert`, {
      categoryId: road,
      description: 'Jalan berlubang besar di depan pasar Mangasa, sudah ada motor jatuh (laporan via Facebook).',
      regionCode: '73.71.10.1004',
      attributes: { jenis_kerusakan: 'lubang' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    trackingCode = body.trackingCode;
    expect(isTrackingCode(body.trackingCode, 'ADU', 3)).toBe(true);
    const after = await intakeCounts();
    expect(after.complaints - before.complaints).toBe(1);
    expect(after.complaint_photos - before.complaint_photos).toBe(1);
    expect(after.handled - before.handled).toBe(1);
    const [c] = await t.db.query<any>('SELECT channel, unit_id, reporter_name, reporter_phone, reporter_user_id, status FROM complaints WHERE id = $1', [body.id]);
    expect(c).toMatchObject({ channel: 'facebook', unit_id: await unitId(t, 'DPU-BM'), reporter_name: 'Ibu Mira', reporter_phone: '6281234567412', reporter_user_id: null, status: 'submitted' });
    const [item] = await t.db.query<any>('SELECT status, complaint_id, handled_by FROM complaint_intake WHERE id = $1', [itemId]);
    expect(item).toEqual({ status: 'converted', complaint_id: body.id, handled_by: desk.userId });
    const [file] = await t.db.query<any>('SELECT purpose FROM files WHERE id = $1', [imageId]);
    expect(file.purpose).toBe('complaint.photo');
    const [ev] = await t.db.query<any>("SELECT actor_kind, actor_user_id FROM complaint_events WHERE complaint_id = $1 AND action = 'submit'", [body.id]);
    expect(ev).toEqual({ actor_kind: 'triage', actor_user_id: desk.userId });
    const audits = await t.db.query<any>("SELECT action, actor_id FROM audit_events WHERE (entity_id = $1 OR entity_id = $2) AND action LIKE 'complaint.%' ORDER BY occurred_at, id", [body.id, itemId]);
    expect(audits.map((a: any) => a.action)).toEqual(expect.arrayContaining(['complaint.submitted', 'complaint.intake_converted']));
    expect(audits.filter((a: any) => a.action === 'complaint.submitted' || a.action === 'complaint.intake_converted').map((a: any) => a.actor_id)).toEqual([desk.userId, desk.userId]);
    // The webhook's repeat delivery now tells the gateway the tracking code.
    const again = await deliver('facebook', message({ externalId: 'fb-777' }));
    expect(again.json()).toMatchObject({ status: 'converted', complaint: { id: body.id, trackingCode } });
    // The staff detail shows the report with its photo; the officer may open it.
    const detail = await call(t, desk, 'GET', `/api/v1/complaints/${body.id}`);
    expect(detail.json().photos).toEqual([{ id: imageId, hidden: false }]);
  });

  it('refuses a second conversion or a discard with 409 and writes nothing', async () => {
    const before = await intakeCounts();
    const again = await call(t, desk, 'POST', `/api/v1/complaints/intake/${itemId}/convert`, {
      categoryId: road,
      description: 'Jalan berlubang besar di depan pasar Mangasa, sudah ada motor jatuh.',
      regionCode: '73.71.10.1004',
      attributes: { jenis_kerusakan: 'lubang' },
    });
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().code).toBe('complaints.intake_handled');
    expect((await call(t, desk, 'POST', `/api/v1/complaints/intake/${itemId}/discard`, { reason: 'dobel' })).statusCode).toBe(409);
    expect(await intakeCounts()).toEqual(before);
  });

  it('discards a message with a reason, audited; then it cannot be converted', async () => {
    const res = await deliver('twitter', message({ externalId: 'tw-1', text: 'promo pulsa murah!!!', sender: { handle: '@promo' } }));
    const id = res.json().id;
    expect((await call(t, desk, 'POST', `/api/v1/complaints/intake/${id}/discard`, { reason: '' })).statusCode).toBe(400);
    const ok = await call(t, desk, 'POST', `/api/v1/complaints/intake/${id}/discard`, { reason: 'Iklan, bukan pengaduan' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'discarded', discardReason: 'Iklan, bukan pengaduan', handledBy: 'Rahmawati Saleh' });
    const [audit] = await t.db.query<any>("SELECT data FROM audit_events WHERE action = 'complaint.intake_discarded' AND entity_id = $1", [id]);
    expect(audit.data).toEqual({ channel: 'twitter', reason: 'Iklan, bukan pengaduan' });
    const convert = await call(t, desk, 'POST', `/api/v1/complaints/intake/${id}/convert`, {
      categoryId: road,
      description: 'Jalan berlubang besar di depan pasar Mangasa, sudah ada motor jatuh.',
      regionCode: '73.71.10.1004',
      attributes: { jenis_kerusakan: 'lubang' },
    });
    expect(convert.statusCode).toBe(409);
  });

  it('answers 404 across tenants and to handlers for unknown items', async () => {
    expect((await call(t, tpiAdmin, 'GET', `/api/v1/complaints/intake/${itemId}`)).statusCode).toBe(404);
    const tpiRoad = await categoryId(t, 'Jalan rusak/berlubang', 'tanjungpinang').catch(() => road);
    const res = await call(t, tpiAdmin, 'POST', `/api/v1/complaints/intake/${itemId}/discard`, { reason: 'bukan milik kami' });
    expect(res.statusCode).toBe(404);
    const conv = await call(t, tpiAdmin, 'POST', `/api/v1/complaints/intake/${itemId}/convert`, { categoryId: tpiRoad, description: 'Jalan berlubang besar di depan pasar, bahaya.', regionCode: '21.72.01' });
    expect(conv.statusCode).toBe(404);
    const list = (await call(t, tpiAdmin, 'GET', '/api/v1/complaints/intake')).json();
    expect(list.items).toEqual([]);
    expect((await call(t, desk, 'GET', '/api/v1/complaints/intake/01900000-0000-7000-8000-000000000000')).statusCode).toBe(404);
  });
});
