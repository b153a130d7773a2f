import type { Database } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { CHAIN_COLUMNS, type ChainRow, chainHash, GENESIS_HASH } from './chain.js';

export interface AuditProblem {
  tenant: string;
  seq?: number;
  id?: string;
  reason: 'altered' | 'missing' | 'inserted' | 'broken_link' | 'head_mismatch' | 'unsealed_too_long';
  detail: string;
}

export interface TenantChainReport {
  tenant: string;
  /** Sealed events walked. */
  sealed: number;
  /** Events not sealed yet (recent ones are normal; the sealer runs every second). */
  unsealed: number;
  /** The chain head as stored (null before the first sealing). */
  lastSeq: number | null;
  lastHash: string | null;
}

export interface VerifyReport {
  tenants: number;
  sealed: number;
  unsealed: number;
  heads: { tenant: string; lastSeq: number; lastHash: string }[];
  perTenant: TenantChainReport[];
  problems: AuditProblem[];
}

export interface VerifyOptions {
  /** Minutes after which an unsealed event is a problem. */
  graceMinutes: number;
  now?: Date;
  /** Called after each page of events with the number of sealed events checked so far. */
  onProgress?: (checked: number) => void;
  /** Only this tenant (slug); every tenant when absent. */
  tenant?: string;
}

const PAGE = 5_000;

/**
 * Walks every tenant's chain in seq order and recomputes each hash. A changed row breaks its own
 * hash; a deleted row leaves a gap in seq (or a head beyond the last row); an inserted row carries a
 * seq or hash that does not fit. Events still unsealed after the grace period are reported too.
 * Each tenant is read in one snapshot, so that events sealed meanwhile by a running server are
 * not mistaken for inserted ones.
 */
export async function verifyAudit(db: Database, opts: VerifyOptions): Promise<VerifyReport> {
  const now = opts.now ?? new Date();
  const tenants = await db.query<{ id: string; slug: string }>(
    'SELECT id::text, slug FROM tenants WHERE $1::text IS NULL OR slug = $1 ORDER BY slug',
    [opts.tenant ?? null],
  );
  const report: VerifyReport = { tenants: tenants.length, sealed: 0, unsealed: 0, heads: [], perTenant: [], problems: [] };
  for (const t of tenants) {
    await withTx(
      db,
      async (q) => {
      const [head] = await q('SELECT last_seq, last_hash FROM audit_chain_heads WHERE tenant_id = $1', [t.id]);
      let prev = GENESIS_HASH;
      let expected = 1;
      let sealed = 0;
      let firstProblem = false;
      const problem = (p: Omit<AuditProblem, 'tenant'>) => {
        report.problems.push({ tenant: t.slug, ...p });
        firstProblem = true;
      };
      for (;;) {
        const rows: (ChainRow & { prev_hash: Uint8Array | null; hash: Uint8Array | null })[] = await q(
          `SELECT ${CHAIN_COLUMNS}, prev_hash, hash FROM audit_events WHERE tenant_id = $1 AND seq >= $2 ORDER BY seq LIMIT ${PAGE}`,
          [t.id, expected],
        );
        for (const r of rows) {
          const seq = Number(r.seq);
          const stored = r.hash ? Buffer.from(r.hash) : Buffer.alloc(0);
          if (!firstProblem) {
            if (seq !== expected) {
              problem({ seq: expected, reason: 'missing', detail: `event seq ${expected} is missing (next found: seq ${seq}, ${r.id})` });
            } else if (!r.prev_hash || !Buffer.from(r.prev_hash).equals(prev)) {
              problem({ seq, id: r.id, reason: 'broken_link', detail: `event seq ${seq} (${r.id}, ${r.action}) does not link to the event before it` });
            } else if (!chainHash(prev, r).equals(stored)) {
              problem({ seq, id: r.id, reason: 'altered', detail: `event seq ${seq} (${r.id}, ${r.action}) was altered after sealing` });
            }
          }
          prev = stored;
          expected = seq + 1;
          sealed++;
        }
        report.sealed += rows.length;
        opts.onProgress?.(report.sealed);
        if (rows.length < PAGE) break;
      }
      const lastSeq = expected - 1;
      const headSeq = head ? Number(head.last_seq) : 0;
      if (!firstProblem) {
        if (!head && lastSeq > 0) {
          const [first] = await q('SELECT id::text FROM audit_events WHERE tenant_id = $1 AND seq = 1', [t.id]);
          problem({ seq: 1, id: first?.id, reason: 'inserted', detail: 'sealed events exist but the chain head is missing' });
        } else if (head && headSeq < lastSeq) {
          const [extra] = await q('SELECT id::text, action FROM audit_events WHERE tenant_id = $1 AND seq = $2', [t.id, headSeq + 1]);
          problem({
            seq: headSeq + 1,
            id: extra?.id,
            reason: 'inserted',
            detail: `event seq ${headSeq + 1} (${extra?.id}, ${extra?.action}) is beyond the chain head (${headSeq} events sealed, the table has ${lastSeq})`,
          });
        } else if (head && headSeq > lastSeq) {
          problem({ seq: lastSeq + 1, reason: 'missing', detail: `event seq ${lastSeq + 1} is missing: the chain head says ${headSeq} events, the table ends at ${lastSeq}` });
        } else if (head && !Buffer.from(head.last_hash).equals(prev)) {
          problem({ seq: lastSeq, reason: 'head_mismatch', detail: `the last event (seq ${lastSeq}) does not match the chain head` });
        }
      }
      const lastHash = head ? Buffer.from(head.last_hash).toString('hex') : null;
      if (head) report.heads.push({ tenant: t.slug, lastSeq: headSeq, lastHash: lastHash! });
      const cutoff = new Date(now.getTime() - opts.graceMinutes * 60_000);
      const [late] = await q(
        `SELECT count(*)::int AS n, min(id::text) AS first FROM audit_events WHERE tenant_id = $1 AND seq IS NULL AND occurred_at < $2`,
        [t.id, cutoff],
      );
      const [unsealed] = await q('SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND seq IS NULL', [t.id]);
      report.unsealed += Number(unsealed.n);
      report.perTenant.push({ tenant: t.slug, sealed, unsealed: Number(unsealed.n), lastSeq: head ? headSeq : null, lastHash });
      if (Number(late.n) > 0) {
        report.problems.push({
          tenant: t.slug,
          id: late.first ?? undefined,
          reason: 'unsealed_too_long',
          detail: `${late.n} event(s) unsealed for more than ${opts.graceMinutes} minutes, the first ${late.first} (is the sealer running?)`,
        });
      }
      },
      { readOnlySnapshot: true },
    );
  }
  return report;
}
