import { describe, expect, it } from 'vitest';
import { Loop } from './loop.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(pred: () => boolean, timeoutMs = 2_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred() && Date.now() < end) await sleep(5);
}

describe('Loop', () => {
  it('runs at start, again on kick without waiting for the interval, and never twice at once', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const loop = new Loop(
      'test',
      async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await sleep(30);
        runs++;
        running--;
      },
      60_000,
      () => {},
    ).start();
    await until(() => runs === 1);
    loop.kick();
    loop.kick();
    loop.kick();
    await until(() => runs === 2);
    await sleep(100);
    expect(runs).toBe(2);
    // Kicks during a run lead to exactly one more run after it.
    loop.kick();
    await until(() => running === 1);
    loop.kick();
    loop.kick();
    await until(() => runs === 4);
    await sleep(100);
    expect(runs).toBe(4);
    expect(maxRunning).toBe(1);
    await loop.stop();
  });

  it('reports errors and keeps going; stop waits for the current run and ends the loop', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const loop = new Loop(
      'failing',
      async () => {
        runs++;
        await sleep(20);
        if (runs === 1) throw new Error('boom');
      },
      10,
      (_name, err) => errors.push(err),
    ).start();
    await until(() => runs > 2);
    expect(errors).toHaveLength(1);
    await loop.stop();
    const after = runs;
    loop.kick();
    await sleep(50);
    expect(runs).toBe(after);
  });

  it('ignores kicks before start', async () => {
    let runs = 0;
    const loop = new Loop('idle', async () => void runs++, 10, () => {});
    loop.kick();
    await sleep(30);
    expect(runs).toBe(0);
    await loop.stop();
  });
});
