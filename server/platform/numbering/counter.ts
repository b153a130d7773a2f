import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Ctx, TxCtx } from '../context.js';
import { reader } from '../context.js';
import { rowsOf } from '../org/sql.js';

/**
 * What a counter counts: `key` names the sequence (e.g. `queue:<facilityId>:<poliId>`,
 * `letter:<unitId>:800`), `period` restarts it (e.g. `2026-11-27` for a local day, `2026` for a
 * year, '' for never). Each tenant has its own counters.
 */
export interface NumberScope {
  key: string;
  period: string;
}

function checkScope(scope: NumberScope): void {
  if (scope.key.length < 1 || scope.key.length > 200) throw new RangeError(`counter key must be 1-200 characters: "${scope.key}"`);
  if (scope.period.length > 40) throw new RangeError(`counter period must be at most 40 characters: "${scope.period}"`);
}

/**
 * The next number of a scope (1, 2, 3, …), taken inside the caller's command transaction.
 *
 * Gap-free and unique: the counter row is incremented with `INSERT … ON CONFLICT DO UPDATE …
 * RETURNING`, so the number commits with the command or rolls back with it (a rolled-back command
 * gives its number back to the next writer), and two transactions, in any number of processes,
 * never get the same number: the second waits on the first's row lock and then sees its value.
 *
 * Trade-off: the row stays locked until the caller's transaction ends, so writers of THE SAME
 * scope run one after another (about 1,300 transactions/s here for an empty command, less with a
 * real one); other scopes (another unit, poli, day or tenant) are not affected. Call it as late as
 * possible in the command, after validation and the other reads, to keep the lock short. This is
 * right for letter numbers per unit/classification/year and for queue numbers of ordinary polis.
 *
 * A scope that needs more than that, such as ≥ 1,000 registrations/s on ONE poli and day (issue 5),
 * needs a different design, not built here: handing out blocks of numbers to processes is fast but
 * leaves gaps when a process dies or a command rolls back; keeping gap-free numbers at that rate
 * means taking the lock for a shorter time than the whole command, e.g. assigning numbers in commit
 * order after the fact (registrations insert without a number; one numbering pass per scope orders
 * the committed, unnumbered rows by (xid, id) below the snapshot's xmin, as the audit sealer does,
 * and numbers them in one batch UPDATE), or a single writer per scope that batches many
 * registrations into one transaction.
 */
export async function nextNumber(tx: TxCtx, scope: NumberScope): Promise<number> {
  checkScope(scope);
  const [row] = await rowsOf<{ value: number | string }>(
    tx.tx,
    sql`INSERT INTO number_counters AS c (tenant_id, key, period, value)
        VALUES (${tx.tenant.id}, ${scope.key}, ${scope.period}, 1)
        ON CONFLICT (tenant_id, key, period) DO UPDATE SET value = c.value + 1
        RETURNING c.value`,
  );
  return Number(row!.value);
}

/**
 * The last number handed out in a scope (0 when none), as committed (or as written by the open
 * transaction when given one). For displays such as "numbers issued today"; never use it to
 * compute the next number.
 */
export async function currentNumber(ctx: Ctx | TxCtx, scope: NumberScope): Promise<number> {
  checkScope(scope);
  const [row] = await rowsOf<{ value: number | string }>(
    reader(ctx),
    sql`SELECT value FROM number_counters WHERE tenant_id = ${ctx.tenant.id} AND key = ${scope.key} AND period = ${scope.period}`,
  );
  return row ? Number(row.value) : 0;
}

/**
 * The period string of an instant in the tenant's time zone: `2026-11-27` (day), `2026-11`
 * (month) or `2026` (year). Queue numbers restart per local day, letter numbers per year.
 */
export function periodOf(at: Date, timeZone: string, unit: 'day' | 'month' | 'year'): string {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`invalid time zone "${timeZone}"`);
  return local.toFormat(unit === 'day' ? 'yyyy-MM-dd' : unit === 'month' ? 'yyyy-MM' : 'yyyy');
}
