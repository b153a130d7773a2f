import { REOPEN_DAYS } from '../../../../common/complaints/contracts.js';
import type { Ctx } from '../../../platform/context.js';
import { Conflict } from '../../../platform/errors.js';
import { applyReporterTransition } from './applyTransition.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The reporter disagrees with the answer within REOPEN_DAYS calendar days of the resolution; the
 * report goes back to the unit with a fresh resolution deadline.
 */
export function reopenComplaint(ctx: Ctx, code: string, token: string | undefined, input: { reason: string }) {
  return applyReporterTransition(ctx, code, token, {
    action: 'reopen',
    note: input.reason,
    check: async (tx, row) => {
      if (row.resolved_at && tx.clock.now().getTime() - new Date(row.resolved_at).getTime() > REOPEN_DAYS * DAY_MS) {
        throw new Conflict('complaints.reopen_expired', { days: REOPEN_DAYS });
      }
    },
  });
}
