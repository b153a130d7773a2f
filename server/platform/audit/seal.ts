import type { Database } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { CHAIN_COLUMNS, type ChainRow, chainHash, GENESIS_HASH } from './chain.js';

/** Advisory lock that lets one process at a time seal (others skip). */
const SEAL_LOCK = 7_305_002;
/** Events sealed per round. */
const BATCH = 2_000;

/**
 * The next unsealed events whose transactions are over. Ordered by the table's columns: a bare
 * `id` would be CHAIN_COLUMNS' text alias, which no index gives in order, so every round would
 * sort all unsealed events instead of reading audit_unsealed_idx up to the LIMIT.
 */
export const UNSEALED_SQL = `SELECT ${CHAIN_COLUMNS}
  FROM audit_events
 WHERE seq IS NULL AND xid < pg_snapshot_xmin(pg_current_snapshot())
 ORDER BY audit_events.xid, audit_events.id
 LIMIT ${BATCH}`;

/**
 * Set in the sealer's transaction before UNSEALED_SQL. A plain index scan reads audit_unsealed_idx in
 * (xid, id) order and stops at the batch size, and marks the entries of events sealed earlier (dead
 * until vacuum) so later rounds skip them. With few unsealed rows estimated, the planner may
 * otherwise pick a bitmap scan and sort the whole backlog.
 */
export const UNSEALED_SETTING = 'SET LOCAL enable_bitmapscan = off';

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
      await q(UNSEALED_SETTING);
      const rows: (ChainRow & { xid: string })[] = await q(UNSEALED_SQL);
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
