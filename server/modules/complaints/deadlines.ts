import type { DeadlineHours } from '../../../common/complaints/contracts.js';
import type { ComplaintStatus } from '../../../common/complaints/workflow.js';
import { addWorkingHours, type WorkingCalendar, workingHoursBetween } from '../../platform/calendar/workingTime.js';

/**
 * The stage whose clock runs in a status: verification while submitted, disposition once
 * verified, resolution while the unit works on it. Other statuses have no running clock
 * (needs_info is paused; resolved, closed and the refusals are done).
 */
export function stageOf(status: ComplaintStatus): keyof DeadlineHours | null {
  if (status === 'submitted') return 'verification';
  if (status === 'verified') return 'disposition';
  if (status === 'disposed' || status === 'in_progress' || status === 'reopened') return 'resolution';
  return null;
}

export interface DeadlineState {
  dueAt: Date | null;
  pausedHours: number | null;
}

/**
 * The deadline columns after a move from `from` to `to` at `now`: a new stage starts its full
 * allowance of working hours (in the tenant's calendar); staying in the same stage (disposed →
 * in_progress) keeps the due time; entering needs_info stores the working hours left and stops
 * the clock; leaving it restores them from `now`.
 */
export function nextDeadline(cal: WorkingCalendar, hours: DeadlineHours, from: ComplaintStatus | null, to: ComplaintStatus, now: Date, current: DeadlineState): DeadlineState {
  if (to === 'needs_info') {
    const left = current.dueAt ? Math.max(0, workingHoursBetween(cal, now, current.dueAt)) : null;
    return { dueAt: null, pausedHours: left };
  }
  const stage = stageOf(to);
  if (!stage) return { dueAt: null, pausedHours: null };
  if (from === 'needs_info') {
    return { dueAt: current.pausedHours != null ? addWorkingHours(cal, now, current.pausedHours) : null, pausedHours: null };
  }
  // Re-disposition restarts the resolution clock; start keeps it.
  if (from && stageOf(from) === stage && to !== 'disposed' && to !== 'reopened') return { dueAt: current.dueAt, pausedHours: null };
  const allowance = hours[stage];
  return { dueAt: allowance ? addWorkingHours(cal, now, allowance) : null, pausedHours: null };
}
