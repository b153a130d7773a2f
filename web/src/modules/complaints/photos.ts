/** Longest side of a photo sent to the server, and its JPEG quality. */
export const PHOTO_MAX_SIDE = 1600;
const QUALITY = 0.8;

/**
 * Downscales a camera photo in the browser to at most 1600 px on its longest side and re-encodes
 * it as JPEG (a 4 MB photo becomes a few hundred KB), so uploads stay small on mobile data.
 * EXIF orientation is applied by createImageBitmap; the metadata itself is dropped.
 */
export async function downscalePhoto(file: File): Promise<Blob> {
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
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encoding failed'))), 'image/jpeg', QUALITY));
  } finally {
    bitmap.close();
  }
}
