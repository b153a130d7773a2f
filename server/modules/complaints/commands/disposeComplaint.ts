import { sql } from 'drizzle-orm';
import type { Ctx } from '../../../platform/context.js';
import { Invalid } from '../../../platform/errors.js';
import { rowsOf } from '../../../platform/org/sql.js';
import { applyTransition } from './applyTransition.js';

export interface DisposeComplaintInput {
  /** The responsible unit (an active unit of the tenant); may differ from the routed one. */
  unitId: string;
  /** Instruction to the unit, kept internal. */
  note?: string;
}

/** The triage desk hands a verified report (again) to the unit that must follow it up. */
export function disposeComplaint(ctx: Ctx, id: string, input: DisposeComplaintInput) {
  return applyTransition(ctx, id, {
    action: 'dispose',
    note: input.note,
    noteInternal: true,
    set: { unitId: input.unitId },
    facts: { unitId: input.unitId },
    check: async (tx) => {
      const [unit] = await rowsOf<{ active: boolean }>(tx.tx, sql`SELECT active FROM units WHERE tenant_id = ${ctx.tenant.id} AND id = ${input.unitId}`);
      if (!unit?.active) throw Invalid.field('unitId', 'complaints.unit_unknown');
    },
  });
}
