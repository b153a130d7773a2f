import type { Clock } from './context.js';

let offsetMs = 0;

/**
 * The clock of a server process: the system time, plus an offset that only the end-to-end harness
 * (test/e2e/server.ts) ever moves, so that a browser journey can let a deadline pass. Nothing in
 * the server's routes or configuration can change it.
 */
export const processClock: Clock = { now: () => new Date(Date.now() + offsetMs) };

/** Moves the process clock so that it reads `at` now (null: back to the system time). */
export function setProcessClock(at: Date | null): void {
  offsetMs = at ? at.getTime() - Date.now() : 0;
}
