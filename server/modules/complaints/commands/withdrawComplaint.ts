import type { Ctx } from '../../../platform/context.js';
import { applyReporterTransition } from './applyTransition.js';

/** The reporter takes back a report that has not been verified yet. */
export function withdrawComplaint(ctx: Ctx, code: string, token: string | undefined, input: { reason?: string } = {}) {
  return applyReporterTransition(ctx, code, token, { action: 'withdraw', note: input.reason });
}
