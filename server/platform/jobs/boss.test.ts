import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/db.js';
import type { Database } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { Jobs, registerJob, registeredJobs } from './boss.js';

/** pg-boss on Balai's own database, embedded or PostgreSQL. */
let db: Database;
let jobs: Jobs;
const handled: { n: number; attempt: number }[] = [];
const attempts = new Map<number, number>();

beforeAll(async () => {
  db = await createTestDb();
  jobs = await Jobs.start(db, {
    onError: () => {},
    definitions: [
      {
        name: 'test.work',
        pollingIntervalSeconds: 0.5,
        async handler(data: { n: number; failTimes?: number }) {
          const attempt = (attempts.get(data.n) ?? 0) + 1;
          attempts.set(data.n, attempt);
          if (attempt <= (data.failTimes ?? 0)) throw new Error(`fail ${attempt}`);
          handled.push({ n: data.n, attempt });
        },
      },
    ],
  });
});
afterAll(async () => {
  await jobs?.stop();
  await db?.close();
});

async function waitFor(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out; handled ${JSON.stringify(handled)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('jobs (pg-boss)', () => {
  it('runs a sent job in a worker', async () => {
    expect(await jobs.send('test.work', { n: 1 })).toBeTruthy();
    jobs.wake('test.work');
    await waitFor(() => handled.some((h) => h.n === 1));
  });

  it('retries a failing job', async () => {
    await jobs.send('test.work', { n: 2, failTimes: 1 }, { retryLimit: 2, retryDelay: 1 });
    await waitFor(() => handled.some((h) => h.n === 2));
    expect(handled.find((h) => h.n === 2)!.attempt).toBe(2);
  });

  it('enqueues inside a transaction without deadlocking, and only if it commits', async () => {
    await expect(
      withTx(db, async (q) => {
        await jobs.insertWithin(q, [{ name: 'test.work', data: { n: 3 } }]);
        throw new Error('command failed');
      }),
    ).rejects.toThrow('command failed');
    await withTx(db, async (q) => {
      await jobs.insertWithin(q, [{ name: 'test.work', data: { n: 4 } }]);
    });
    jobs.wake('test.work');
    await waitFor(() => handled.some((h) => h.n === 4));
    await new Promise((r) => setTimeout(r, 800));
    expect(handled.some((h) => h.n === 3)).toBe(false);
  });

  it('keeps a registry of job kinds that modules add', () => {
    const off = registerJob({ name: 'test.registered', async handler() {} });
    try {
      expect(registeredJobs().map((j) => j.name)).toContain('test.registered');
      expect(() => registerJob({ name: 'test.registered', async handler() {} })).toThrow(/already registered/);
    } finally {
      off();
    }
    expect(registeredJobs().map((j) => j.name)).not.toContain('test.registered');
  });
});
