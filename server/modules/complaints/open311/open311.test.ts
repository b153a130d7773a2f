import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../test/support/app.js';
import { FakeClock } from '../../../../test/support/clock.js';
import * as S from '../../../platform/files/testSamples.js';
import { call, categoryId, counts, nextIp, unitId, uploadPhoto } from '../testSupport.js';
import { escapeXml, toXml } from './xml.js';

/**
 * GeoReport v2 at /open311/v2: every resource in .json and .xml with the standard's element names,
 * filing through the web flow's command, listing only verified public reports, errors in the
 * standard's format.
 */

// ------------------------------------------------------------------------- a tiny XML reader
interface El {
  name: string;
  children: El[];
  text: string;
}
/** Parses the element-only XML these routes write; throws on anything not well formed. */
function parseXml(doc: string): El {
  const decl = '<?xml version="1.0" encoding="UTF-8"?>\n';
  if (!doc.startsWith(decl)) throw new Error(`no XML declaration: ${doc.slice(0, 60)}`);
  const root: El = { name: '#document', children: [], text: '' };
  const stack: El[] = [root];
  const re = /<(\/?)([A-Za-z_][\w.-]*)(\/?)>|([^<]+)/g;
  const body = doc.slice(decl.length);
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(body))) {
    if (m.index !== consumed) throw new Error(`unexpected markup at ${consumed}: ${body.slice(consumed, consumed + 30)}`);
    consumed = re.lastIndex;
    const top = stack.at(-1)!;
    if (m[4] !== undefined) {
      if (/[<>]/.test(m[4])) throw new Error('unescaped text');
      top.text += m[4].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
    } else if (m[1]) {
      if (top.name !== m[2]) throw new Error(`</${m[2]}> closes <${top.name}>`);
      stack.pop();
    } else {
      const el: El = { name: m[2], children: [], text: '' };
      top.children.push(el);
      if (!m[3]) stack.push(el);
    }
  }
  if (consumed !== body.length || stack.length !== 1 || root.children.length !== 1) throw new Error('not one well-formed root element');
  return root.children[0];
}
const kids = (el: El, name: string) => el.children.filter((c) => c.name === name);
const kid = (el: El, name: string) => {
  const found = kids(el, name);
  if (found.length !== 1) throw new Error(`<${el.name}> has ${found.length} <${name}>`);
  return found[0];
};
const names = (el: El) => el.children.map((c) => c.name);

// ------------------------------------------------------------------------- setup
let t: TestApp;
let dataDir: string;
let admin: Session;
let road: string;
let lights: string;
let intakeKey: string;
let uploadOnlyKey: string;
let tpiKey: string;

const clock = new FakeClock('2027-03-01T02:00:00Z');

async function createKey(session: Session, permissions: string[]): Promise<string> {
  const res = await t.request(session, 'POST', '/api/v1/admin/api-keys', { name: `Open311 ${permissions.join(' ')}`, permissions });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().key;
}

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'open311-'));
  t = await createTestApp({ clock, env: { DATA_DIR: dataDir } });
  admin = await t.login(DEMO.admin);
  road = await categoryId(t, 'Jalan rusak/berlubang');
  lights = await categoryId(t, 'Lampu lalu lintas mati');
  intakeKey = await createKey(admin, ['complaints.intake']);
  uploadOnlyKey = await createKey(admin, ['files.upload']);
  tpiKey = await createKey(await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' }), ['complaints.intake']);
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'GET', url, headers, remoteAddress: nextIp() });
}

/** A valid GeoReport request for a broken road in Kelurahan Mangasa (Tamalate). */
function roadForm(extra: Record<string, string> = {}): Record<string, string> {
  return {
    api_key: intakeKey,
    service_code: road,
    lat: '-5.1689',
    long: '119.4102',
    address_string: 'Jl. Dg. Tata Raya depan Masjid Nurul Iman',
    address_id: '73.71.10.1004',
    description: 'Jalan berlubang besar di depan masjid, sudah dua motor jatuh minggu ini.',
    'attribute[jenis_kerusakan]': 'lubang',
    first_name: 'Daeng',
    last_name: 'Ngemba',
    phone: '0812 3456 7001',
    email: 'daeng.ngemba@example.com',
    device_id: 'android-123',
    ...extra,
  };
}

