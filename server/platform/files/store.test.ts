import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { FsBlobStore, sha256Hex } from './store.js';

mkdirSync('.tmp', { recursive: true });
const root = mkdtempSync(join('.tmp', 'blobstore-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

describe('FsBlobStore', () => {
  it('stores content under <aa>/<bb>/<sha256> and reads it back', async () => {
    const store = new FsBlobStore(join(root, 'a'));
    const bytes = Buffer.from('foto jalan berlubang');
    const r = await store.put(bytes);
    expect(r).toEqual({ sha256: sha256Hex(bytes), created: true });
    const expected = join(r.sha256.slice(0, 2), r.sha256.slice(2, 4), r.sha256);
    expect(listFiles(store.root)).toEqual([expected]);
    expect(readFileSync(join(store.root, expected)).equals(bytes)).toBe(true);
    expect(await store.has(r.sha256)).toBe(true);
    expect(await text((await store.open(r.sha256))!)).toBe('foto jalan berlubang');
  });

  it('stores identical content once', async () => {
    const store = new FsBlobStore(join(root, 'b'));
    const first = await store.put(Buffer.from('sama'));
    const second = await store.put(Buffer.from('sama'));
    expect(second).toEqual({ sha256: first.sha256, created: false });
    const both = await Promise.all([store.put(Buffer.from('bersamaan')), store.put(Buffer.from('bersamaan'))]);
    expect(both[0].sha256).toBe(both[1].sha256);
    expect(listFiles(store.root)).toHaveLength(2);
  });

  it('leaves no temporary file behind, also when the write fails', async () => {
    const store = new FsBlobStore(join(root, 'c'));
    await store.put(Buffer.from('x'));
    expect(readdirSync(join(store.root, '.tmp'))).toEqual([]);
    // Make the final rename fail after the temporary file is written: a folder sits at the target.
    const bytes = Buffer.from('gagal');
    const sha = sha256Hex(bytes);
    await mkdir(store.pathOf(sha), { recursive: true });
    await expect(store.put(bytes)).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(join(store.root, '.tmp'))).toEqual([]);
    expect(await store.has(sha)).toBe(false);
  });

  it('answers null for an absent blob, deletes idempotently and refuses non-hash keys', async () => {
    const store = new FsBlobStore(join(root, 'd'));
    const { sha256 } = await store.put(Buffer.from('hapus'));
    await store.delete(sha256);
    await store.delete(sha256);
    expect(await store.has(sha256)).toBe(false);
    expect(await store.open(sha256)).toBeNull();
    expect(() => store.pathOf('../../etc/passwd')).toThrow(/sha256/);
    await expect(store.open('A'.repeat(64))).rejects.toThrow(/sha256/);
  });
});
