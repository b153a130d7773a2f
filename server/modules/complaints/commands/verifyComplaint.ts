import type { Ctx } from '../../../platform/context.js';
import { applyTransition } from './applyTransition.js';

export interface VerifyComplaintInput {
  /** Internal note of the desk (not shown to the public). */
  note?: string;
}

/** The triage desk confirms a submitted report is genuine: from now on it is public (without the reporter). */
export function verifyComplaint(ctx: Ctx, id: string, input: VerifyComplaintInput) {
  return applyTransition(ctx, id, { action: 'verify', note: input.note, noteInternal: true });
}
