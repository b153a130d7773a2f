import type { Ctx } from '../../../platform/context.js';
import { applyTransition } from './applyTransition.js';

/** The handler asks the reporter a question (public); the deadline pauses until the answer. */
export function requestInfo(ctx: Ctx, id: string, input: { question: string }) {
  return applyTransition(ctx, id, { action: 'request_info', note: input.question });
}
