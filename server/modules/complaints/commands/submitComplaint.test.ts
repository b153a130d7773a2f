import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../test/support/app.js';
import { call, categoryId, counts, roadReport, unitId, uploadPhoto } from '../testSupport.js';
import { isTrackingCode } from '../../../platform/numbering/format.js';

let t: TestApp;
let dataDir: string;
let citizen: Session;
let admin: Session;
let road: string;

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'complaints-submit-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir } });
  citizen = await t.login(DEMO.citizen);
  admin = await t.login(DEMO.admin);
  road = await categoryId(t, 'Jalan rusak/berlubang');
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('POST /api/v1/complaints', () => {
  it('files an anonymous report with a photo: routed, tracked, audited, event without personal data', async () => {
    const photo = await uploadPhoto(t);
    const before = await counts(t);
    const res = await call(t, null, 'POST', '/api/v1/complaints', roadReport(road, { photos: [photo], reporter: { name: 'Daeng Ngemba', phone: '0812 3456 7001' } }));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(isTrackingCode(body.trackingCode, 'ADU', 3)).toBe(true);
    expect(body.accessToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.status).toBe('submitted');
    const after = await counts(t);
    expect(after.complaints - before.complaints).toBe(1);
    expect(after.complaint_photos - before.complaint_photos).toBe(1);
    expect(after.complaint_events - before.complaint_events).toBe(1);
    expect(after.claimed_files - before.claimed_files).toBe(1);

    const [row] = await t.db.query<{ unit_id: string; kecamatan_code: string; kelurahan_code: string; reporter_phone: string; access_token_hash: unknown; kind: string }>(
      'SELECT unit_id, kecamatan_code, kelurahan_code, reporter_phone, access_token_hash, kind FROM complaints WHERE id = $1',
      [body.id],
    );
    expect(row.unit_id).toBe(await unitId(t, 'DPU-BM'));
    expect(row.kecamatan_code).toBe('73.71.10');
    expect(row.kelurahan_code).toBe('73.71.10.1004');
    expect(row.reporter_phone).toBe('6281234567001');
    expect(row.access_token_hash).not.toBeNull();
    expect(row.kind).toBe('pengaduan');
    // The token is never stored in clear.
    const [{ n }] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM complaints WHERE encode(access_token_hash, 'escape') LIKE $1", [`%${body.accessToken}%`]);
    expect(n).toBe(0);

    const [event] = await t.db.query<{ payload: Record<string, unknown> }>("SELECT payload FROM domain_events WHERE type = 'complaint.submitted' AND aggregate_id = $1", [body.id]);
    expect(event.payload).toMatchObject({ trackingCode: body.trackingCode, status: 'submitted', anonymous: true, photos: 1 });
    expect(JSON.stringify(event.payload)).not.toMatch(/Ngemba|6281234567001|Masjid|berlubang/);
    const [audit] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'complaint.submitted' AND entity_id = $1", [body.id]);
    expect(audit.n).toBe(1);
  });

  it('files a signed-in report without a token, by region only, and routes by kecamatan rule', async () => {
    const sampah = await categoryId(t, 'Sampah menumpuk');
    const res = await call(t, citizen, 'POST', '/api/v1/complaints', {
      categoryId: sampah,
      description: 'Sampah menumpuk di dermaga sudah seminggu tidak diangkut.',
      regionCode: '73.71.15.1002',
      address: 'Dermaga Pulau Barrang Lompo',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().accessToken).toBeUndefined();
    const [row] = await t.db.query<{ unit_id: string; reporter_user_id: string; access_token_hash: unknown }>('SELECT unit_id, reporter_user_id, access_token_hash FROM complaints WHERE id = $1', [
      res.json().id,
    ]);
    expect(row.unit_id).toBe(await unitId(t, '73.71.15'));
    expect(row.reporter_user_id).toBe(citizen.userId);
    expect(row.access_token_hash).toBeNull();
  });

  it('routes to the category default elsewhere and takes the kind from the body', async () => {
    const sampah = await categoryId(t, 'Sampah menumpuk');
    const res = await call(t, null, 'POST', '/api/v1/complaints', {
      categoryId: sampah,
      kind: 'aspirasi',
      description: 'Mohon ditambah tempat sampah terpilah di taman kota.',
      regionCode: '73.71.10',
    });
    expect(res.statusCode, res.body).toBe(201);
    const [row] = await t.db.query<{ unit_id: string; kind: string; kelurahan_code: string | null }>('SELECT unit_id, kind, kelurahan_code FROM complaints WHERE id = $1', [res.json().id]);
    expect(row.unit_id).toBe(await unitId(t, 'DLH-KBR'));
    expect(row.kind).toBe('aspirasi');
    expect(row.kelurahan_code).toBeNull();
  });

  describe('refuses bad input with a clear 4xx and writes nothing', () => {
    const cases: [string, () => Promise<{ body: Record<string, unknown>; session?: Session | null }>, number, string, string?][] = [
      ['unknown category', async () => ({ body: roadReport('01900000-0000-7000-8000-000000000000') }), 400, 'categoryId', 'complaints.category_unknown'],
      ["another tenant's category", async () => ({ body: roadReport(await categoryId(t, 'Jalan rusak/berlubang', 'tanjungpinang')) }), 400, 'categoryId', 'complaints.category_unknown'],
      ['missing required attribute', async () => ({ body: roadReport(road, { attributes: {} }) }), 400, 'attributes.jenis_kerusakan', 'field.required'],
      ['attribute value not in the list', async () => ({ body: roadReport(road, { attributes: { jenis_kerusakan: 'meledak' } }) }), 400, 'attributes.jenis_kerusakan', 'field.enum'],
      ['unknown attribute', async () => ({ body: roadReport(road, { attributes: { jenis_kerusakan: 'lubang', warna: 'merah' } }) }), 400, 'attributes.warna', 'field.unknown'],
      ['description too short', async () => ({ body: roadReport(road, { description: 'Jalan rusak.' }) }), 400, 'description', 'field.too_short'],
      ['description too long', async () => ({ body: roadReport(road, { description: 'x'.repeat(2001) }) }), 400, 'description', 'field.too_long'],
      ['address too long', async () => ({ body: roadReport(road, { address: 'a'.repeat(301) }) }), 400, 'address', 'field.too_long'],
      ['coordinates outside the city', async () => ({ body: roadReport(road, { location: { lat: -6.2, lng: 106.8 } }) }), 400, 'location', 'complaints.location_outside'],
      ['latitude out of range', async () => ({ body: roadReport(road, { location: { lat: -95, lng: 119.4 } }) }), 400, 'location.lat', 'field.too_small'],
      ['region of another city', async () => ({ body: roadReport(road, { regionCode: '21.72.01.1004' }) }), 400, 'regionCode', 'field.region_outside_tenant'],
      ['unknown region below the city', async () => ({ body: roadReport(road, { regionCode: '73.71.99' }) }), 400, 'regionCode', 'field.region_outside_tenant'],
      ['malformed region code', async () => ({ body: roadReport(road, { regionCode: '73.71' }) }), 400, 'regionCode', 'complaints.region_code'],
      ['no place at all', async () => ({ body: roadReport(road, { location: undefined, regionCode: undefined }) }), 400, 'regionCode', 'complaints.place_required'],
      ['too many photos', async () => ({ body: roadReport(road, { photos: Array.from({ length: 6 }, () => ({ id: '01900000-0000-7000-8000-000000000000' })) }) }), 400, 'photos', 'field.too_many'],
      ['a photo uploaded by someone else (no token)', async () => ({ body: roadReport(road, { photos: [{ id: (await uploadPhoto(t)).id }] }) }), 400, 'photos.0', 'field.file_unusable'],
      ["someone else's photo with a wrong token", async () => ({ body: roadReport(road, { photos: [{ id: (await uploadPhoto(t)).id, token: 'A'.repeat(43) }] }) }), 400, 'photos.0', 'field.file_unusable'],
      ["a signed-in user's photo claimed by another account", async () => ({ body: roadReport(road, { photos: [{ id: (await uploadPhoto(t, { session: admin })).id }] }), session: citizen }), 400, 'photos.0', 'field.file_unusable'],
      ['a photo of another tenant', async () => ({ body: roadReport(road, { photos: [await uploadPhoto(t, { prefix: '/t/tanjungpinang' })] }) }), 400, 'photos.0', 'field.file_unusable'],
      ['a PDF as photo', async () => ({ body: roadReport(road, { photos: [await uploadPhoto(t, { pdf: true })] }) }), 400, 'photos.0', 'complaints.photo_not_image'],
      ['the same photo twice', async () => { const p = await uploadPhoto(t); return { body: roadReport(road, { photos: [p, p] }) }; }, 400, 'photos.1', 'field.file_unusable'],
      ['reporter contact from a signed-in user', async () => ({ body: roadReport(road, { reporter: { phone: '081234567001' } }), session: citizen }), 400, 'reporter', 'complaints.reporter_anonymous_only'],
      ['invalid reporter phone', async () => ({ body: roadReport(road, { reporter: { phone: '12' } }) }), 400, 'reporter.phone', 'field.phone'],
      ['unknown field', async () => ({ body: roadReport(road, { status: 'closed' }) }), 400, 'status', 'field.unknown'],
    ];

    it.each(cases)('%s', async (_name, make, status, field, code) => {
      const { body, session } = await make();
      const before = await counts(t);
      const res = await call(t, session ?? null, 'POST', '/api/v1/complaints', body);
      expect(res.statusCode, res.body).toBe(status);
      const problem = res.json();
      const error = problem.errors?.find((e: { field: string }) => e.field === field);
      expect(error, JSON.stringify(problem.errors)).toBeDefined();
      if (code) expect(error.code).toBe(code);
      expect(await counts(t)).toEqual(before);
    });

    it('an inactive category', async () => {
      const parkir = await categoryId(t, 'Parkir liar');
      const res = await call(t, admin, 'PATCH', `/api/v1/admin/complaints/categories/${parkir}`, { active: false });
      expect(res.statusCode, res.body).toBe(200);
      const before = await counts(t);
      const bad = await call(t, null, 'POST', '/api/v1/complaints', { categoryId: parkir, description: 'Parkir liar di trotoar depan pasar setiap pagi.', regionCode: '73.71.10' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0]).toMatchObject({ field: 'categoryId', code: 'complaints.category_unknown' });
      expect(await counts(t)).toEqual(before);
    });
  });
});

describe('Idempotency-Key on POST /api/v1/complaints', () => {
  async function post(body: unknown, key?: string) {
    return t.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body as object, headers: key ? { 'idempotency-key': key } : {}, remoteAddress: '10.99.0.1' });
  }

  it('returns the same report to a retry, writing it once', async () => {
    const key = crypto.randomUUID();
    const photo = await uploadPhoto(t);
    const body = roadReport(road, { photos: [photo] });
    const before = await counts(t);
    const first = await post(body, key);
    expect(first.statusCode, first.body).toBe(201);
    const retry = await post(body, key);
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    const after = await counts(t);
    expect(after.complaints - before.complaints).toBe(1);
    expect(after.complaint_events - before.complaint_events).toBe(1);
    // The replayed token still opens the report.
    const track = await call(t, null, 'GET', `/api/v1/complaints/track/${first.json().trackingCode}?token=${retry.json().accessToken}`);
    expect(track.statusCode).toBe(200);
  });

  it('refuses the same key with another body, and a malformed key, writing nothing', async () => {
    const key = crypto.randomUUID();
    expect((await post(roadReport(road), key)).statusCode).toBe(201);
    const before = await counts(t);
    const other = await post(roadReport(road, { address: 'Jl. Lain' }), key);
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('idempotency_mismatch');
    const bad = await post(roadReport(road), 'kunci dengan spasi');
    expect(bad.statusCode).toBe(400);
    expect(await counts(t)).toEqual(before);
  });

  it('does not remember a refused request: the corrected retry with the same key is filed', async () => {
    const key = crypto.randomUUID();
    const before = await counts(t);
    expect((await post(roadReport(road, { attributes: {} }), key)).statusCode).toBe(400);
    expect(await counts(t)).toEqual(before);
    // The same key with the fixed body now works (nothing was stored for the refusal).
    expect((await post(roadReport(road), key)).statusCode).toBe(201);
  });
});

