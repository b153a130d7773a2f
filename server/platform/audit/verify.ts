import type { Database } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { type ChainRow, chainColumns, chainHash, GENESIS_HASH } from './chain.js';
import { sealMark } from './seal.js';

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
 * Walks every tenant's seals in seq order, each with its event, and recomputes each hash. A
 * changed event breaks its seal's hash; a deleted seal leaves a gap in seq (or a head beyond the
 * last seal); a deleted event leaves its seal without one; a forged seal carries a seq or hash
 * that does not fit; an event slipped in among the sealed ones (before the seal mark) has no seal.
 * Events still unsealed after the grace period are reported too. Each tenant is read in one
 * snapshot, so that events sealed meanwhile by a running server are not mistaken for inserted ones.
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
        const rows: (ChainRow & { event_id: string; prev_hash: Uint8Array; hash: Uint8Array })[] = await q(
          `SELECT ${chainColumns('e')}, s.seq, s.event_id::text AS event_id, s.prev_hash, s.hash
             FROM audit_seals s LEFT JOIN audit_events e ON e.tenant_id = s.tenant_id AND e.id = s.event_id
            WHERE s.tenant_id = $1 AND s.seq >= $2 ORDER BY s.seq LIMIT ${PAGE}`,
          [t.id, expected],
        );
        for (const r of rows) {
          const seq = Number(r.seq);
          const stored = Buffer.from(r.hash);
          if (!firstProblem) {
            if (seq !== expected) {
              problem({ seq: expected, reason: 'missing', detail: `event seq ${expected} is missing (next found: seq ${seq}, ${r.event_id})` });
            } else if (r.id === null) {
              problem({ seq, id: r.event_id, reason: 'missing', detail: `event seq ${seq} (${r.event_id}) is missing: its seal is there, the event is not` });
            } else if (!Buffer.from(r.prev_hash).equals(prev)) {
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
          const [first] = await q('SELECT event_id::text AS id FROM audit_seals WHERE tenant_id = $1 AND seq = 1', [t.id]);
          problem({ seq: 1, id: first?.id, reason: 'inserted', detail: 'sealed events exist but the chain head is missing' });
        } else if (head && headSeq < lastSeq) {
          const [extra] = await q(
            'SELECT s.event_id::text AS id, e.action FROM audit_seals s LEFT JOIN audit_events e ON e.tenant_id = s.tenant_id AND e.id = s.event_id WHERE s.tenant_id = $1 AND s.seq = $2',
            [t.id, headSeq + 1],
          );
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
      // Up to the mark every event has its seal; past it none has.
      const mark = await sealMark(q);
      if (!firstProblem) {
        const [slipped] = await q(
          `SELECT count(*)::int AS n, min(e.id::text) AS first FROM audit_events e
            WHERE e.tenant_id = $1 AND (e.xid, e.id) <= ($2::xid8, $3::uuid)
              AND NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.tenant_id = e.tenant_id AND s.event_id = e.id)`,
          [t.id, mark.xid, mark.id],
        );
        if (Number(slipped.n) > 0) {
          problem({ id: slipped.first, reason: 'inserted', detail: `${slipped.n} event(s) among the sealed ones have no seal, the first ${slipped.first}` });
        }
      }
      const cutoff = new Date(now.getTime() - opts.graceMinutes * 60_000);
      const [late] = await q(
        `SELECT count(*)::int AS n, min(id::text) AS first FROM audit_events WHERE tenant_id = $1 AND (xid, id) > ($2::xid8, $3::uuid) AND occurred_at < $4`,
        [t.id, mark.xid, mark.id, cutoff],
      );
      const [unsealed] = await q('SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND (xid, id) > ($2::xid8, $3::uuid)', [t.id, mark.xid, mark.id]);
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
