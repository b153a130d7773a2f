import type { Ctx } from '../../../platform/context.js';
import { applyReporterTransition } from './applyTransition.js';

/** The reporter confirms the resolution and closes the report. */
export function closeComplaint(ctx: Ctx, code: string, token: string | undefined) {
  return applyReporterTransition(ctx, code, token, { action: 'close' });
}
