import { describe, expect, it } from 'vitest';
import { VISIT_STATUSES } from './contracts.js';
import { nextVisitStatus, type QueueAction } from './queue.js';

describe('visit state machine', () => {
  const allowed: [string, QueueAction, string][] = [
    ['booked', 'check_in', 'checked_in'],
    ['checked_in', 'call', 'called'],
    ['called', 'recall', 'called'],
    ['called', 'skip', 'no_show'],
    ['called', 'start', 'serving'],
    ['serving', 'finish', 'done'],
    ['booked', 'cancel', 'cancelled'],
    ['checked_in', 'cancel', 'cancelled'],
  ];

  it.each(allowed)('%s --%s--> %s', (from, action, to) => {
    expect(nextVisitStatus(from as never, action)).toBe(to);
  });

  it('refuses every other transition', () => {
    const actions: QueueAction[] = ['check_in', 'call', 'recall', 'skip', 'start', 'finish', 'cancel'];
    for (const s of VISIT_STATUSES) {
      for (const a of actions) {
        if (allowed.some(([f, x]) => f === s && x === a)) continue;
        expect(nextVisitStatus(s, a), `${s} --${a}`).toBeNull();
      }
    }
  });
});
