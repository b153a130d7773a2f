import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Config } from '../../config.js';
import { type Ctx, reader } from '../context.js';
import type { FileRow } from './policies.js';
import { type UploadLimits, uploadLimits } from './prepare.js';
import { files } from './schema.js';
import { type BlobStore, FsBlobStore } from './store.js';

/** The storage and limits the file commands work with. */
export interface FileService {
  store: BlobStore;
  limits: UploadLimits;
}

/** Files live under `${DATA_DIR}/files`, with the per-type limits derived from UPLOAD_MAX_MB. */
export function fileServiceFor(config: Pick<Config, 'DATA_DIR' | 'UPLOAD_MAX_MB'>): FileService {
  return { store: new FsBlobStore(join(config.DATA_DIR, 'files')), limits: uploadLimits(config) };
}

/** A file of the context's tenant, or undefined (other tenants' files do not exist here). */
export async function findFile(ctx: Ctx, id: string): Promise<FileRow | undefined> {
  const [row] = await reader(ctx).select().from(files).where(and(eq(files.tenantId, ctx.tenant.id), eq(files.id, id))).limit(1);
  return row;
}
