import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where file bytes live, addressed by the sha256 of their content: identical content is stored
 * once. The filesystem implementation serves a single server or a shared volume; an
 * S3-compatible implementation can replace it behind this interface.
 */
export interface BlobStore {
  /** Stores the bytes (atomically) and returns their sha256; a blob already present is kept. */
  put(bytes: Buffer): Promise<{ sha256: string; created: boolean }>;
  has(sha256: string): Promise<boolean>;
  /** Opens a blob for reading; null when it does not exist. */
  open(sha256: string): Promise<Readable | null>;
  /** Removes a blob (orphan sweeps); absent blobs are ignored. */
  delete(sha256: string): Promise<void>;
}

const SHA256 = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function checkHash(sha256: string): void {
  if (!SHA256.test(sha256)) throw new Error(`not a sha256 hex digest: ${sha256.slice(0, 80)}`);
}

/** Blobs under `<root>/<aa>/<bb>/<sha256>`, written to `<root>/.tmp` first and renamed into place. */
export class FsBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  pathOf(sha256: string): string {
    checkHash(sha256);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(bytes: Buffer): Promise<{ sha256: string; created: boolean }> {
    const sha256 = sha256Hex(bytes);
    const target = this.pathOf(sha256);
    if (await this.has(sha256)) return { sha256, created: false };
    const tmpDir = join(this.root, '.tmp');
    await mkdir(tmpDir, { recursive: true, mode: 0o750 });
    await mkdir(join(target, '..'), { recursive: true, mode: 0o750 });
    const tmp = join(tmpDir, `${sha256}.${randomBytes(8).toString('hex')}`);
    try {
      const fh = await open(tmp, 'wx', 0o640);
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      // Two writers of the same content may race here: rename replaces atomically with identical
      // bytes, so readers always see a whole file.
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    return { sha256, created: true };
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return false;
      throw e;
    }
  }

  async open(sha256: string): Promise<Readable | null> {
    try {
      const fh = await open(this.pathOf(sha256), 'r');
      return fh.createReadStream();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async delete(sha256: string): Promise<void> {
    try {
      await unlink(this.pathOf(sha256));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}
