import { and, eq, inArray } from 'drizzle-orm';
import type { TxCtx } from '../../context.js';
import { Invalid } from '../../errors.js';
import { type FileRow, isKnownPurpose, DEFAULT_PURPOSE, tokenMatches } from '../policies.js';
import { files } from '../schema.js';

/** Most files one record may take over at once. */
export const MAX_CLAIMED_FILES = 20;

export interface FileClaim {
  /** Id returned by the upload. */
  id: string;
  /** Download token of an anonymous upload (proves the caller uploaded it). */
  token?: string;
}

export interface ClaimFilesInput {
  files: FileClaim[];
  /** The module's registered purpose; its policy decides downloads from now on. */
  purpose: string;
  visibility?: 'public' | 'private';
  /** Request field the claims came from, for field errors (e.g. `photos`). */
  field?: string;
}

/**
 * A module takes over uploads inside its own command's transaction (e.g. a complaint attaches
 * its photos): each file must belong to this tenant, be unclaimed, and have been uploaded by the
 * actor (signed in) or come with its download token (anonymous). The token is then cleared, so
 * from here on the purpose's registered policy decides who may download.
 */
export async function claimFiles(tx: TxCtx, input: ClaimFilesInput): Promise<FileRow[]> {
  const field = input.field ?? 'files';
  if (input.purpose === DEFAULT_PURPOSE || !isKnownPurpose(input.purpose)) throw new Error(`claimFiles: purpose "${input.purpose}" has no registered policy`);
  if (input.files.length > MAX_CLAIMED_FILES) throw Invalid.field(field, 'field.too_many', { maximum: MAX_CLAIMED_FILES });
  if (input.files.length === 0) return [];
  const ids = input.files.map((f) => f.id);
  const rows = await tx.tx
    .select()
    .from(files)
    .where(and(eq(files.tenantId, tx.tenant.id), inArray(files.id, ids)))
    .for('update');
  const byId = new Map(rows.map((r) => [r.id, r]));
  const seen = new Set<string>();
  const errors = input.files.flatMap((claim, i) => {
    const row = byId.get(claim.id);
    const owner = row && (tokenMatches(row, claim.token) || (tx.actor.kind !== 'anonymous' && row.uploadedBy != null && row.uploadedBy === tx.actor.id));
    const usable = row && !row.claimedAt && owner && !seen.has(claim.id);
    seen.add(claim.id);
    return usable ? [] : [{ field: `${field}.${i}`, code: 'field.file_unusable', params: {} }];
  });
  if (errors.length) throw new Invalid('validation', {}, errors);

  const now = tx.clock.now();
  const claimed = await tx.tx
    .update(files)
    .set({ purpose: input.purpose, visibility: input.visibility ?? 'private', claimedAt: now, accessTokenHash: null })
    .where(and(eq(files.tenantId, tx.tenant.id), inArray(files.id, ids)))
    .returning();
  for (const row of claimed) {
    await tx.audit({ action: 'file.claimed', entityType: 'file', entityId: row.id, data: { purpose: row.purpose, visibility: row.visibility } });
  }
  return claimed;
}
