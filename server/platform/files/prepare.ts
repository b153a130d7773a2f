import { inflateSync } from 'node:zlib';
import type sharpType from 'sharp';
import { Invalid, PayloadTooLarge, UnsupportedMediaType } from '../errors.js';

/**
 * The image and type-detection libraries load on the first upload, not at start: they are heavy
 * (sharp's native module alone costs ~100 ms) and most processes start far more often than a
 * first photo arrives.
 */
let libs: Promise<{ sharp: typeof sharpType; fileTypeFromBuffer: typeof import('file-type').fileTypeFromBuffer; exifr: typeof import('exifr').default }> | undefined;
function loadLibs() {
  libs ??= Promise.all([import('sharp'), import('file-type'), import('exifr')]).then(([s, ft, ex]) => ({
    sharp: s.default,
    fileTypeFromBuffer: ft.fileTypeFromBuffer,
    exifr: ex.default,
  }));
  return libs;
}

/**
 * Turns uploaded bytes into what may be stored: the type is decided by magic bytes (never by
 * name or client content type); images are decoded under a pixel limit, GPS is read from EXIF,
 * then they are re-encoded (orientation applied, metadata stripped, longest side bounded) with a
 * thumbnail; PDFs are kept byte for byte after refusing encrypted and active content. Anything
 * else is refused. Pure: nothing is written here.
 */

/** Decoded size above which an image is refused (decompression bombs): 40 megapixels. */
export const MAX_INPUT_PIXELS = 40_000_000;
/** Longest side of a stored image. */
export const IMAGE_MAX_LONG_SIDE = 2048;
/** Longest side of a thumbnail (always WebP). */
export const THUMB_LONG_SIDE = 320;
export const JPEG_QUALITY = 82;
export const WEBP_QUALITY = 82;
export const THUMB_QUALITY = 70;
/** Largest decompressed object stream examined in a PDF. */
const PDF_MAX_INFLATED_STREAM = 64 * 1024 * 1024;
/** Names whose presence anywhere in a PDF's objects means scripts, launches or hidden files. */
const PDF_ACTIVE_NAMES = new Set(['JavaScript', 'JS', 'Launch', 'EmbeddedFile', 'EmbeddedFiles', 'RichMedia', 'XFA']);
/** Markers of a second, browser-renderable format inside a PDF (PDF/HTML polyglots). */
const HTML_MARKERS = ['<html', '<script', '<body', '<!doctype', '<iframe', '<svg', '<object', '<embed', 'javascript:'];

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
export const DOCUMENT_TYPES = ['application/pdf'] as const;
const HEIF_TYPES = new Set(['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence']);
const SHARP_FORMAT: Record<string, string> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif' };

/** Per-type size limits in bytes. */
export interface UploadLimits {
  imageBytes: number;
  pdfBytes: number;
  maxInputPixels: number;
}

export function uploadLimits(config: { UPLOAD_MAX_MB: number }): UploadLimits {
  const bytes = Math.floor(config.UPLOAD_MAX_MB * 1024 * 1024);
  return { imageBytes: bytes, pdfBytes: bytes, maxInputPixels: MAX_INPUT_PIXELS };
}

/** The largest upload of any type: the multipart limit of the upload route. */
export function largestUpload(limits: UploadLimits): number {
  return Math.max(limits.imageBytes, limits.pdfBytes);
}

