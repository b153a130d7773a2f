import type { ComplaintStatus } from '../../../../common/complaints/workflow.js';
import type { FileClaim } from '../../../platform/files/commands/claimFiles.js';
import type { Ctx } from '../../../platform/context.js';
import { applyReporterTransition } from './applyTransition.js';

/**
 * The reporter answers the handler's question (with photos if they like): the report returns to
 * the stage it was in (disposed or in progress) and the paused deadline resumes from now.
 */
export function provideInfo(ctx: Ctx, code: string, token: string | undefined, input: { answer: string; photos: FileClaim[] }) {
  return applyReporterTransition(ctx, code, token, {
    action: 'provide_info',
    note: input.answer,
    photos: input.photos,
    target: (row, to): ComplaintStatus => row.resume_status ?? to,
    facts: { photos: input.photos.length },
  });
}
