import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readJpegGps } from '../../web/src/modules/complaints/photos';

/** A small JPEG with the given EXIF GPS IFD (sharp writes it as a camera would). */
async function jpegWithGps(gps: Record<string, string> | null): Promise<ArrayBuffer> {
  let img = sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 90, g: 120, b: 80 } } }).jpeg();
  if (gps) img = img.withExif({ IFD0: { Make: 'Balai', Model: 'Uji' }, IFD3: gps });
  const b = await img.toBuffer();
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** A hand-built big-endian ("MM") TIFF inside an APP1 segment: lat 1°2'3" N, lng 104°30'0" E. */
function bigEndianJpeg(): ArrayBuffer {
  const tiff = new DataView(new ArrayBuffer(200));
  let o = 0;
  /** Writes 16- and 32-bit words, in this order of sizes, e.g. put([16, 0x4d4d], [32, 8]). */
  const put = (...words: [16 | 32, number][]) => {
    for (const [bits, v] of words) {
      if (bits === 16) tiff.setUint16(o, v);
      else tiff.setUint32(o, v);
      o += bits / 8;
    }
  };
  put([16, 0x4d4d], [16, 42], [32, 8]);
  // IFD0 at 8: one entry, the GPS pointer → 26.
  put([16, 1], [16, 0x8825], [16, 4], [32, 1], [32, 26], [32, 0]);
  // GPS IFD at 26: four entries; the rationals at 80 and 104.
  put([16, 4]);
  put([16, 1], [16, 2], [32, 2], [32, 0x4e000000]);
  put([16, 2], [16, 5], [32, 3], [32, 80]);
  put([16, 3], [16, 2], [32, 2], [32, 0x45000000]);
  put([16, 4], [16, 5], [32, 3], [32, 104]);
  put([32, 0]);
  o = 80;
  for (const v of [1, 2, 3, 104, 30, 0]) put([32, v], [32, 1]);
  const jpeg = new Uint8Array(2 + 4 + 6 + 200 + 2);
  jpeg.set([0xff, 0xd8, 0xff, 0xe1, 0, 2 + 6 + 200], 0);
  jpeg.set([0x45, 0x78, 0x69, 0x66, 0, 0], 6);
  jpeg.set(new Uint8Array(tiff.buffer), 12);
  jpeg.set([0xff, 0xd9], 212);
  return jpeg.buffer;
}

describe('readJpegGps (photo GPS pre-fills the pin of a report)', () => {
  it('reads a southern/eastern position in Makassar written by sharp (little-endian EXIF)', async () => {
    // 5°10'35.4432" S, 119°26'11.0796" E = -5.176512, 119.436411 (Mannuruki).
    const gps = await jpegWithGps({ GPSLatitudeRef: 'S', GPSLatitude: '5/1 10/1 354432/10000', GPSLongitudeRef: 'E', GPSLongitude: '119/1 26/1 110796/10000' });
    const p = readJpegGps(gps);
    expect(p).not.toBeNull();
    expect(p!.lat).toBeCloseTo(-5.176512, 5);
    expect(p!.lng).toBeCloseTo(119.436411, 5);
  });

  it('honours N/W references and big-endian TIFF', () => {
    expect(readJpegGps(bigEndianJpeg())).toEqual({ lat: Number((1 + 2 / 60 + 3 / 3600).toFixed(6)), lng: 104.5 });
  });

  it('gives null for photos without GPS, non-JPEG data, truncated and hostile files', async () => {
    expect(readJpegGps(await jpegWithGps(null))).toBeNull();
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).png().toBuffer();
    expect(readJpegGps(png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength) as ArrayBuffer)).toBeNull();
    expect(readJpegGps(new ArrayBuffer(0))).toBeNull();
    const full = bigEndianJpeg();
    expect(readJpegGps(full.slice(0, 60))).toBeNull();
    // GPS pointer aimed far outside the segment.
    const bad = new Uint8Array(full.slice(0));
    new DataView(bad.buffer).setUint32(12 + 8 + 2 + 8, 0xfffffff0);
    expect(readJpegGps(bad.buffer)).toBeNull();
    // A zero denominator and the 0,0 "no fix" position are not positions.
    const zero = new Uint8Array(full.slice(0));
    new DataView(zero.buffer).setUint32(12 + 80 + 4, 0);
    expect(readJpegGps(zero.buffer)).toBeNull();
    const nofix = await jpegWithGps({ GPSLatitudeRef: 'N', GPSLatitude: '0/1 0/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '0/1 0/1 0/1' });
    expect(readJpegGps(nofix)).toBeNull();
  });
});
