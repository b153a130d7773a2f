import { sql } from 'drizzle-orm';
import type { Ctx } from '../../../platform/context.js';
import { AppError, Invalid } from '../../../platform/errors.js';
import { rowsOf } from '../../../platform/org/sql.js';
import { problemMessage } from '../../../../common/i18n/problems.js';
import { disposeComplaint } from '../commands/disposeComplaint.js';
import { verifyComplaint } from '../commands/verifyComplaint.js';

/** Most reports one bulk request may move (one transaction each, so the request stays short). */
export const BULK_MAX = 100;

export interface BulkTriageInput {
  /** verify: submitted → verified; dispose: verified (or already with a unit) → disposed to unitId. */
  action: 'verify' | 'dispose';
  /** Distinct report ids, at most BULK_MAX. */
  ids: string[];
  /** The receiving unit (dispose only). */
  unitId?: string;
  /** Internal note written on every report's timeline. */
  note?: string;
}

export interface BulkItemResult {
  id: string;
  /** HTTP status the single-report route would have answered: 200, 404, 409… */
  status: number;
  /** The report's status after the move (200 only). */
  newStatus?: string;
  /** Problem code and message of a refused item. */
  code?: string;
  message?: string;
}

/**
 * The triage desk verifies or disposes several reports at once. Each report goes through the same
 * command as the single-report route, in its own transaction with its own audit and event, so one
 * refused report (another tenant's, already moved, not visible) never undoes the others; the answer
 * lists every item's outcome in request order. A wrong unit refuses the whole request before any
 * report is touched.
 */
export async function bulkTriage(ctx: Ctx, input: BulkTriageInput): Promise<{ items: BulkItemResult[]; succeeded: number; failed: number }> {
  if (input.action === 'dispose') {
    if (!input.unitId) throw Invalid.field('unitId', 'field.required');
    const [unit] = await rowsOf<{ active: boolean }>(ctx.db.orm, sql`SELECT active FROM units WHERE tenant_id = ${ctx.tenant.id} AND id = ${input.unitId}`);
    if (!unit?.active) throw Invalid.field('unitId', 'complaints.unit_unknown');
  }
  const items: BulkItemResult[] = [];
  for (const id of input.ids) {
    try {
      const to =
        input.action === 'verify'
          ? await verifyComplaint(ctx, id, { note: input.note })
          : await disposeComplaint(ctx, id, { unitId: input.unitId!, note: input.note });
      items.push({ id, status: 200, newStatus: to });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      items.push({ id, status: e.status, code: e.code, message: problemMessage(e.code, ctx.locale, e.params) });
    }
  }
  const succeeded = items.filter((i) => i.status === 200).length;
  return { items, succeeded, failed: items.length - succeeded };
}
