import type { Database } from '../../db/client.js';
import { CHAIN_COLUMNS, type ChainRow, chainHash, GENESIS_HASH } from './chain.js';

export interface AuditProblem {
  tenant: string;
  seq?: number;
  id?: string;
  reason: 'altered' | 'missing' | 'inserted' | 'broken_link' | 'head_mismatch' | 'unsealed_too_long';
  detail: string;
}

export interface VerifyReport {
  tenants: number;
  sealed: number;
  unsealed: number;
  heads: { tenant: string; lastSeq: number; lastHash: string }[];
  problems: AuditProblem[];
}

const PAGE = 5_000;

/**
 * Walks every tenant's chain in seq order and recomputes each hash. A changed row breaks its own
 * hash; a deleted row leaves a gap in seq (or a head beyond the last row); an inserted row carries a
 * seq or hash that does not fit. Events still unsealed after the grace period are reported too.
 */
export async function verifyAudit(db: Database, opts: { graceMinutes: number; now?: Date; onProgress?: (n: number) => void }): Promise<VerifyReport> {
  const now = opts.now ?? new Date();
  const tenants = await db.query<{ id: string; slug: string }>('SELECT id::text, slug FROM tenants ORDER BY slug');
  const report: VerifyReport = { tenants: tenants.length, sealed: 0, unsealed: 0, heads: [], problems: [] };
  for (const t of tenants) {
    const [head] = await db.query<{ last_seq: number; last_hash: Buffer }>('SELECT last_seq, last_hash FROM audit_chain_heads WHERE tenant_id = $1', [t.id]);
    let prev = GENESIS_HASH;
    let expected = 1;
    let firstProblem = false;
    for (;;) {
      const rows = await db.query<ChainRow & { prev_hash: Buffer; hash: Buffer }>(
        `SELECT ${CHAIN_COLUMNS}, prev_hash, hash FROM audit_events WHERE tenant_id = $1 AND seq >= $2 ORDER BY seq LIMIT ${PAGE}`,
        [t.id, expected],
      );
      for (const r of rows) {
        const seq = Number(r.seq);
        if (!firstProblem) {
          if (seq !== expected) {
            report.problems.push({ tenant: t.slug, seq: expected, reason: 'missing', detail: `event seq ${expected} is missing (next found: ${seq})` });
            firstProblem = true;
          } else if (!Buffer.from(r.prev_hash).equals(prev)) {
            report.problems.push({ tenant: t.slug, seq, id: r.id, reason: 'broken_link', detail: `event seq ${seq} (${r.id}) does not link to the event before it` });
            firstProblem = true;
          } else if (!chainHash(prev, r).equals(Buffer.from(r.hash))) {
            report.problems.push({ tenant: t.slug, seq, id: r.id, reason: 'altered', detail: `event seq ${seq} (${r.id}, ${r.action}) was altered after sealing` });
            firstProblem = true;
          }
        }
        prev = Buffer.from(r.hash);
        expected = seq + 1;
        report.sealed++;
      }
      opts.onProgress?.(report.sealed);
      if (rows.length < PAGE) break;
    }
    const lastSeq = expected - 1;
    if (!firstProblem) {
      if (!head && lastSeq > 0) {
        report.problems.push({ tenant: t.slug, seq: 1, reason: 'inserted', detail: 'sealed events exist but the chain head is missing' });
      } else if (head && Number(head.last_seq) !== lastSeq) {
        report.problems.push({
          tenant: t.slug,
          seq: Math.min(Number(head.last_seq), lastSeq) + 1,
          reason: Number(head.last_seq) > lastSeq ? 'missing' : 'inserted',
          detail: `chain head says ${head.last_seq} events, the table has ${lastSeq}`,
        });
      } else if (head && !Buffer.from(head.last_hash).equals(prev)) {
        report.problems.push({ tenant: t.slug, seq: lastSeq, reason: 'head_mismatch', detail: 'the last event does not match the chain head' });
      }
    }
    if (head) report.heads.push({ tenant: t.slug, lastSeq: Number(head.last_seq), lastHash: Buffer.from(head.last_hash).toString('hex') });
    const cutoff = new Date(now.getTime() - opts.graceMinutes * 60_000);
    const [late] = await db.query<{ n: number; first: string | null }>(
      `SELECT count(*)::int AS n, min(id::text) AS first FROM audit_events WHERE tenant_id = $1 AND seq IS NULL AND occurred_at < $2`,
      [t.id, cutoff],
    );
    const [unsealed] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND seq IS NULL', [t.id]);
    report.unsealed += unsealed.n;
    if (late.n > 0) {
      report.problems.push({ tenant: t.slug, id: late.first ?? undefined, reason: 'unsealed_too_long', detail: `${late.n} event(s) unsealed for more than ${opts.graceMinutes} minutes` });
    }
  }
  return report;
}
