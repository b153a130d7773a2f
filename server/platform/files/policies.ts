import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Ctx } from '../context.js';
import type { files } from './schema.js';

export type FileRow = typeof files.$inferSelect;

/**
 * Decides whether the actor may download a private file a module has claimed. Modules register
 * one per purpose (e.g. `complaints.photo`), typically by finding the record that references the
 * file and applying their own policy to it. Read through `ctx.db`: no transaction is open.
 */
export type FilePolicy = (ctx: Ctx, file: FileRow) => Promise<boolean>;

/** Purpose of a file nobody has claimed yet. */
export const DEFAULT_PURPOSE = 'upload';
/** `module.kind`, lower case: `complaints.photo`, `health.referral_letter`. */
export const PURPOSE_PATTERN = /^[a-z][a-z0-9_]{0,30}(\.[a-z][a-z0-9_]{0,30}){0,3}$/;

const policies = new Map<string, FilePolicy>();

/** Registers the download policy of a purpose; modules call it once when they load. */
export function registerFilePolicy(purpose: string, policy: FilePolicy): void {
  if (!PURPOSE_PATTERN.test(purpose) || purpose === DEFAULT_PURPOSE) throw new Error(`invalid file purpose "${purpose}"`);
  const existing = policies.get(purpose);
  if (existing && existing !== policy) throw new Error(`file purpose "${purpose}" already has a policy`);
  policies.set(purpose, policy);
}

/** Purposes an upload may declare: the default one and every registered one. */
export function isKnownPurpose(purpose: string): boolean {
  return purpose === DEFAULT_PURPOSE || policies.has(purpose);
}

/**
 * Download tokens of anonymous uploads: 256 random bits handed out once; only their sha256 is
 * stored, so a database leak does not reveal them, and claiming the file simply clears the hash.
 */
export function newDownloadToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashDownloadToken(token) };
}

export function hashDownloadToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export const DOWNLOAD_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function tokenMatches(file: Pick<FileRow, 'accessTokenHash'>, token: string | undefined): boolean {
  if (!token || !file.accessTokenHash || !DOWNLOAD_TOKEN_PATTERN.test(token)) return false;
  const presented = hashDownloadToken(token);
  return presented.length === file.accessTokenHash.length && timingSafeEqual(presented, file.accessTokenHash);
}

/**
 * Who may download a file of the request's tenant: anyone when it is public; otherwise its
 * uploader, the holder of its download token, or whoever the purpose's registered policy allows
 * once a module has claimed it.
 */
export async function canReadFile(ctx: Ctx, file: FileRow, token?: string): Promise<boolean> {
  if (file.tenantId !== ctx.tenant.id) return false;
  if (file.visibility === 'public') return true;
  if (file.uploadedBy && ctx.actor.kind !== 'anonymous' && ctx.actor.id === file.uploadedBy) return true;
  if (tokenMatches(file, token)) return true;
  if (file.claimedAt) {
    const policy = policies.get(file.purpose);
    if (policy && (await policy(ctx, file))) return true;
  }
  return false;
}
