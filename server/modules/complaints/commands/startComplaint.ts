import type { Ctx } from '../../../platform/context.js';
import { applyTransition } from './applyTransition.js';

/** The responsible unit takes up a disposed (or reopened) report; the resolution clock keeps running. */
export function startComplaint(ctx: Ctx, id: string, input: { note?: string } = {}) {
  return applyTransition(ctx, id, { action: 'start', note: input.note, noteInternal: true });
}
