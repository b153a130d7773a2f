import { type Dirent, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../test/support/app.js';
import { anonymous, systemActor } from '../policies/actor.js';
import { storeUpload } from './commands/storeUpload.js';
import { FILE_CSP, PRIVATE_MAX_AGE, PUBLIC_MAX_AGE, UPLOAD_RATE_PER_MINUTE } from './routes.js';
import { fileServiceFor } from './service.js';
import * as S from './testSamples.js';

let t: TestApp;
let dataDir: string;
const UPLOAD_MAX_MB = 1;

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'files-api-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir, UPLOAD_MAX_MB: String(UPLOAD_MAX_MB) } });
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

let ipCounter = 0;
/** Each upload comes from its own address unless told, so the per-IP limit only bites where tested. */
const nextIp = () => `10.9.${(++ipCounter >> 8) & 255}.${ipCounter & 255}`;

interface UploadOpts {
  data?: Buffer;
  filename?: string;
  contentType?: string;
  purpose?: string;
  session?: Session;
  /** Tenant path prefix, e.g. `/t/tanjungpinang`. */
  prefix?: string;
  ip?: string;
  parts?: S.Part[];
  headers?: Record<string, string>;
}

function upload(o: UploadOpts) {
  const parts = o.parts ?? [
    { name: 'file', filename: o.filename ?? 'foto.jpg', contentType: o.contentType ?? 'image/jpeg', data: o.data ?? Buffer.alloc(0) },
    ...(o.purpose !== undefined ? [{ name: 'purpose', data: o.purpose }] : []),
  ];
  const { payload, headers } = S.multipart(parts);
  const h: Record<string, string> = { ...headers, ...o.headers };
  if (o.session) {
    h.cookie = o.session.cookie;
    h['x-csrf-token'] ??= o.session.csrf;
  }
  return t.app.inject({ method: 'POST', url: `${o.prefix ?? o.session?.prefix ?? ''}/api/v1/files`, payload, headers: h, remoteAddress: o.ip ?? nextIp() });
}

function get(url: string, o: { session?: Session; headers?: Record<string, string> } = {}) {
  return t.app.inject({ method: 'GET', url, headers: { ...(o.session ? { cookie: o.session.cookie } : {}), ...o.headers } });
}

function blobFiles(): string[] {
  const root = join(dataDir, 'files');
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

const blobPath = (sha: string) => join(dataDir, 'files', sha.slice(0, 2), sha.slice(2, 4), sha);

async function snapshot() {
  const [r] = await t.db.query<{ files: number; audits: number }>(
    `SELECT (SELECT count(*)::int FROM files) AS files, (SELECT count(*)::int FROM audit_events WHERE action LIKE 'file.%') AS audits`,
  );
  return { ...r, blobs: blobFiles() };
}

async function fileRow(id: string) {
  const [row] = await t.db.query<Record<string, any>>('SELECT * FROM files WHERE id = $1', [id]);
  return row;
}

describe('upload', () => {
  it('takes an anonymous photo: GPS for prefill, stripped JPEG and WebP thumbnail stored by hash, token for the uploader', async () => {
    const before = await snapshot();
    const input = await S.jpegWithGps(1200, 900);
    expect((await exifr.gps(input)).latitude).toBeCloseTo(S.MAKASSAR_GPS.lat, 4);
    const res = await upload({ data: input, filename: 'Jalan Rusak — Pañakkukang (1).jpg' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ mime: 'image/jpeg', width: 1200, height: 900, url: `/api/v1/files/${body.id}`, thumbUrl: `/api/v1/files/${body.id}/thumb` });
    expect(body.gps.lat).toBeCloseTo(S.MAKASSAR_GPS.lat, 4);
    expect(body.gps.lng).toBeCloseTo(S.MAKASSAR_GPS.lng, 4);
    expect(body.downloadToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const row = await fileRow(body.id);
    expect(row).toMatchObject({ mime: 'image/jpeg', size: body.size, width: 1200, height: 900, purpose: 'upload', visibility: 'private', uploaded_by: null });
    expect(row.original_name).toBe('Jalan Rusak — Pañakkukang (1).jpg');
    expect(row.gps_lat).toBeCloseTo(S.MAKASSAR_GPS.lat, 4);
    // Only the token's hash is kept.
    expect(Buffer.from(row.access_token_hash).length).toBe(32);
    expect(Buffer.from(row.access_token_hash).toString('base64url')).not.toBe(body.downloadToken);

    const stored = readFileSync(blobPath(row.sha256));
    expect(stored.length).toBe(body.size);
    expect(await exifr.gps(stored)).toBeUndefined();
    expect((await sharp(stored).metadata()).exif).toBeUndefined();
    expect((await sharp(readFileSync(blobPath(row.thumb_sha256))).metadata()).format).toBe('webp');

    const after = await snapshot();
    expect(after.files).toBe(before.files + 1);
    expect(after.blobs.filter((b) => !before.blobs.includes(b)).sort()).toEqual(
      [row.sha256, row.thumb_sha256].map((s: string) => join(s.slice(0, 2), s.slice(2, 4), s)).sort(),
    );
    const [audit] = await t.db.query<{ actor_kind: string; data: any }>(`SELECT actor_kind, data FROM audit_events WHERE action = 'file.uploaded' AND entity_id = $1`, [body.id]);
    expect(audit.actor_kind).toBe('anonymous');
    expect(audit.data).toMatchObject({ mime: 'image/jpeg', size: body.size, hasGps: true, purpose: 'upload' });
    // The position is personal data: it is in the row for the module, not copied into the audit trail.
    expect(JSON.stringify(audit.data)).not.toContain('119.43');
  });

  it('serves the anonymous upload only with its token, with safe headers and ETag revalidation', async () => {
    const res = await upload({ data: await S.jpegWithGps(), filename: 'Jalan Rusak — Pañakkukang (1).jpg' });
    const { id, url, thumbUrl, downloadToken } = res.json();
    const row = await fileRow(id);

    expect((await get(url)).statusCode).toBe(404);
    expect((await get(`${url}?token=${'A'.repeat(43)}`)).statusCode).toBe(404);
    const other = (await upload({ data: await S.png() })).json();
    expect((await get(`${url}?token=${other.downloadToken}`)).statusCode).toBe(404);

    const ok = await get(`${url}?token=${downloadToken}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.rawPayload.equals(readFileSync(blobPath(row.sha256)))).toBe(true);
    expect(ok.headers['content-type']).toBe('image/jpeg');
    expect(ok.headers['content-length']).toBe(String(row.size));
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    expect(ok.headers['content-security-policy']).toBe(FILE_CSP);
    expect(ok.headers['content-disposition']).toBe('inline; filename="Jalan_Rusak_Panakkukang_1.jpg"');
    expect(ok.headers['cache-control']).toBe(`private, max-age=${PRIVATE_MAX_AGE}`);
    expect(ok.headers.etag).toBe(`"${row.sha256}"`);

    const byHeader = await get(url, { headers: { 'x-file-token': downloadToken } });
    expect(byHeader.statusCode).toBe(200);

    const thumb = await get(`${thumbUrl}?token=${downloadToken}`);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect(thumb.headers.etag).toBe(`"${row.thumb_sha256}"`);
    expect(thumb.headers['content-disposition']).toBe('inline; filename="Jalan_Rusak_Panakkukang_1-thumb.webp"');
    expect((await sharp(thumb.rawPayload).metadata()).format).toBe('webp');
    expect((await get(thumbUrl)).statusCode).toBe(404);

    const again = await get(`${url}?token=${downloadToken}`, { headers: { 'if-none-match': `W/"x", "${row.sha256}"` } });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    // Revalidation is no side door: without access, the same ETag still gets 404.
    expect((await get(url, { headers: { 'if-none-match': `"${row.sha256}"` } })).statusCode).toBe(404);
  });

  it('lets a signed-in uploader (and nobody else) download their private file; no token is issued', async () => {
    const citizen = await t.login(DEMO.citizen);
    const res = await upload({ data: await S.png(), filename: 'bukti.png', contentType: 'image/png', session: citizen });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.downloadToken).toBeUndefined();
    expect(body).toMatchObject({ mime: 'image/webp', width: 300, height: 200, gps: null });
    expect((await fileRow(body.id)).uploaded_by).toBe(citizen.userId);

    const mine = await get(body.url, { session: citizen });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('image/webp');
    expect(mine.headers['content-disposition']).toBe('inline; filename="bukti.webp"');
    for (const who of [await t.login(DEMO.admin), await t.login(DEMO.puStaff)]) {
      const denied = await get(body.url, { session: who });
      expect(denied.statusCode).toBe(404);
      expect(denied.json().code).toBe('file_not_found');
    }
    expect((await get(body.url)).statusCode).toBe(404);
  });

  it('refuses a signed-in upload without the CSRF token and writes nothing', async () => {
    const citizen = await t.login(DEMO.citizen);
    const before = await snapshot();
    const res = await upload({ data: await S.png(), session: citizen, headers: { 'x-csrf-token': 'salah' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_invalid');
    expect(await snapshot()).toEqual(before);
  });

  it('keeps a PDF byte for byte and serves it as an attachment without thumbnail', async () => {
    const pdf = S.plainPdf();
    const res = await upload({ data: pdf, filename: 'surat keterangan.pdf', contentType: 'application/pdf' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ mime: 'application/pdf', size: pdf.length, width: null, height: null, gps: null, thumbUrl: null });
    const dl = await get(`${body.url}?token=${body.downloadToken}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(pdf)).toBe(true);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-disposition']).toBe('attachment; filename="surat_keterangan.pdf"');
    expect((await get(`${body.url}/thumb?token=${body.downloadToken}`)).statusCode).toBe(404);
  });

  it('stores identical content once', async () => {
    const bytes = await S.png(320, 240);
    const first = (await upload({ data: bytes, contentType: 'image/png' })).json();
    const blobsAfterFirst = blobFiles();
    const second = await upload({ data: bytes, contentType: 'image/png' });
    expect(second.statusCode).toBe(201);
    expect(second.json().id).not.toBe(first.id);
    expect((await fileRow(second.json().id)).sha256).toBe((await fileRow(first.id)).sha256);
    expect(blobFiles()).toEqual(blobsAfterFirst);
  });

  it('downsizes a 4000×3000 photo to 2048×1536', async () => {
    const res = await upload({ data: await S.jpeg(4000, 3000) });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ width: 2048, height: 1536 });
    const stored = readFileSync(blobPath((await fileRow(res.json().id)).sha256));
    const meta = await sharp(stored).metadata();
    expect([meta.width, meta.height]).toEqual([2048, 1536]);
  });

  it('accepts a JPEG with an appended ZIP or HTML payload, but stores and serves it without the payload', async () => {
    for (const tail of [S.zipArchive(), Buffer.from(S.APPENDED_HTML)]) {
      const input = Buffer.concat([await S.jpeg(), tail]);
      expect(input.includes(tail)).toBe(true);
      const res = await upload({ data: input });
      expect(res.statusCode).toBe(201);
      const { url, downloadToken, id } = res.json();
      const stored = readFileSync(blobPath((await fileRow(id)).sha256));
      const served = (await get(`${url}?token=${downloadToken}`)).rawPayload;
      for (const bytes of [stored, served]) {
        expect(bytes.includes(Buffer.from('PK\x03\x04', 'latin1'))).toBe(false);
        expect(bytes.includes(Buffer.from('isi rahasia'))).toBe(false);
        expect(bytes.includes(Buffer.from('<script'))).toBe(false);
      }
    }
  });

  it('answers HEAD with the headers only', async () => {
    const { url, downloadToken } = (await upload({ data: await S.png() })).json();
    const head = await t.app.inject({ method: 'HEAD', url: `${url}?token=${downloadToken}` });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toBe('image/webp');
    expect(head.rawPayload.length).toBe(0);
    expect((await t.app.inject({ method: 'HEAD', url })).statusCode).toBe(404);
  });

  it('documents the three routes in the OpenAPI description', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/files', '/api/v1/files/{id}', '/api/v1/files/{id}/thumb']));
    expect(doc.paths['/api/v1/files'].post.responses['201']).toBeDefined();
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    expect((await get('/api/v1/files/not-a-uuid')).statusCode).toBe(400);
    const res = await get('/api/v1/files/0190b7a0-0000-7000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('file_not_found');
  });
});

describe('refusals write nothing', () => {
  const big = () => S.bigJpeg(UPLOAD_MAX_MB * 1024 * 1024 + 50_000);
  const cases: [string, () => Promise<UploadOpts>, number, string][] = [
    ['SVG', async () => ({ data: S.svg(), filename: 'peta.svg', contentType: 'image/svg+xml' }), 415, 'file_type_unsupported'],
    ['bare SVG', async () => ({ data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), filename: 'x.svg' }), 415, 'file_type_unknown'],
    ['HTML named photo.jpg', async () => ({ data: S.html(), filename: 'photo.jpg', contentType: 'image/jpeg' }), 415, 'file_type_unknown'],
    ['ELF executable', async () => ({ data: S.elf(), filename: 'foto.jpg' }), 415, 'file_type_unsupported'],
    ['Windows executable', async () => ({ data: S.windowsExe(), filename: 'foto.jpg' }), 415, 'file_type_unsupported'],
    ['shell script', async () => ({ data: S.shellScript(), filename: 'foto.jpg' }), 415, 'file_type_unknown'],
    ['ZIP archive', async () => ({ data: S.zipArchive(), filename: 'berkas.zip', contentType: 'application/zip' }), 415, 'file_type_unsupported'],
    ['HEIC photo', async () => ({ data: S.heicHeader(), filename: 'IMG_0001.HEIC', contentType: 'image/heic' }), 415, 'file_heic'],
    ['truncated JPEG', async () => ({ data: await S.truncatedJpeg() }), 400, 'file_broken'],
    ['decompression bomb', async () => ({ data: S.bombPng(), contentType: 'image/png' }), 413, 'file_too_many_pixels'],
    ['empty file', async () => ({ data: Buffer.alloc(0) }), 400, 'file_empty'],
    ['oversized photo', async () => ({ data: await big() }), 413, 'file_too_large'],
    ['oversized PDF', async () => ({ data: Buffer.concat([S.plainPdf(), Buffer.alloc(UPLOAD_MAX_MB * 1024 * 1024)]), contentType: 'application/pdf' }), 413, 'file_too_large'],
    ['PDF with JavaScript', async () => ({ data: S.pdfWithJavaScript(), contentType: 'application/pdf' }), 415, 'file_pdf_active'],
    ['PDF with JavaScript in an object stream', async () => ({ data: S.pdfWithJavaScriptInObjectStream() }), 415, 'file_pdf_active'],
    ['PDF with a launch action', async () => ({ data: S.pdfWithLaunch() }), 415, 'file_pdf_active'],
    ['PDF with an embedded file', async () => ({ data: S.pdfWithEmbeddedFile() }), 415, 'file_pdf_active'],
    ['encrypted PDF', async () => ({ data: S.encryptedPdf() }), 415, 'file_pdf_encrypted'],
    ['PDF+HTML polyglot', async () => ({ data: S.pdfHtmlPolyglot(), filename: 'a.pdf' }), 415, 'file_polyglot'],
    ['PDF+ZIP polyglot', async () => ({ data: S.pdfZipPolyglot(), filename: 'a.pdf' }), 415, 'file_polyglot'],
    ['truncated PDF', async () => ({ data: S.truncatedPdf() }), 400, 'file_broken'],
    ['unknown purpose', async () => ({ data: await S.png(), purpose: 'rahasia.negara' }), 400, 'validation'],
    [
      'two files in one request',
      async () => ({
        parts: [
          { name: 'file', filename: 'a.png', contentType: 'image/png', data: await S.png() },
          { name: 'file', filename: 'b.png', contentType: 'image/png', data: await S.png(10, 10) },
        ],
      }),
      400,
      'file_one_only',
    ],
    ['a file under another field name', async () => ({ parts: [{ name: 'photo', filename: 'a.png', data: await S.png() }] }), 400, 'validation'],
    ['an unknown extra field', async () => ({ parts: [{ name: 'file', filename: 'a.png', data: await S.png() }, { name: 'owner', data: 'x' }] }), 400, 'validation'],
    [
      'too many fields',
      async () => ({
        parts: [
          { name: 'purpose', data: 'upload' },
          { name: 'purpose', data: 'upload' },
          { name: 'file', filename: 'a.png', data: await S.png() },
        ],
      }),
      400,
      'file_form_invalid',
    ],
    ['no file', async () => ({ parts: [{ name: 'purpose', data: 'upload' }] }), 400, 'validation'],
    ['the file sent as a text field', async () => ({ parts: [{ name: 'file', data: 'bukan berkas' }] }), 400, 'validation'],
  ];

  for (const [name, make, status, code] of cases) {
    it(`${name} → ${status} ${code}`, async () => {
      const opts = await make();
      const before = await snapshot();
      const res = await upload(opts);
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().code).toBe(code);
      expect(await snapshot()).toEqual(before);
    });
  }

  it('explains HEIC in Indonesian by default and in English on request', async () => {
    const id = await upload({ data: S.heicHeader(), filename: 'IMG_0001.HEIC' });
    expect(id.json().title).toMatch(/HEIC.*JPEG/);
    expect(id.json().title).toMatch(/Pilih foto/);
    const en = await upload({ data: S.heicHeader(), headers: { 'accept-language': 'en' } });
    expect(en.json().title).toMatch(/Choose a JPEG photo/);
  });

  it('names the field of a field-level refusal', async () => {
    const res = await upload({ data: await S.png(), purpose: 'rahasia.negara' });
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'purpose', code: 'field.file_purpose' })]);
    const none = await upload({ parts: [{ name: 'purpose', data: 'upload' }] });
    expect(none.json().errors).toEqual([expect.objectContaining({ field: 'file', code: 'field.file_required' })]);
  });

  it('refuses non-multipart bodies', async () => {
    const before = await snapshot();
    const json = await t.app.inject({ method: 'POST', url: '/api/v1/files', payload: { file: 'aGFp' } });
    expect(json.statusCode).toBe(415);
    expect(json.json().code).toBe('file_multipart_required');
    const raw = await t.app.inject({ method: 'POST', url: '/api/v1/files', payload: await S.jpeg(), headers: { 'content-type': 'image/jpeg' } });
    expect(raw.statusCode).toBe(415);
    expect(await snapshot()).toEqual(before);
  });

  it(`limits uploads to ${UPLOAD_RATE_PER_MINUTE} per minute per IP address`, async () => {
    const ip = '10.77.0.1';
    for (let i = 0; i < UPLOAD_RATE_PER_MINUTE; i++) {
      expect((await upload({ data: Buffer.alloc(0), ip })).statusCode).toBe(400);
    }
    const before = await snapshot();
    const limited = await upload({ data: await S.png(), ip });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    expect(await snapshot()).toEqual(before);
    expect((await upload({ data: await S.png(), ip: '10.77.0.2' })).statusCode).toBe(201);
  });
});