export interface PreparedFile {
  kind: 'image' | 'pdf';
  /** Content type of the stored bytes. */
  mime: string;
  /** File extension matching `mime`. */
  ext: string;
  bytes: Buffer;
  width: number | null;
  height: number | null;
  /** WebP thumbnail of an image. */
  thumb: Buffer | null;
  /** Position read from EXIF before it was stripped. */
  gps: { lat: number; lng: number } | null;
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MB` : `${Math.ceil(n / 1024)} KB`;
}

export async function prepareFile(input: Buffer, limits: UploadLimits): Promise<PreparedFile> {
  if (input.length === 0) throw new Invalid('file_empty');
  const { fileTypeFromBuffer } = await loadLibs();
  const detected = await fileTypeFromBuffer(input);
  if (!detected) throw new UnsupportedMediaType('file_type_unknown');
  if (HEIF_TYPES.has(detected.mime)) throw new UnsupportedMediaType('file_heic');
  if ((IMAGE_TYPES as readonly string[]).includes(detected.mime)) {
    if (input.length > limits.imageBytes) throw new PayloadTooLarge('file_too_large', { limit: formatBytes(limits.imageBytes) });
    return prepareImage(input, detected.mime, limits);
  }
  if (detected.mime === 'application/pdf') {
    if (input.length > limits.pdfBytes) throw new PayloadTooLarge('file_too_large', { limit: formatBytes(limits.pdfBytes) });
    checkPdf(input);
    return { kind: 'pdf', mime: 'application/pdf', ext: 'pdf', bytes: input, width: null, height: null, thumb: null, gps: null };
  }
  throw new UnsupportedMediaType('file_type_unsupported', { type: detected.mime });
}

async function prepareImage(input: Buffer, mime: string, limits: UploadLimits): Promise<PreparedFile> {
  const { sharp } = await loadLibs();
  // failOn 'truncated': an image that ends early is refused, while the minor decoder warnings
  // that many phone cameras' JPEGs raise ("extraneous bytes before marker") are tolerated.
  const open = () => sharp(input, { limitInputPixels: limits.maxInputPixels, failOn: 'truncated', pages: 1 });
  let format: string | undefined;
  try {
    // The header alone tells the declared size: a bomb is refused before any pixel is decoded.
    ({ format } = await open().metadata());
  } catch (e) {
    throw imageError(e, limits);
  }
  if (format !== SHARP_FORMAT[mime]) throw new Invalid('file_broken');

  const gps = await readGps(input);
  const jpeg = mime === 'image/jpeg';
  try {
    const pipeline = open()
      .rotate()
      .resize({ width: IMAGE_MAX_LONG_SIDE, height: IMAGE_MAX_LONG_SIDE, fit: 'inside', withoutEnlargement: true });
    // Output carries no metadata: sharp strips EXIF, XMP, IPTC and comments unless asked to keep them.
    const { data, info } = await (jpeg ? pipeline.jpeg({ quality: JPEG_QUALITY }) : pipeline.webp({ quality: WEBP_QUALITY })).toBuffer({
      resolveWithObject: true,
    });
    const thumb = await sharp(data)
      .resize({ width: THUMB_LONG_SIDE, height: THUMB_LONG_SIDE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: THUMB_QUALITY })
      .toBuffer();
    return {
      kind: 'image',
      mime: jpeg ? 'image/jpeg' : 'image/webp',
      ext: jpeg ? 'jpg' : 'webp',
      bytes: data,
      width: info.width,
      height: info.height,
      thumb,
      gps,
    };
  } catch (e) {
    throw imageError(e, limits);
  }
}

function imageError(e: unknown, limits: UploadLimits): Error {
  if (/pixel limit/i.test(String((e as Error)?.message))) {
    return new PayloadTooLarge('file_too_many_pixels', { max: Math.round(limits.maxInputPixels / 1_000_000) });
  }
  return new Invalid('file_broken');
}

/** GPS position from EXIF, when present and plausible; a damaged EXIF block is ignored. */
async function readGps(input: Buffer): Promise<{ lat: number; lng: number } | null> {
  try {
    const { exifr } = await loadLibs();
    const g = await exifr.gps(input);
    const lat = g?.latitude;
    const lng = g?.longitude;
    if (typeof lat !== 'number' || typeof lng !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lng)) return null;
    if (Math.abs(lat) > 90 || Math.abs(lng) > 180 || (lat === 0 && lng === 0)) return null;
    return { lat: Math.round(lat * 1e7) / 1e7, lng: Math.round(lng * 1e7) / 1e7 };
  } catch {
    return null;
  }
}

/** Decodes `#xx` escapes of a PDF name (`/J#61vaScript` is `/JavaScript`). */
function decodeName(raw: string): string {
  return raw.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

function* pdfNames(text: string): Generator<string> {
  for (const m of text.matchAll(/\/([^\s/<>[\](){}%]+)/g)) yield decodeName(m[1]);
}

/** Refuses encrypted PDFs and ones whose objects name scripts, launches or embedded files. */
function refuseActiveNames(text: string): void {
  for (const name of pdfNames(text)) {
    if (name === 'Encrypt') throw new UnsupportedMediaType('file_pdf_encrypted');
    if (PDF_ACTIVE_NAMES.has(name)) throw new UnsupportedMediaType('file_pdf_active', { feature: name });
  }
}

/** Refuses PDF bytes that are also renderable as HTML. */
function refuseHtml(text: string): void {
  const lower = text.toLowerCase();
  for (const marker of HTML_MARKERS) {
    if (lower.includes(marker)) throw new UnsupportedMediaType('file_polyglot', { other: 'HTML' });
  }
}

/**
 * Refuses PDFs that are truncated, encrypted, carry scripts, launch actions or embedded files
 * (also when hidden in compressed object streams), or are at the same time HTML or ZIP.
 */
export function checkPdf(bytes: Buffer): void {
  const text = bytes.toString('latin1');
  const tail = text.slice(-1024);
  if (!tail.includes('%%EOF') || !text.includes('startxref')) throw new Invalid('file_broken');
  refuseHtml(text);
  // A ZIP reader looks for its end-of-central-directory record near the end of the file.
  if (text.slice(-65_557).includes('PK\x05\x06')) throw new UnsupportedMediaType('file_polyglot', { other: 'ZIP' });
  refuseActiveNames(text);

  // Objects can also sit compressed inside object streams (PDF 1.5+): inflate and scan those.
  for (const stream of objectStreams(bytes, text)) {
    let inflated: Buffer;
    try {
      inflated = inflateSync(stream, { maxOutputLength: PDF_MAX_INFLATED_STREAM });
    } catch {
      throw new UnsupportedMediaType('file_pdf_unreadable');
    }
    const inner = inflated.toString('latin1');
    refuseActiveNames(inner);
    refuseHtml(inner);
  }
}

/** The raw data of every stream whose dictionary says `/Type /ObjStm`. */
function* objectStreams(bytes: Buffer, text: string): Generator<Buffer> {
  let from = 0;
  for (;;) {
    const at = text.indexOf('stream', from);
    if (at < 0) return;
    from = at + 6;
    if (text.slice(at - 3, at) === 'end') continue;
    let start = at + 6;
    if (text[start] === '\r') start++;
    if (text[start] === '\n') start++;
    const end = text.indexOf('endstream', start);
    if (end < 0) return;
    const window = text.slice(Math.max(0, at - 4096), at);
    const heads = [...window.matchAll(/\d+\s+\d+\s+obj\b/g)];
    const dict = heads.length ? window.slice(heads[heads.length - 1].index) : window;
    if ([...pdfNames(dict)].includes('ObjStm')) {
      let stop = end;
      if (text[stop - 1] === '\n') stop--;
      if (text[stop - 1] === '\r') stop--;
      yield bytes.subarray(start, stop);
    }
    from = end + 9;
  }
}
