import type { Database } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { CHAIN_COLUMNS, type ChainRow, chainHash, GENESIS_HASH } from './chain.js';

/** Advisory lock that lets one process at a time seal (others skip). */
const SEAL_LOCK = 7_305_002;
/** Events sealed per round. */
const BATCH = 2_000;

/**
 * Seals audit events in commit order: takes unsealed events whose transaction is older than every
 * running one (xid below the snapshot's xmin, so nothing can commit before them any more), orders
 * them by (xid, id), and chains each tenant's events by hash with a gap-free seq. Writers never
 * wait for this. Returns how many events were sealed.
 */
export async function sealAudit(db: Database, now: Date = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await withTx(db, async (q) => {
      const [{ locked }] = await q('SELECT pg_try_advisory_xact_lock($1) AS locked', [SEAL_LOCK]);
      if (!locked) return 0;
      const rows: (ChainRow & { xid: string })[] = await q(
        `SELECT ${CHAIN_COLUMNS}
           FROM audit_events
          WHERE seq IS NULL AND xid < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY xid, id
          LIMIT ${BATCH}`,
      );
      if (rows.length === 0) return 0;
      const tenantIds = [...new Set(rows.map((r) => r.tenant_id))];
      const heads = await q('SELECT tenant_id::text, last_seq, last_hash FROM audit_chain_heads WHERE tenant_id = ANY($1::uuid[]) FOR UPDATE', [tenantIds]);
      const state = new Map<string, { seq: number; hash: Buffer }>(heads.map((h: any) => [h.tenant_id, { seq: Number(h.last_seq), hash: Buffer.from(h.last_hash) }]));
      const ids: string[] = [];
      const tenants: string[] = [];
      const seqs: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const r of rows) {
        const head = state.get(r.tenant_id) ?? { seq: 0, hash: GENESIS_HASH };
        const seq = head.seq + 1;
        const hash = chainHash(head.hash, { ...r, seq });
        tenants.push(r.tenant_id);
        ids.push(r.id);
        seqs.push(seq);
        prevs.push(head.hash.toString('hex'));
        hashes.push(hash.toString('hex'));
        state.set(r.tenant_id, { seq, hash });
      }
      await q(
        `UPDATE audit_events a
            SET seq = v.seq, prev_hash = decode(v.prev, 'hex'), hash = decode(v.hash, 'hex'), sealed_at = $6
           FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::text[]) AS v(tenant_id, id, seq, prev, hash)
          WHERE a.tenant_id = v.tenant_id AND a.id = v.id`,
        [tenants, ids, seqs, prevs, hashes, now],
      );
      for (const [tenantId, head] of state) {
        await q(
          `INSERT INTO audit_chain_heads (tenant_id, last_seq, last_hash, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (tenant_id) DO UPDATE SET last_seq = EXCLUDED.last_seq, last_hash = EXCLUDED.last_hash, updated_at = EXCLUDED.updated_at`,
          [tenantId, head.seq, head.hash, now],
        );
      }
      return rows.length;
    });
    total += n;
    if (n < BATCH) return total;
  }
}
