import { v7 as uuidv7 } from 'uuid';
import { type Ctx, inTransaction } from '../../context.js';
import { Invalid } from '../../errors.js';
import { DEFAULT_PURPOSE, type FileRow, isKnownPurpose, newDownloadToken, PURPOSE_PATTERN } from '../policies.js';
import { prepareFile } from '../prepare.js';
import { files } from '../schema.js';
import type { FileService } from '../service.js';

/** Longest original file name kept (for display and download names). */
export const MAX_ORIGINAL_NAME = 200;

export interface StoreUploadInput {
  /** The uploaded bytes, whole. */
  buffer: Buffer;
  /** Name the client gave; kept for display only, never used to decide the type. */
  originalName?: string | null;
  /** What the file is for: `upload` (default) or a purpose registered with registerFilePolicy. */
  purpose?: string;
  /** `public` files are downloadable by anyone of the tenant; uploads from the API are private. */
  visibility?: 'public' | 'private';
  /** The calling module owns the file from the start (no claimFiles step needed). */
  claimed?: boolean;
}

export interface StoredUpload {
  file: FileRow;
  /** For anonymous uploaders only: lets them view the file until a module claims it. */
  downloadToken: string | null;
  /** EXIF position read before the metadata was stripped, for prefilling a location. */
  gps: { lat: number; lng: number } | null;
}

/** Strips any path and control characters from a client-given name. */
export function cleanOriginalName(name: string | null | undefined): string | null {
  if (!name) return null;
  const base = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = base.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim();
  return clean ? clean.slice(0, MAX_ORIGINAL_NAME) : null;
}

/**
 * Stores an upload: checks and converts it (prepareFile) before anything is written, writes the
 * stored bytes and thumbnail content-addressed, then records the file and its audit event in one
 * transaction. A refused file leaves no row and no blob behind.
 */
export async function storeUpload(ctx: Ctx, input: StoreUploadInput, service: FileService): Promise<StoredUpload> {
  const purpose = input.purpose ?? DEFAULT_PURPOSE;
  if (!PURPOSE_PATTERN.test(purpose) || !isKnownPurpose(purpose)) throw Invalid.field('purpose', 'field.file_purpose', { purpose: purpose.slice(0, 64) });
  const prepared = await prepareFile(input.buffer, service.limits);

  // Blobs first: a row never points at missing bytes. If the transaction then fails, the blobs stay
  // as unreferenced content (identical content is reused by the next upload) rather than risking
  // the removal of bytes another upload of the same content has just referenced.
  const { sha256 } = await service.store.put(prepared.bytes);
  const thumbSha256 = prepared.thumb ? (await service.store.put(prepared.thumb)).sha256 : null;

  const anonymous = ctx.actor.kind === 'anonymous';
  const token = anonymous ? newDownloadToken() : null;
  const now = ctx.clock.now();
  const file = await inTransaction(ctx, async (tx) => {
    const [row] = await tx.tx
      .insert(files)
      .values({
        tenantId: ctx.tenant.id,
        id: uuidv7(),
        sha256,
        mime: prepared.mime,
        size: prepared.bytes.length,
        width: prepared.width,
        height: prepared.height,
        thumbSha256,
        originalName: cleanOriginalName(input.originalName),
        gpsLat: prepared.gps?.lat ?? null,
        gpsLng: prepared.gps?.lng ?? null,
        purpose,
        visibility: input.visibility ?? 'private',
        uploadedBy: anonymous ? null : (ctx.actor.id ?? null),
        createdAt: now,
        accessTokenHash: token?.hash ?? null,
        claimedAt: input.claimed ? now : null,
      })
      .returning();
    await tx.audit({
      action: 'file.uploaded',
      entityType: 'file',
      entityId: row.id,
      data: { purpose, mime: row.mime, size: row.size, sha256, width: row.width, height: row.height, hasGps: prepared.gps != null, receivedBytes: input.buffer.length },
    });
    return row;
  });
  return { file, downloadToken: token?.token ?? null, gps: prepared.gps };
}
