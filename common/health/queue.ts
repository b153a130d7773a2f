import type { VisitStatus } from './contracts.js';

/** What queue staff (and the resident, for cancel) do to a visit. */
export type QueueAction = 'check_in' | 'call' | 'recall' | 'skip' | 'start' | 'finish' | 'cancel';

/**
 * The visit's state machine: booked online → checked in on arrival (walk-ins start checked in) →
 * called → serving → done; a called patient who does not come is skipped (no-show); a visit not
 * yet called may be cancelled. Returns the next status, or null when the action is not allowed.
 */
export function nextVisitStatus(status: VisitStatus, action: QueueAction): VisitStatus | null {
  switch (action) {
    case 'check_in':
      return status === 'booked' ? 'checked_in' : null;
    case 'call':
      return status === 'checked_in' ? 'called' : null;
    case 'recall':
      return status === 'called' ? 'called' : null;
    case 'skip':
      return status === 'called' ? 'no_show' : null;
    case 'start':
      return status === 'called' ? 'serving' : null;
    case 'finish':
      return status === 'serving' ? 'done' : null;
    case 'cancel':
      return status === 'booked' || status === 'checked_in' ? 'cancelled' : null;
  }
}

/** Statuses still waiting for or in service: they hold a place in the queue. */
export const WAITING_STATUSES: readonly VisitStatus[] = ['booked', 'checked_in', 'called', 'serving'];
