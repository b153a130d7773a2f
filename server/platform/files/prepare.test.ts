import { deflateSync } from 'node:zlib';
import exifr from 'exifr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { checkPdf, IMAGE_MAX_LONG_SIDE, MAX_INPUT_PIXELS, prepareFile, THUMB_LONG_SIDE, type UploadLimits, uploadLimits } from './prepare.js';
import * as S from './testSamples.js';

const limits = uploadLimits({ UPLOAD_MAX_MB: 10 });

async function refusal(p: Promise<unknown>): Promise<{ status: number; code: string; params: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return { status: e.status, code: e.code, params: e.params };
    throw e;
  }
  throw new Error('expected a refusal, got success');
}

describe('images', () => {
  it('reads EXIF GPS before re-encoding and leaves no metadata in the stored JPEG or thumbnail', async () => {
    const input = await S.jpegWithGps();
    // The sample really carries GPS and camera data, or this test proves nothing.
    const before = await exifr.gps(input);
    expect(before.latitude).toBeCloseTo(S.MAKASSAR_GPS.lat, 4);
    expect((await exifr.parse(input))?.Model).toBe('Secret Model 9000');

    const out = await prepareFile(input, limits);
    expect(out).toMatchObject({ kind: 'image', mime: 'image/jpeg', ext: 'jpg', width: 640, height: 480 });
    expect(out.gps!.lat).toBeCloseTo(S.MAKASSAR_GPS.lat, 4);
    expect(out.gps!.lng).toBeCloseTo(S.MAKASSAR_GPS.lng, 4);
    expect(await exifr.parse(out.bytes)).toBeUndefined();
    expect(await exifr.gps(out.bytes)).toBeUndefined();
    for (const bytes of [out.bytes, out.thumb!]) {
      const meta = await sharp(bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(bytes.includes(Buffer.from('Secret Model'))).toBe(false);
      expect(bytes.includes(Buffer.from('Warga Rahasia'))).toBe(false);
    }
    const thumb = await sharp(out.thumb!).metadata();
    expect(thumb.format).toBe('webp');
    expect(Math.max(thumb.width!, thumb.height!)).toBe(THUMB_LONG_SIDE);
  });

  it('applies the EXIF orientation before stripping it', async () => {
    // 400×200 pixels stored, tagged "rotate 90° clockwise": the picture is 200×400 as seen.
    const input = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#336699' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await sharp(input).metadata()).orientation).toBe(6);
    const out = await prepareFile(input, limits);
    expect([out.width, out.height]).toEqual([200, 400]);
    expect((await sharp(out.bytes).metadata()).orientation).toBeUndefined();
  });

  it('downsizes a 4000×3000 photo to a longest side of 2048 px', async () => {
    const out = await prepareFile(await S.jpeg(4000, 3000), limits);
    expect([out.width, out.height]).toEqual([IMAGE_MAX_LONG_SIDE, 1536]);
    const meta = await sharp(out.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([2048, 1536]);
  });

  it('re-encodes PNG, WebP and GIF to WebP and never enlarges', async () => {
    for (const [make, w, h] of [
      [S.png, 300, 200],
      [S.webp, 300, 200],
      [S.gif, 120, 90],
    ] as const) {
      const out = await prepareFile(await make(), limits);
      expect(out).toMatchObject({ kind: 'image', mime: 'image/webp', ext: 'webp', width: w, height: h, gps: null });
      expect((await sharp(out.bytes).metadata()).format).toBe('webp');
    }
  });

  it('drops a payload appended to a JPEG (JPEG+ZIP, JPEG+HTML polyglots)', async () => {
    const base = await S.jpeg();
    for (const tail of [S.zipArchive(), Buffer.from(S.APPENDED_HTML)]) {
      const out = await prepareFile(Buffer.concat([base, tail]), limits);
      expect(out.bytes.includes(Buffer.from('PK\x03\x04', 'latin1'))).toBe(false);
      expect(out.bytes.includes(Buffer.from('<script'))).toBe(false);
      expect(out.bytes.includes(Buffer.from('isi rahasia'))).toBe(false);
    }
  });

  it('refuses a decompression bomb from its header, quickly', async () => {
    const bomb = S.bombPng();
    expect(bomb.length).toBeLessThan(100_000);
    const meta = await sharp(bomb, { limitInputPixels: false }).metadata();
    expect(meta.width! * meta.height!).toBeGreaterThan(MAX_INPUT_PIXELS);
    const started = Date.now();
    expect(await refusal(prepareFile(bomb, limits))).toMatchObject({ status: 413, code: 'file_too_many_pixels', params: { max: 40 } });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses truncated images as broken', async () => {
    expect(await refusal(prepareFile(await S.truncatedJpeg(), limits))).toMatchObject({ status: 400, code: 'file_broken' });
    const png = await S.png(800, 600);
    expect(await refusal(prepareFile(png.subarray(0, png.length - 40), limits))).toMatchObject({ status: 400, code: 'file_broken' });
    const webp = await sharp(S.noise(400, 300), { raw: { width: 400, height: 300, channels: 3 } }).webp().toBuffer();
    expect(await refusal(prepareFile(webp.subarray(0, Math.floor(webp.length * 0.6)), limits))).toMatchObject({ status: 400, code: 'file_broken' });
  });

  it('applies the per-type size limit', async () => {
    const small: UploadLimits = { imageBytes: 1000, pdfBytes: 100_000, maxInputPixels: MAX_INPUT_PIXELS };
    const photo = await S.jpeg(640, 480);
    expect(photo.length).toBeGreaterThan(1000);
    expect(await refusal(prepareFile(photo, small))).toMatchObject({ status: 413, code: 'file_too_large', params: { limit: '1 KB' } });
    // The same limits take a PDF larger than the image limit.
    const pdf = S.buildPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>', `(${'x'.repeat(2000)})`]);
    expect(pdf.length).toBeGreaterThan(2000);
    expect((await prepareFile(pdf, small)).kind).toBe('pdf');
    expect(await refusal(prepareFile(Buffer.concat([pdf, Buffer.alloc(100_000)]), small))).toMatchObject({ status: 413, code: 'file_too_large' });
  });
});

describe('types', () => {
  const cases: [string, () => Buffer | Promise<Buffer>, number, string][] = [
    ['empty file', () => Buffer.alloc(0), 400, 'file_empty'],
    ['SVG with an XML declaration', S.svg, 415, 'file_type_unsupported'],
    ['bare SVG with a script', () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 415, 'file_type_unknown'],
    ['HTML', S.html, 415, 'file_type_unknown'],
    ['shell script', S.shellScript, 415, 'file_type_unknown'],
    ['ELF executable', S.elf, 415, 'file_type_unsupported'],
    ['Windows executable (MZ/PE)', S.windowsExe, 415, 'file_type_unsupported'],
    ['ZIP archive', S.zipArchive, 415, 'file_type_unsupported'],
    ['HEIC photo', S.heicHeader, 415, 'file_heic'],
  ];
  for (const [name, make, status, code] of cases) {
    it(`refuses ${name}`, async () => {
      expect(await refusal(prepareFile(await make(), limits))).toMatchObject({ status, code });
    });
  }

  it('names the detected type of a refused binary', async () => {
    expect((await refusal(prepareFile(S.zipArchive(), limits))).params).toEqual({ type: 'application/zip' });
  });
});

describe('PDF', () => {
  it('keeps a plain PDF byte for byte', async () => {
    const pdf = S.plainPdf();
    const out = await prepareFile(pdf, limits);
    expect(out).toMatchObject({ kind: 'pdf', mime: 'application/pdf', width: null, height: null, thumb: null, gps: null });
    expect(out.bytes.equals(pdf)).toBe(true);
  });

  const refused: [string, () => Buffer, number, string, Record<string, unknown>?][] = [
    ['JavaScript open action', S.pdfWithJavaScript, 415, 'file_pdf_active', { feature: 'JavaScript' }],
    ['hex-escaped JavaScript names', S.pdfWithEscapedJavaScript, 415, 'file_pdf_active', { feature: 'JavaScript' }],
    ['JavaScript hidden in an object stream', S.pdfWithJavaScriptInObjectStream, 415, 'file_pdf_active'],
    ['an object stream that cannot be inflated', S.pdfWithUnreadableObjectStream, 415, 'file_pdf_unreadable'],
    ['a launch action', S.pdfWithLaunch, 415, 'file_pdf_active', { feature: 'Launch' }],
    ['an embedded file', S.pdfWithEmbeddedFile, 415, 'file_pdf_active', { feature: 'EmbeddedFiles' }],
    ['encryption', S.encryptedPdf, 415, 'file_pdf_encrypted'],
    ['a PDF that is also HTML', S.pdfHtmlPolyglot, 415, 'file_polyglot', { other: 'HTML' }],
    ['a PDF that is also a ZIP', S.pdfZipPolyglot, 415, 'file_polyglot', { other: 'ZIP' }],
    ['a truncated PDF', S.truncatedPdf, 400, 'file_broken'],
  ];
  for (const [name, make, status, code, params] of refused) {
    it(`refuses ${name}`, async () => {
      const r = await refusal(prepareFile(make(), limits));
      expect(r).toMatchObject({ status, code });
      if (params) expect(r.params).toEqual(params);
    });
  }

  it('accepts an object stream without active content', () => {
    const clean = S.buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [] /Count 0 >>',
      (() => {
        const data = deflateSync(Buffer.from('3 0 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>')).toString('latin1');
        return `<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${Buffer.byteLength(data, 'latin1')} >>\nstream\n${data}\nendstream`;
      })(),
    ]);
    expect(() => checkPdf(clean)).not.toThrow();
  });
});