function postForm(form: Record<string, string>, o: { format?: 'json' | 'xml'; prefix?: string; headers?: Record<string, string> } = {}): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: `${o.prefix ?? ''}/open311/v2/requests.${o.format ?? 'json'}`,
    payload: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...o.headers },
    remoteAddress: nextIp(),
  });
}

async function complaintId(code: string): Promise<string> {
  const [row] = await t.db.query<{ id: string }>('SELECT id FROM complaints WHERE tracking_code = $1', [code]);
  return row.id;
}

/** Files a report through Open311 and returns its tracking code and token. */
async function file(extra: Record<string, string> = {}): Promise<{ code: string; token: string }> {
  const res = await postForm(roadForm(extra));
  expect(res.statusCode, res.body).toBe(201);
  const [created] = res.json();
  return { code: created.service_request_id, token: created.token };
}

async function verify(code: string): Promise<void> {
  const res = await call(t, admin, 'POST', `/api/v1/complaints/${await complaintId(code)}/verify`, {});
  expect(res.statusCode, res.body).toBe(200);
}

function expectErrors(res: LightMyRequestResponse, status: number, match: RegExp, format: 'json' | 'xml' = 'json'): void {
  expect(res.statusCode, res.body).toBe(status);
  if (format === 'json') {
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const errors = res.json();
    expect(Array.isArray(errors)).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(Object.keys(e).sort()).toEqual(['code', 'description']);
    expect(errors[0].code).toBe(status);
    expect(errors.map((e: { description: string }) => e.description).join(' | ')).toMatch(match);
  } else {
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    const root = parseXml(res.body);
    expect(root.name).toBe('errors');
    const items = kids(root, 'error');
    expect(items.length).toBeGreaterThan(0);
    expect(names(items[0])).toEqual(['code', 'description']);
    expect(kid(items[0], 'code').text).toBe(String(status));
    expect(items.map((e) => kid(e, 'description').text).join(' | ')).toMatch(match);
  }
}

