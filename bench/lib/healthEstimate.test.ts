import { describe, expect, it } from 'vitest';
import { simulateEstimates } from './healthEstimate.js';

describe('simulated poli for the queue estimates', () => {
  it('is the same on every run', () => {
    const a = simulateEstimates({ days: 20, seed: 7 });
    expect(simulateEstimates({ days: 20, seed: 7 })).toEqual(a);
    expect(a.visits).toBe(15 * 30);
    expect(a.maeMinutes).toBeGreaterThan(0);
    expect(a.within10).toBeGreaterThan(0);
    expect(a.within10).toBeLessThanOrEqual(1);
  });

  it('follows a poli much slower than its assumed duration: the measured medians take over', () => {
    // 14-16 minutes a patient where 8 are assumed: the assumption alone is far off by mid-morning.
    const slow = simulateEstimates({ days: 20, seed: 11, pace: [14, 16] });
    expect(slow.maeMinutes).toBeLessThan(slow.maeAssumedMinutes / 2);
  });
});
