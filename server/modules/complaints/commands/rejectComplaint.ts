import type { RejectionReason } from '../../../../common/complaints/workflow.js';
import type { Ctx } from '../../../platform/context.js';
import { applyTransition } from './applyTransition.js';

export interface RejectComplaintInput {
  /** spam, invalid or duplicate: shown to the reporter. */
  reason: RejectionReason;
  /** Internal note of the desk. */
  note?: string;
}

/** The triage desk refuses a report (before or after verification) with a reason. */
export function rejectComplaint(ctx: Ctx, id: string, input: RejectComplaintInput) {
  return applyTransition(ctx, id, { action: 'reject', note: input.note, noteInternal: true, set: { rejectionReason: input.reason }, facts: { reason: input.reason } });
}
