import type { Clock } from '../../server/platform/context.js';

/** A clock that tests move by hand. */
export class FakeClock implements Clock {
  private t: number;
  constructor(start: Date | string = '2026-11-27T02:00:00Z') {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(at: Date | string): void {
    this.t = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
  advanceMinutes(m: number): void {
    this.advance(m * 60_000);
  }
}
