import { describe, expect, it } from 'vitest';
import { GroupCommitter } from './groupCommit.js';

/** A deferred promise, to hold a flush open while more items queue up. */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('GroupCommitter', () => {
  it('flushes at once when idle and groups what arrives while a batch is in flight', async () => {
    const batches: number[][] = [];
    const gate = deferred();
    const c = new GroupCommitter<number, string>({
      flush: async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate.promise;
        return items.map((i) => ({ ok: `r${i}` }));
      },
      single: async () => {
        throw new Error('not expected');
      },
      concurrency: 1,
      maxBatch: 3,
    });
    const first = c.submit(0);
    const rest = [1, 2, 3, 4, 5].map((i) => c.submit(i));
    expect(c.waiting).toBe(5);
    gate.resolve();
    expect(await Promise.all([first, ...rest])).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    expect(batches).toEqual([[0], [1, 2, 3], [4, 5]]);
  });

  it('never runs more batches at once than its concurrency', async () => {
    let running = 0;
    let peak = 0;
    const c = new GroupCommitter<number, number>({
      flush: async (items) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return items.map((i) => ({ ok: i * 2 }));
      },
      single: async (i) => i,
      concurrency: 2,
      maxBatch: 4,
    });
    const out = await Promise.all(Array.from({ length: 40 }, (_, i) => c.submit(i)));
    expect(out).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
    expect(peak).toBe(2);
  });

  it('hands items the batch could not write to the one-by-one way, with their own results and errors', async () => {
    const singles: number[] = [];
    const c = new GroupCommitter<number, string>({
      flush: async (items) => items.map((i) => (i % 2 === 0 ? { ok: `batch${i}` } : 'retry')),
      single: async (i) => {
        singles.push(i);
        if (i === 3) throw new Error('three is invalid');
        return `single${i}`;
      },
    });
    const results = await Promise.allSettled([0, 1, 2, 3].map((i) => c.submit(i)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 'batch0' },
      { status: 'fulfilled', value: 'single1' },
      { status: 'fulfilled', value: 'batch2' },
      { status: 'rejected', reason: new Error('three is invalid') },
    ]);
    expect(singles).toEqual([1, 3]);
  });

  it('files every item one by one when the batch fails as a whole, and reports the failure', async () => {
    const errors: unknown[] = [];
    const c = new GroupCommitter<number, string>({
      flush: async () => {
        throw new Error('constraint violated by one item');
      },
      single: async (i) => `single${i}`,
      onFlushError: (e) => errors.push(e),
    });
    expect(await Promise.all([c.submit(1), c.submit(2)])).toEqual(['single1', 'single2']);
    expect(errors.length).toBeGreaterThan(0);
    // A flush answering for the wrong number of items counts as a failed batch.
    const short = new GroupCommitter<number, string>({ flush: async () => [], single: async (i) => `single${i}` });
    expect(await short.submit(7)).toBe('single7');
  });

  it('keeps items with the same key out of one batch', async () => {
    const batches: string[][] = [];
    const gate = deferred();
    const c = new GroupCommitter<string, string>({
      flush: async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate.promise;
        return items.map((i) => ({ ok: i }));
      },
      single: async (i) => i,
      keyOf: (i) => i.split(':')[0]!,
      concurrency: 1,
    });
    const all = Promise.all(['z:0', 'a:1', 'b:1', 'a:2', 'c:1', 'a:3'].map((i) => c.submit(i)));
    gate.resolve();
    await all;
    expect(batches).toEqual([['z:0'], ['a:1', 'b:1', 'c:1'], ['a:2'], ['a:3']]);
  });
});
