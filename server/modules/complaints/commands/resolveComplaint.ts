import type { Ctx } from '../../../platform/context.js';
import { applyTransition } from './applyTransition.js';

/** The handler answers the report (public) with at least one proof photo they uploaded. */
export function resolveComplaint(ctx: Ctx, id: string, input: { answer: string; proofPhotos: { id: string }[] }) {
  return applyTransition(ctx, id, { action: 'resolve', note: input.answer, photos: input.proofPhotos, facts: { proofPhotos: input.proofPhotos.length } });
}