describe('GET /api/v1/complaints/track/:code', () => {
  let anon: { trackingCode: string; accessToken: string; id: string };

  beforeAll(async () => {
    anon = (await call(t, null, 'POST', '/api/v1/complaints', roadReport(road, { reporter: { name: 'Daeng Ngemba', phone: '081234567001', email: 'ngemba@example.com' } }))).json();
  });

  it('shows a report before verification only with its token, without personal data', async () => {
    const res = await call(t, null, 'GET', `/api/v1/complaints/track/${anon.trackingCode}?token=${anon.accessToken}`);
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    expect(view).toMatchObject({ trackingCode: anon.trackingCode, status: 'submitted', category: { name: 'Jalan rusak/berlubang' }, unitName: null });
    expect(view.timeline).toEqual([expect.objectContaining({ action: 'submit', status: 'submitted' })]);
    expect(res.body).not.toMatch(/Ngemba|081234567001|6281234567001|ngemba@example/);
    // Lower-case input is the same code.
    expect((await call(t, null, 'GET', `/api/v1/complaints/track/${anon.trackingCode.toLowerCase()}?token=${anon.accessToken}`)).statusCode).toBe(200);
    expect((await call(t, null, 'GET', `/api/v1/complaints/track/${encodeURIComponent(anon.trackingCode.replace(/-/g, ' '))}?token=${anon.accessToken}`)).statusCode).toBe(200);
  });

  it('answers 404 alike for no token, a wrong token, an unknown code and a forged code', async () => {
    const answers = await Promise.all(
      [
        `/api/v1/complaints/track/${anon.trackingCode}`,
        `/api/v1/complaints/track/${anon.trackingCode}?token=${'A'.repeat(43)}`,
        '/api/v1/complaints/track/ADU-0000-0000-0000',
        "/api/v1/complaints/track/ADU-'%20OR%201=1",
        `/api/v1/complaints/track/${anon.trackingCode}?token=${anon.accessToken.slice(0, 42)}`,
      ].map((url) => call(t, null, 'GET', url)),
    );
    for (const a of answers) {
      expect(a.statusCode).toBe(404);
      expect(a.json().type).toBe(answers[0].json().type);
      expect(a.json().title).toBe(answers[0].json().title);
    }
  });

  it('does not open a report of another tenant by its code', async () => {
    const res = await call(t, null, 'GET', `/api/v1/complaints/track/${anon.trackingCode}?token=${anon.accessToken}`, undefined, { prefix: '/t/tanjungpinang' });
    expect(res.statusCode).toBe(404);
  });

  it('opens a signed-in reporter’s own report without a token, and nobody else’s', async () => {
    const mine = (await call(t, citizen, 'POST', '/api/v1/complaints', roadReport(road))).json();
    expect((await call(t, citizen, 'GET', `/api/v1/complaints/track/${mine.trackingCode}`)).statusCode).toBe(200);
    expect((await call(t, admin, 'GET', `/api/v1/complaints/track/${mine.trackingCode}`)).statusCode).toBe(404);
    expect((await call(t, null, 'GET', `/api/v1/complaints/track/${mine.trackingCode}`)).statusCode).toBe(404);
  });

  it('is public after verification, still without reporter or internal notes', async () => {
    const v = await call(t, admin, 'POST', `/api/v1/complaints/${anon.id}/verify`, { note: 'Dicek via telepon ke pelapor' });
    expect(v.statusCode, v.body).toBe(200);
    const res = await call(t, null, 'GET', `/api/v1/complaints/track/${anon.trackingCode}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('verified');
    expect(res.json().timeline.map((e: { status: string }) => e.status)).toEqual(['submitted', 'verified']);
    expect(res.body).not.toMatch(/Ngemba|081234567001|6281234567001|ngemba@example|Dicek via telepon/);
  });

  it('limits tracking requests per address', async () => {
    let last = 0;
    for (let i = 0; i < 61; i++) last = (await call(t, null, 'GET', '/api/v1/complaints/track/ADU-0000-0000-0000', undefined, { ip: '10.250.0.1' })).statusCode;
    expect(last).toBe(429);
    expect((await call(t, null, 'GET', '/api/v1/complaints/track/ADU-0000-0000-0000', undefined, { ip: '10.250.0.2' })).statusCode).toBe(404);
  });
});