describe('tenants and visibility', () => {
  it('never serves another tenant’s file, even with its token', async () => {
    const res = await upload({ data: await S.png(), prefix: '/t/tanjungpinang' });
    expect(res.statusCode).toBe(201);
    const { id, url, downloadToken } = res.json();
    expect(url).toBe(`/t/tanjungpinang/api/v1/files/${id}`);
    const tpi = await t.db.query<{ tenant_id: string }>('SELECT f.tenant_id FROM files f JOIN tenants t ON t.id = f.tenant_id WHERE f.id = $1 AND t.slug = $2', [id, 'tanjungpinang']);
    expect(tpi).toHaveLength(1);
    expect((await get(`${url}?token=${downloadToken}`)).statusCode).toBe(200);
    const cross = await get(`/api/v1/files/${id}?token=${downloadToken}`);
    expect(cross.statusCode).toBe(404);
    expect(cross.json().code).toBe('file_not_found');
    expect((await get(`/api/v1/files/${id}/thumb?token=${downloadToken}`)).statusCode).toBe(404);
    const admin = await t.login(DEMO.admin);
    expect((await get(`/api/v1/files/${id}`, { session: admin })).statusCode).toBe(404);
  });

  it('serves a public file to anyone of its tenant with public caching, and to no other tenant', async () => {
    const tenant = (await t.app.tenants.bySlug('makassar'))!;
    const ctx = { db: t.db, tenant, actor: systemActor, clock: t.clock, locale: 'id' as const };
    const service = fileServiceFor(t.app.deps.config);
    const r = await storeUpload(ctx, { buffer: await S.png(), originalName: 'logo kota.png', visibility: 'public' }, service);
    expect(r.downloadToken).toBeNull();
    const res = await get(`/api/v1/files/${r.file.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe(`public, max-age=${PUBLIC_MAX_AGE}`);
    expect(res.headers['content-disposition']).toBe('inline; filename="logo_kota.webp"');
    expect((await get(`/t/tanjungpinang/api/v1/files/${r.file.id}`)).statusCode).toBe(404);
    // An anonymous command caller (a job acting for nobody) gets a token like any anonymous uploader.
    const anon = await storeUpload({ ...ctx, actor: anonymous }, { buffer: await S.png() }, service);
    expect(anon.downloadToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