// ------------------------------------------------------------------------- the XML writer
describe('xml writer', () => {
  it('escapes text, drops characters XML cannot carry, names list items', () => {
    expect(escapeXml(`a<b>&"c"'d'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
    const doc = toXml('services', [{ service_code: 'x&y', metadata: false, group: null }], { services: 'service' });
    expect(doc).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<services><service><service_code>x&amp;y</service_code><metadata>false</metadata><group/></service></services>');
    expect(() => toXml('a b', {}, {})).toThrow();
    expect(() => toXml('list', [1], {})).toThrow();
  });
});

// ------------------------------------------------------------------------- discovery and services
describe('discovery and services', () => {
  it('GET discovery in JSON and XML', async () => {
    const json = await get('/open311/v2/discovery.json');
    expect(json.statusCode, json.body).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const d = json.json();
    expect(Object.keys(d).sort()).toEqual(['changeset', 'contact', 'endpoints', 'key_service']);
    expect(d.endpoints).toEqual([
      { specification: 'http://wiki.open311.org/GeoReport_v2', url: 'http://localhost:80/open311/v2', changeset: d.changeset, type: 'production', formats: ['text/xml', 'application/json'] },
    ]);
    expect(d.changeset).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);

    const xml = await get('/t/tanjungpinang/open311/v2/discovery.xml');
    expect(xml.statusCode).toBe(200);
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    const root = parseXml(xml.body);
    expect(root.name).toBe('discovery');
    expect(names(root)).toEqual(['changeset', 'contact', 'key_service', 'endpoints']);
    const endpoint = kid(kid(root, 'endpoints'), 'endpoint');
    expect(names(endpoint)).toEqual(['specification', 'url', 'changeset', 'type', 'formats']);
    expect(kid(endpoint, 'url').text).toBe('http://localhost:80/t/tanjungpinang/open311/v2');
    // Tanjungpinang is in Asia/Jakarta.
    expect(kid(endpoint, 'changeset').text).toMatch(/\+07:00$/);
    expect(kids(kid(endpoint, 'formats'), 'format').map((f) => f.text)).toEqual(['text/xml', 'application/json']);
  });

  it('GET services lists the public categories with the standard fields', async () => {
    const json = (await get('/open311/v2/services.json')).json();
    const roadService = json.find((s: { service_code: string }) => s.service_code === road);
    expect(roadService).toEqual({
      service_code: road,
      service_name: 'Jalan rusak/berlubang',
      description: 'Jalan rusak/berlubang',
      metadata: true,
      type: 'realtime',
      keywords: 'pengaduan',
      group: expect.any(String),
    });
    expect(json.find((s: { service_code: string }) => s.service_code === lights).metadata).toBe(false);

    const xml = await get('/open311/v2/services.xml');
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    const root = parseXml(xml.body);
    expect(root.name).toBe('services');
    expect(new Set(names(root))).toEqual(new Set(['service']));
    expect(kids(root, 'service').length).toBe(json.length);
    const first = kids(root, 'service').find((s) => kid(s, 'service_code').text === road)!;
    expect(names(first)).toEqual(['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']);
    expect(kid(first, 'metadata').text).toBe('true');
  });

  it('GET services/{service_code}: attribute definitions in both formats; 404 for unknown codes', async () => {
    const json = await get(`/open311/v2/services/${road}.json`);
    expect(json.statusCode, json.body).toBe(200);
    expect(json.json()).toEqual({
      service_code: road,
      attributes: [
        {
          variable: true,
          code: 'jenis_kerusakan',
          datatype: 'singlevaluelist',
          required: true,
          datatype_description: null,
          order: 1,
          description: 'Jenis kerusakan',
          values: [
            { key: 'lubang', name: 'Berlubang' },
            { key: 'retak', name: 'Retak / bergelombang' },
            { key: 'amblas', name: 'Amblas / longsor' },
            { key: 'jembatan', name: 'Kerusakan jembatan' },
          ],
        },
      ],
    });
    const root = parseXml((await get(`/open311/v2/services/${road}.xml`)).body);
    expect(root.name).toBe('service_definition');
    expect(names(root)).toEqual(['service_code', 'attributes']);
    const attribute = kid(kid(root, 'attributes'), 'attribute');
    expect(names(attribute)).toEqual(['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description', 'values']);
    expect(kid(attribute, 'datatype_description').children).toEqual([]);
    const value = kids(kid(attribute, 'values'), 'value')[0];
    expect(names(value)).toEqual(['key', 'name']);
    expect([kid(value, 'key').text, kid(value, 'name').text]).toEqual(['lubang', 'Berlubang']);

    // No attributes: an empty list.
    expect((await get(`/open311/v2/services/${lights}.json`)).json()).toEqual({ service_code: lights, attributes: [] });
    // Unknown, malformed, another tenant's: 404 in the standard's format.
    expectErrors(await get('/open311/v2/services/unknown.json'), 404, /service_code "unknown" tidak ditemukan/);
    expectErrors(await get('/open311/v2/services/unknown.xml'), 404, /service_code "unknown"/, 'xml');
    expectErrors(await get(`/t/tanjungpinang/open311/v2/services/${road}.json`), 404, /service_code/);
    expectErrors(await get('/open311/v2/services/unknown.json', { 'accept-language': 'en' }), 404, /service_code "unknown" was not found/);
  });

  it('checks jurisdiction_id: the tenant slug or nothing', async () => {
    expect((await get('/open311/v2/services.json?jurisdiction_id=makassar')).statusCode).toBe(200);
    expect((await get('/t/tanjungpinang/open311/v2/services.json?jurisdiction_id=tanjungpinang')).statusCode).toBe(200);
    expectErrors(await get('/open311/v2/services.json?jurisdiction_id=tanjungpinang'), 404, /jurisdiction_id "tanjungpinang"/);
    expectErrors(await get('/open311/v2/requests.xml?jurisdiction_id=jakarta'), 404, /jurisdiction_id "jakarta"/, 'xml');
  });
});

// ------------------------------------------------------------------------- POST requests
describe('POST requests', () => {
  it('files a form-encoded report through submitComplaint: tracking code as id, token, channel open311', async () => {
    const before = await counts(t);
    const res = await postForm(roadForm());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = res.json();
    expect(body).toEqual([{ service_request_id: expect.stringMatching(/^ADU-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/), token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), service_notice: expect.stringContaining(body[0].service_request_id), account_id: null }]);
    const after = await counts(t);
    expect(after.complaints - before.complaints).toBe(1);
    expect(after.complaint_events - before.complaint_events).toBe(1);
    const [row] = await t.db.query<Record<string, unknown>>(
      'SELECT status, channel, kecamatan_code, kelurahan_code, address, attributes, reporter_name, reporter_phone, reporter_email, reporter_user_id, lat, lng FROM complaints WHERE tracking_code = $1',
      [body[0].service_request_id],
    );
    expect(row).toEqual({
      status: 'submitted',
      channel: 'open311',
      kecamatan_code: '73.71.10',
      kelurahan_code: '73.71.10.1004',
      address: 'Jl. Dg. Tata Raya depan Masjid Nurul Iman',
      attributes: { jenis_kerusakan: 'lubang' },
      reporter_name: 'Daeng Ngemba',
      reporter_phone: '6281234567001',
      reporter_email: 'daeng.ngemba@example.com',
      reporter_user_id: null,
      lat: -5.1689,
      lng: 119.4102,
    });
    const [event] = await t.db.query<{ payload: Record<string, unknown> }>("SELECT payload FROM domain_events WHERE type = 'complaint.submitted' AND payload->>'trackingCode' = $1", [body[0].service_request_id]);
    expect(event.payload).toMatchObject({ channel: 'open311', anonymous: true });
  });

  it('answers in XML with <service_requests><request>', async () => {
    const res = await postForm(roadForm(), { format: 'xml' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    const root = parseXml(res.body);
    expect(root.name).toBe('service_requests');
    const request = kid(root, 'request');
    expect(names(request)).toEqual(['service_request_id', 'token', 'service_notice', 'account_id']);
    expect(kid(request, 'service_request_id').text).toMatch(/^ADU-/);
    expect(kid(request, 'account_id').children).toEqual([]);
  });

  it('takes a multipart request with the photo as "media"; the photo becomes public with the report', async () => {
    const before = await counts(t);
    const form = roadForm({ 'attribute[jenis_kerusakan]': 'retak' });
    const { payload, headers } = S.multipart([...Object.entries(form).map(([name, data]) => ({ name, data })), { name: 'media', filename: 'jalan.jpg', data: await S.jpeg() }]);
    const res = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload, headers, remoteAddress: nextIp() });
    expect(res.statusCode, res.body).toBe(201);
    const code = res.json()[0].service_request_id;
    const after = await counts(t);
    expect(after.complaints - before.complaints).toBe(1);
    expect(after.complaint_photos - before.complaint_photos).toBe(1);
    expect(after.claimed_files - before.claimed_files).toBe(1);

    expectErrors(await get(`/open311/v2/requests/${code}.json`), 404, /tidak ditemukan/);
    await verify(code);
    const [request] = (await get(`/open311/v2/requests/${code}.json`)).json();
    expect(request.media_url).toMatch(/^http:\/\/localhost:80\/api\/v1\/files\/[0-9a-f-]{36}$/);
    const photo = await get(new URL(request.media_url).pathname);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');

    // A file under another name, or a second file, is refused; nothing is written.
    const mid = await counts(t);
    const wrong = S.multipart([...Object.entries(form).map(([name, data]) => ({ name, data })), { name: 'photo', filename: 'x.jpg', data: await S.jpeg() }]);
    expectErrors(await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: wrong.payload, headers: wrong.headers, remoteAddress: nextIp() }), 400, /photo: .*media/);
    const notImage = S.multipart([...Object.entries(form).map(([name, data]) => ({ name, data })), { name: 'media', filename: 'x.jpg', data: Buffer.from('not an image at all, just text pretending') }]);
    const refused = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.xml', payload: notImage.payload, headers: notImage.headers, remoteAddress: nextIp() });
    expect([400, 415]).toContain(refused.statusCode);
    expect(parseXml(refused.body).name).toBe('errors');
    expect(await counts(t)).toEqual(mid);
  });

  it('requires an API key holding complaints.intake: as form field, query or header; 403 otherwise, nothing written', async () => {
    const before = await counts(t);
    const { api_key: _k, ...noKey } = roadForm();
    expectErrors(await postForm(noKey), 403, /api_key tidak dikirim atau tidak berlaku/);
    expectErrors(await postForm(noKey, { format: 'xml' }), 403, /api_key/, 'xml');
    expectErrors(await postForm({ ...noKey, api_key: `bk_abcdefgh_${'A'.repeat(43)}` }), 403, /api_key/);
    expectErrors(await postForm({ ...noKey, api_key: 'nonsense' }, { headers: { 'accept-language': 'en' } }), 403, /api_key was not provided or is invalid/);
    expectErrors(await postForm({ ...noKey, api_key: uploadOnlyKey }), 403, /complaints\.intake/);
    // Another tenant's key does not exist here.
    expectErrors(await postForm({ ...noKey, api_key: tpiKey }), 403, /api_key/);
    // A signed-in session is not a key.
    const session = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: new URLSearchParams(noKey).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      remoteAddress: nextIp(),
    });
    expectErrors(session, 403, /api_key/);
    // An invalid key in the header is refused by the platform, in the standard's format.
    expectErrors(await postForm(noKey, { headers: { 'x-api-key': `bk_abcdefgh_${'B'.repeat(43)}` } }), 403, /./);
    // Missing key with bad input: the key is checked first.
    expectErrors(await postForm({ service_code: 'x' }), 403, /api_key/);
    expect(await counts(t)).toEqual(before);

    expect((await postForm(noKey, { headers: { 'x-api-key': intakeKey } })).statusCode).toBe(201);
    expect((await postForm(noKey, { headers: { authorization: `Bearer ${intakeKey}` } })).statusCode).toBe(201);
    const viaQuery = await t.app.inject({
      method: 'POST',
      url: `/open311/v2/requests.json?api_key=${encodeURIComponent(intakeKey)}`,
      payload: new URLSearchParams(noKey).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: nextIp(),
    });
    expect(viaQuery.statusCode, viaQuery.body).toBe(201);
    // The key of Tanjungpinang works there, with its own jurisdiction_id.
    const tpiRoad = await categoryId(t, 'Jalan rusak/berlubang', 'tanjungpinang');
    const tpi = await postForm(
      {
        ...noKey,
        api_key: tpiKey,
        jurisdiction_id: 'tanjungpinang',
        service_code: tpiRoad,
        lat: '0.9186',
        long: '104.4554',
        address_id: '',
      },
      { prefix: '/t/tanjungpinang' },
    );
    expect(tpi.statusCode, tpi.body).toBe(201);
  });

  it('refuses bad input with the GeoReport field names and writes nothing', async () => {
    const before = await counts(t);
    expectErrors(await postForm(roadForm({ service_code: 'unknown' })), 400, /service_code "unknown" tidak ditemukan/);
    expectErrors(await postForm(roadForm({ service_code: '01900000-0000-7000-8000-000000000000' })), 400, /service_code: Kategori tidak ditemukan/);
    const { service_code: _s, ...noService } = roadForm();
    expectErrors(await postForm(noService), 400, /service_code: Wajib diisi/);
    expectErrors(await postForm(roadForm({ 'attribute[jenis_kerusakan]': '' })), 400, /attribute\[jenis_kerusakan\]: Wajib diisi/);
    expectErrors(await postForm(roadForm({ 'attribute[jenis_kerusakan]': 'longsor' }), { format: 'xml' }), 400, /attribute\[jenis_kerusakan\]: Pilih salah satu/, 'xml');
    expectErrors(await postForm(roadForm({ 'attribute[warna]': 'merah' })), 400, /attribute\[warna\]/);
    // Jakarta, far outside Makassar.
    expectErrors(await postForm(roadForm({ lat: '-6.2', long: '106.8' })), 400, /lat\/long: Titik lokasi berada di luar wilayah/);
    expectErrors(await postForm(roadForm({ lat: '-5.1689', long: '' })), 400, /lat dan long harus dikirim berdua/);
    expectErrors(await postForm(roadForm({ lat: 'utara', long: '119.4' })), 400, /lat\/long/);
    expectErrors(await postForm(roadForm({ lat: '', long: '', address_id: '' })), 400, /address_id: Tandai lokasi/);
    expectErrors(await postForm(roadForm({ address_id: '31.71.01' })), 400, /address_id/);
    expectErrors(await postForm(roadForm({ description: 'Rusak.' })), 400, /description: Minimal 20 karakter/);
    expectErrors(await postForm(roadForm({ email: 'bukan-email' })), 400, /email: Alamat e-mail tidak valid/);
    expectErrors(await postForm(roadForm({ media_url: 'http://169.254.169.254/latest/meta-data' })), 400, /media_url/);
    expectErrors(await postForm(roadForm({ description: 'x'.repeat(70_000) })), 413, /maksimal 64 KB/);
    expectErrors(await postForm(roadForm({ jurisdiction_id: 'tanjungpinang' })), 404, /jurisdiction_id "tanjungpinang"/);
    // The standard posts forms: JSON is refused before anything else.
    expectErrors(await t.app.inject({ method: 'POST', url: '/open311/v2/requests.xml', payload: roadForm(), remoteAddress: nextIp() }), 415, /application\/json/, 'xml');
    expect(await counts(t)).toEqual(before);
  });

  it('returns the same report for a retry with the same Idempotency-Key; refuses the key with another body', async () => {
    const before = await counts(t);
    const key = 'f3c1c7a2-0e1b-4a55-9d8e-open311-retry';
    const first = await postForm(roadForm(), { headers: { 'idempotency-key': key } });
    expect(first.statusCode, first.body).toBe(201);
    const again = await postForm(roadForm(), { headers: { 'idempotency-key': key }, format: 'xml' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(kid(kid(parseXml(again.body), 'request'), 'service_request_id').text).toBe(first.json()[0].service_request_id);
    expect((await counts(t)).complaints - before.complaints).toBe(1);
    const other = await postForm(roadForm({ description: 'Jalan berlubang lain di lorong sebelah pasar, dalam sekali.' }), { headers: { 'idempotency-key': key } });
    expectErrors(other, 422, /Idempotency-Key/);
    expect((await counts(t)).complaints - before.complaints).toBe(1);
  });
});

// ------------------------------------------------------------------------- GET requests, one request, tokens
describe('GET requests', () => {
  let verified: string;
  let resolved: string;
  let pending: { code: string; token: string };
  const personal = /Daeng|Ngemba|6281234567001|0812|daeng\.ngemba|android-123/;

  beforeAll(async () => {
    // A quiet period of their own, away from the reports above.
    clock.set('2027-09-10T01:00:00Z');
    admin = await t.login(DEMO.admin);
    pending = await file();
    clock.set('2027-09-10T02:00:00Z');
    verified = (await file()).code;
    await verify(verified);
    clock.set('2027-09-10T03:00:00Z');
    resolved = (await file({ 'attribute[jenis_kerusakan]': 'amblas' })).code;
    await verify(resolved);
    const id = await complaintId(resolved);
    const dpuBm = await unitId(t, 'DPU-BM');
    expect((await call(t, admin, 'POST', `/api/v1/complaints/${id}/dispose`, { unitId: dpuBm, note: 'Mohon ditangani' })).statusCode).toBe(200);
    expect((await call(t, admin, 'POST', `/api/v1/complaints/${id}/notes`, { text: 'Kontraktor CV Maju Jaya (internal)', internal: true })).statusCode).toBe(200);
    const proof = await uploadPhoto(t, { session: admin });
    const answer = 'Jalan amblas sudah ditimbun dan diaspal kembali oleh tim Bina Marga.';
    expect((await call(t, admin, 'POST', `/api/v1/complaints/${id}/resolve`, { answer, proofPhotos: [{ id: proof.id }] })).statusCode).toBe(200);
    expect((await call(t, admin, 'POST', `/api/v1/complaints/${id}/notes`, { text: 'Catatan internal sesudah jawaban', internal: true })).statusCode).toBe(200);
    clock.set('2027-09-12T02:00:00Z');
  });

  it('lists only verified public reports of the last 90 days, newest first, without personal data', async () => {
    const res = await get('/open311/v2/requests.json');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json();
    expect(items.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([resolved, verified]);
    expect(JSON.stringify(items)).not.toMatch(personal);
    const [closed, open] = items;
    expect(open).toEqual({
      service_request_id: verified,
      status: 'open',
      status_notes: null,
      service_name: 'Jalan rusak/berlubang',
      service_code: road,
      description: 'Jalan berlubang besar di depan masjid, sudah dua motor jatuh minggu ini.',
      agency_responsible: expect.any(String),
      service_notice: null,
      requested_datetime: '2027-09-10T10:00:00+08:00',
      updated_datetime: expect.stringMatching(/^2027-09-10T10:00:00\+08:00$/),
      expected_datetime: null,
      address: 'Jl. Dg. Tata Raya depan Masjid Nurul Iman',
      address_id: '73.71.10.1004',
      zipcode: null,
      lat: -5.1689,
      long: 119.4102,
      media_url: null,
    });
    expect(closed).toMatchObject({
      status: 'closed',
      status_notes: 'Jalan amblas sudah ditimbun dan diaspal kembali oleh tim Bina Marga.',
      agency_responsible: 'Bidang Bina Marga',
      requested_datetime: '2027-09-10T11:00:00+08:00',
    });
    expect(JSON.stringify(items)).not.toMatch(/internal|Kontraktor/);

    // Ninety days later they are out of the default window, still there with dates.
    clock.set('2027-12-11T02:00:00Z');
    expect((await get('/open311/v2/requests.json')).json()).toEqual([]);
    expect((await get('/open311/v2/requests.json?start_date=2027-09-10T00:00:00%2B08:00&end_date=2027-09-11T00:00:00%2B08:00')).json().length).toBe(2);
    clock.set('2027-09-12T02:00:00Z');
  });

  it('lists in XML with <service_requests><request> and every standard element', async () => {
    const res = await get('/open311/v2/requests.xml');
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    const root = parseXml(res.body);
    expect(root.name).toBe('service_requests');
    const requests = kids(root, 'request');
    expect(requests.map((r) => kid(r, 'service_request_id').text)).toEqual([resolved, verified]);
    expect(names(requests[0])).toEqual([
      'service_request_id',
      'status',
      'status_notes',
      'service_name',
      'service_code',
      'description',
      'agency_responsible',
      'service_notice',
      'requested_datetime',
      'updated_datetime',
      'expected_datetime',
      'address',
      'address_id',
      'zipcode',
      'lat',
      'long',
      'media_url',
    ]);
    expect(kid(requests[0], 'status').text).toBe('closed');
    expect(kid(requests[1], 'lat').text).toBe('-5.1689');
    expect(res.body).not.toMatch(personal);
  });

  it('filters by status, service_code, dates and ids', async () => {
    const ids = async (query: string) => ((await get(`/open311/v2/requests.json?${query}`)).json() as { service_request_id: string }[]).map((r) => r.service_request_id);
    expect(await ids('status=open')).toEqual([verified]);
    expect(await ids('status=closed')).toEqual([resolved]);
    expect(await ids('status=open,closed')).toEqual([resolved, verified]);
    expect(await ids(`service_code=${road}`)).toEqual([resolved, verified]);
    expect(await ids(`service_code=${lights}`)).toEqual([]);
    expect(await ids(`service_code=${lights},${road}`)).toEqual([resolved, verified]);
    expect(await ids('start_date=2027-09-10T10:30:00%2B08:00')).toEqual([resolved]);
    expect(await ids('end_date=2027-09-10T02:30:00Z')).toEqual([verified]);
    expect(await ids('start_date=2027-09-10&end_date=2027-09-10T10:30:00%2B08:00')).toEqual([verified]);
    // By id: other filters are ignored; unverified and unknown ids are left out; codes as typed.
    expect(await ids(`service_request_id=${verified},${pending.code},ADU-0000-0000-0000&status=closed`)).toEqual([verified]);
    expect(await ids(`service_request_id=${resolved.toLowerCase()}`)).toEqual([resolved]);
    expectErrors(await get('/open311/v2/requests.json?status=pending'), 400, /status: Pilih open/);
    expectErrors(await get('/open311/v2/requests.xml?start_date=kemarin'), 400, /start_date: Harus tanggal-waktu ISO 8601/, 'xml');
    expectErrors(await get('/open311/v2/requests.json?start_date=2027-09-11&end_date=2027-09-10'), 400, /start_date harus sebelum end_date/);
  });

  it('GET requests/{service_request_id}: verified reports only, both formats', async () => {
    const json = await get(`/open311/v2/requests/${resolved}.json`);
    expect(json.statusCode).toBe(200);
    expect(json.json()).toHaveLength(1);
    expect(json.json()[0]).toMatchObject({ service_request_id: resolved, status: 'closed' });
    const root = parseXml((await get(`/open311/v2/requests/${verified}.xml`)).body);
    expect(root.name).toBe('service_requests');
    expect(kid(kid(root, 'request'), 'service_request_id').text).toBe(verified);
    expectErrors(await get(`/open311/v2/requests/${pending.code}.json`), 404, /tidak ditemukan/);
    expectErrors(await get('/open311/v2/requests/ADU-0000-0000-0000.xml'), 404, /service_request_id "ADU-0000-0000-0000"/, 'xml');
    expectErrors(await get(`/t/tanjungpinang/open311/v2/requests/${verified}.json`), 404, /tidak ditemukan/);
  });

  it('GET tokens/{token}: the id of a report we issued the token for; 404 otherwise', async () => {
    const json = await get(`/open311/v2/tokens/${pending.token}.json`);
    expect(json.statusCode, json.body).toBe(200);
    expect(json.json()).toEqual([{ service_request_id: pending.code, token: pending.token }]);
    const root = parseXml((await get(`/open311/v2/tokens/${pending.token}.xml`)).body);
    expect(root.name).toBe('service_requests');
    expect(names(kid(root, 'request'))).toEqual(['service_request_id', 'token']);
    expectErrors(await get(`/open311/v2/tokens/${'x'.repeat(43)}.json`), 404, /Token tidak ditemukan/);
    expectErrors(await get('/open311/v2/tokens/short.xml'), 404, /Token/, 'xml');
    expectErrors(await get(`/t/tanjungpinang/open311/v2/tokens/${pending.token}.json`), 404, /Token/);
  });

  it('answers at most 1000 requests', async () => {
    const [row] = await t.db.query<{ id: string }>('SELECT id FROM complaints WHERE tracking_code = $1', [verified]);
    await t.db.query(
      `INSERT INTO complaints (tenant_id, id, tracking_code, category_id, kind, status, description, lat, lng, kecamatan_code, kelurahan_code, address,
                               attributes, unit_id, hidden, submitted_at, verified_at, updated_at, channel)
       SELECT tenant_id, gen_random_uuid(), 'ADU-BULK-' || lpad(n::text, 4, '0'), category_id, kind, 'verified', description, lat, lng, kecamatan_code,
              kelurahan_code, address, attributes, unit_id, false, timestamptz '2027-04-01T00:00:00Z' + n * interval '1 minute', verified_at, updated_at, channel
         FROM complaints, generate_series(1, 1005) AS n
        WHERE id = $1`,
      [row.id],
    );
    const items = (await get('/open311/v2/requests.json?start_date=2027-04-01T00:00:00Z&end_date=2027-04-30T00:00:00Z')).json();
    expect(items).toHaveLength(1000);
    expect(items[0].service_request_id).toBe('ADU-BULK-1005');
    expect(items[999].service_request_id).toBe('ADU-BULK-0006');
    const many = Array.from({ length: 1001 }, (_, i) => `ADU-BULK-${String(i).padStart(4, '0')}`).join(',');
    expectErrors(await get(`/open311/v2/requests.json?service_request_id=${many}`), 400, /service_request_id: Maksimal 1000/);
  });
});
