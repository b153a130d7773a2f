/** Longest side of a photo sent to the server, its starting JPEG quality, and its size target. */
export const PHOTO_MAX_SIDE = 1600;
const QUALITY = 0.8;
/** A camera photo must reach the server in at most this many bytes (issue 4: ≤ 400 KB). */
export const PHOTO_MAX_BYTES = 400 * 1024;
/** Lower qualities tried, in order, when a very detailed photo is still over the target. */
const FALLBACK_QUALITIES = [0.7, 0.6, 0.5];

export interface LatLng {
  lat: number;
  lng: number;
}

/**
 * Downscales a camera photo in the browser to at most 1600 px on its longest side and re-encodes
 * it as JPEG (a 4 MB photo becomes a few hundred KB), so uploads stay small on mobile data.
 * EXIF orientation is applied by createImageBitmap; the metadata itself is dropped (read the GPS
 * position first with `readPhotoGps`).
 */
export async function downscalePhoto(file: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const g = canvas.getContext('2d');
    if (!g) throw new Error('canvas 2d context unavailable');
    g.drawImage(bitmap, 0, 0, width, height);
    const encode = (q: number) => new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encoding failed'))), 'image/jpeg', q));
    let blob = await encode(QUALITY);
    for (const q of FALLBACK_QUALITIES) {
      if (blob.size <= PHOTO_MAX_BYTES) break;
      blob = await encode(q);
    }
    return blob;
  } finally {
    bitmap.close();
  }
}

/** The GPS position a camera wrote into a JPEG photo, or null (no EXIF, no GPS, not a JPEG). */
export async function readPhotoGps(file: Blob): Promise<LatLng | null> {
  // The EXIF segment (APP1, at most 64 KB) comes before the image data.
  return readJpegGps(await file.slice(0, 128 * 1024).arrayBuffer());
}

/**
 * Reads GPSLatitude/GPSLongitude from a JPEG's EXIF (APP1 → TIFF → IFD0 → GPS IFD), both byte
 * orders. Anything malformed or out of range gives null, never an exception.
 */
export function readJpegGps(buf: ArrayBuffer): LatLng | null {
  const v = new DataView(buf);
  try {
    if (v.getUint16(0) !== 0xffd8) return null;
    let p = 2;
    while (p + 4 <= v.byteLength) {
      if (v.getUint8(p) !== 0xff) return null;
      const marker = v.getUint8(p + 1);
      // Start of scan or end of image: no metadata after this point.
      if (marker === 0xda || marker === 0xd9) return null;
      const len = v.getUint16(p + 2);
      if (marker === 0xe1 && len >= 16 && v.getUint32(p + 4) === 0x45786966 && v.getUint16(p + 8) === 0) {
        const gps = gpsFromTiff(new DataView(buf, p + 10, Math.min(len - 8, v.byteLength - p - 10)));
        if (gps) return gps;
      }
      p += 2 + len;
    }
  } catch {
    // Offsets pointing outside the segment: a broken or hostile file.
  }
  return null;
}

function gpsFromTiff(t: DataView): LatLng | null {
  const le = t.getUint16(0) === 0x4949;
  if (!le && t.getUint16(0) !== 0x4d4d) return null;
  const u16 = (o: number) => t.getUint16(o, le);
  const u32 = (o: number) => t.getUint32(o, le);
  if (u16(2) !== 42) return null;
  /** Offset of the 12-byte entry of `tag` in the IFD at `ifd`, or -1. */
  const entry = (ifd: number, tag: number) => {
    const n = u16(ifd);
    for (let i = 0; i < n; i++) if (u16(ifd + 2 + i * 12) === tag) return ifd + 2 + i * 12;
    return -1;
  };
  const pointer = entry(u32(4), 0x8825);
  if (pointer < 0) return null;
  const gps = u32(pointer + 8);
  const ref = (tag: number) => {
    const e = entry(gps, tag);
    return e < 0 ? '' : String.fromCharCode(t.getUint8(e + 8));
  };
  /** Degrees, minutes and seconds (three RATIONALs) as decimal degrees. */
  const dms = (tag: number) => {
    const e = entry(gps, tag);
    if (e < 0 || u16(e + 2) !== 5 || u32(e + 4) !== 3) return Number.NaN;
    const at = u32(e + 8);
    const r = (i: number) => u32(at + i * 8) / u32(at + i * 8 + 4);
    return r(0) + r(1) / 60 + r(2) / 3600;
  };
  const lat = dms(2) * (ref(1) === 'S' ? -1 : 1);
  const lng = dms(4) * (ref(3) === 'W' ? -1 : 1);
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  // 0,0 is what some cameras write when they had no fix.
  if (lat === 0 && lng === 0) return null;
  return { lat: Number(lat.toFixed(6)), lng: Number(lng.toFixed(6)) };
}
