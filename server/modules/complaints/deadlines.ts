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

/** Share of a stage's working hours after which the assignee is warned (the rest is the last 20 %). */
export const WARN_SHARE = 0.8;

export interface DeadlineState {
  dueAt: Date | null;
  pausedHours: number | null;
  /** When the assignee is to be warned; null when there is no deadline, it is paused, or the warning went out. */
  warnAt: Date | null;
  /** A new stage started: the warning and escalation of the previous one no longer apply. */
  restarted: boolean;
}

/** The state before a move (what the report row holds). */
export interface CurrentDeadline {
  dueAt: Date | null;
  pausedHours: number | null;
  warnAt?: Date | null;
  /** Whether the current stage's warning was already sent. */
  warned?: boolean;
}

/**
 * The deadline columns after a move from `from` to `to` at `now`: a new stage starts its full
 * allowance of working hours (in the tenant's calendar) with its warning at 80 % of it; staying in
 * the same stage (disposed → in_progress) keeps the due time and warning; entering needs_info
 * stores the working hours left and stops the clock; leaving it restores them from `now`, and the
 * warning, if it was not sent yet, falls when a fifth of the stage's allowance is left (at once
 * when less than that is left).
 */
export function nextDeadline(cal: WorkingCalendar, hours: DeadlineHours, from: ComplaintStatus | null, to: ComplaintStatus, now: Date, current: CurrentDeadline): DeadlineState {
  if (to === 'needs_info') {
    const left = current.dueAt ? Math.max(0, workingHoursBetween(cal, now, current.dueAt)) : null;
    return { dueAt: null, pausedHours: left, warnAt: null, restarted: false };
  }
  const stage = stageOf(to);
  if (!stage) return { dueAt: null, pausedHours: null, warnAt: null, restarted: false };
  const allowance = hours[stage];
  if (from === 'needs_info') {
    if (current.pausedHours == null) return { dueAt: null, pausedHours: null, warnAt: null, restarted: false };
    const dueAt = addWorkingHours(cal, now, current.pausedHours);
    let warnAt: Date | null = null;
    if (!current.warned && allowance) {
      const untilWarning = current.pausedHours - allowance * (1 - WARN_SHARE);
      warnAt = untilWarning > 0 ? addWorkingHours(cal, now, untilWarning) : now;
    }
    return { dueAt, pausedHours: null, warnAt, restarted: false };
  }
  // Re-disposition and reopening restart the resolution clock; start keeps it.
  if (from && stageOf(from) === stage && to !== 'disposed' && to !== 'reopened') {
    return { dueAt: current.dueAt, pausedHours: null, warnAt: current.warnAt ?? null, restarted: false };
  }
  if (!allowance) return { dueAt: null, pausedHours: null, warnAt: null, restarted: true };
  return { dueAt: addWorkingHours(cal, now, allowance), pausedHours: null, warnAt: addWorkingHours(cal, now, allowance * WARN_SHARE), restarted: true };
}
