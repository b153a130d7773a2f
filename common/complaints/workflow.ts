/**
 * The complaint workflow as data: statuses, the actions that move a report between them, and who
 * may take each action. Server commands and web pages both read this one table.
 */

export const COMPLAINT_STATUSES = [
  'submitted',
  'verified',
  'rejected',
  'disposed',
  'in_progress',
  'needs_info',
  'resolved',
  'closed',
  'reopened',
  'withdrawn',
] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const COMPLAINT_KINDS = ['pengaduan', 'aspirasi', 'informasi'] as const;
export type ComplaintKind = (typeof COMPLAINT_KINDS)[number];

export const REJECTION_REASONS = ['spam', 'invalid', 'duplicate'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/**
 * Who acts: the reporter (signed in or holding the private link), the tenant's triage desk (call
 * centre, Diskominfo), the responsible unit's handler, or the system (timers).
 */
export const WORKFLOW_ACTORS = ['reporter', 'triage', 'handler', 'system'] as const;
export type WorkflowActor = (typeof WORKFLOW_ACTORS)[number];

export const COMPLAINT_ACTIONS = ['verify', 'reject', 'dispose', 'start', 'request_info', 'provide_info', 'resolve', 'close', 'reopen', 'withdraw'] as const;
export type ComplaintAction = (typeof COMPLAINT_ACTIONS)[number];

export interface TransitionRule {
  action: ComplaintAction;
  from: readonly ComplaintStatus[];
  to: ComplaintStatus;
  actors: readonly WorkflowActor[];
}

/** Every allowed move. Anything not listed here is refused. */
export const TRANSITIONS: readonly TransitionRule[] = [
  { action: 'verify', from: ['submitted'], to: 'verified', actors: ['triage'] },
  { action: 'reject', from: ['submitted', 'verified'], to: 'rejected', actors: ['triage'] },
  // Re-disposition (to another unit, with a note) is allowed while the report is being worked on.
  { action: 'dispose', from: ['verified', 'disposed', 'in_progress', 'reopened'], to: 'disposed', actors: ['triage'] },
  { action: 'start', from: ['disposed', 'reopened'], to: 'in_progress', actors: ['handler'] },
  { action: 'request_info', from: ['disposed', 'in_progress'], to: 'needs_info', actors: ['handler'] },
  // The answer returns the report to the stage it was asked from (disposed or in_progress, kept on
  // the report); in_progress is the target when that stage is unknown.
  { action: 'provide_info', from: ['needs_info'], to: 'in_progress', actors: ['reporter'] },
  { action: 'resolve', from: ['disposed', 'in_progress'], to: 'resolved', actors: ['handler'] },
  { action: 'close', from: ['resolved'], to: 'closed', actors: ['reporter', 'system'] },
  { action: 'reopen', from: ['resolved'], to: 'reopened', actors: ['reporter'] },
  { action: 'withdraw', from: ['submitted'], to: 'withdrawn', actors: ['reporter'] },
];

/** Statuses no action leaves. */
export const TERMINAL_STATUSES: readonly ComplaintStatus[] = COMPLAINT_STATUSES.filter((s) => !TRANSITIONS.some((t) => t.from.includes(s)));

/** Statuses in which the report is visible to the public (verified and onwards, not refused). */
export const PUBLIC_STATUSES: readonly ComplaintStatus[] = ['verified', 'disposed', 'in_progress', 'needs_info', 'resolved', 'closed', 'reopened'];

/** Statuses in which the report sits with a responsible unit. */
export const HANDLED_STATUSES: readonly ComplaintStatus[] = ['disposed', 'in_progress', 'needs_info', 'resolved', 'closed', 'reopened'];

export type TransitionResult = { ok: true; to: ComplaintStatus } | { ok: false; error: 'invalid_from' | 'actor_not_allowed' };

/** Where the action leads from this status for this actor, or why it may not be taken. */
export function transition(from: ComplaintStatus, action: ComplaintAction, actor: WorkflowActor): TransitionResult {
  const rule = TRANSITIONS.find((t) => t.action === action);
  if (!rule?.from.includes(from)) return { ok: false, error: 'invalid_from' };
  if (!rule.actors.includes(actor)) return { ok: false, error: 'actor_not_allowed' };
  return { ok: true, to: rule.to };
}

/** The actions this actor may take on a report in this status (buttons of a detail page). */
export function allowedActions(from: ComplaintStatus, actor: WorkflowActor): ComplaintAction[] {
  return TRANSITIONS.filter((t) => t.from.includes(from) && t.actors.includes(actor)).map((t) => t.action);
}

export function isPublicStatus(status: ComplaintStatus): boolean {
  return PUBLIC_STATUSES.includes(status);
}
