import type { Database } from '../../db/client.js';
import { type Q, withTx } from '../../db/tx.js';
import { type ChainRow, chainColumns, chainHash, GENESIS_HASH } from './chain.js';

/** Advisory lock that lets one process at a time seal (others skip). */
const SEAL_LOCK = 7_305_002;
/** Events sealed per round. */
const BATCH = 2_000;

/** Before the first seal: below every (xid, id). */
const ORIGIN = { xid: '0', id: '00000000-0000-0000-0000-000000000000' };

/**
 * The next unsealed events whose transactions are over: after the mark (the last sealed event) in
 * (xid, id) order, read along audit_xid_idx up to the LIMIT. $1, $2: the mark's xid and event id.
 */
export const UNSEALED_SQL = `SELECT ${chainColumns('audit_events')}, audit_events.xid::text AS xid
  FROM audit_events
 WHERE (audit_events.xid, audit_events.id) > ($1::xid8, $2::uuid) AND audit_events.xid < pg_snapshot_xmin(pg_current_snapshot())
 ORDER BY audit_events.xid, audit_events.id
 LIMIT ${BATCH}`;

/**
 * Set in the sealer's transaction before UNSEALED_SQL: a plain index scan reads audit_xid_idx in
 * (xid, id) order from the mark and stops at the batch size. With few rows estimated past the
 * mark, the planner may otherwise pick a bitmap scan and sort all of them.
 */
export const UNSEALED_SETTING = 'SET LOCAL enable_bitmapscan = off';

/** Where sealing has got to: the (xid, id) of the last sealed event, or the origin. */
export async function sealMark(q: Q): Promise<{ xid: string; id: string }> {
  const [mark] = await q('SELECT last_xid::text AS xid, last_event_id::text AS id FROM audit_seal_mark');
  return mark ?? ORIGIN;
}

/**
 * Seals audit events in commit order: takes the events after the mark whose transaction is older
 * than every running one (xid below the snapshot's xmin, so nothing can commit before them any
 * more), in (xid, id) order, and chains each tenant's events by hash with a gap-free seq: one row
 * in audit_seals per event, the chain heads and the mark move on in the same transaction. Writers
 * never wait for this; the events themselves are never touched. Returns how many were sealed.
 */
export async function sealAudit(db: Database, now: Date = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await withTx(db, async (q) => {
      const [{ locked }] = await q('SELECT pg_try_advisory_xact_lock($1) AS locked', [SEAL_LOCK]);
      if (!locked) return 0;
      await q(UNSEALED_SETTING);
      const mark = await sealMark(q);
      const rows: (ChainRow & { xid: string })[] = await q(UNSEALED_SQL, [mark.xid, mark.id]);
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
      const last = rows[rows.length - 1];
      await q(
        `WITH seals AS (
           INSERT INTO audit_seals (tenant_id, seq, event_id, prev_hash, hash, sealed_at)
           SELECT v.tenant_id, v.seq, v.id, decode(v.prev, 'hex'), decode(v.hash, 'hex'), $6
             FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::text[]) AS v(tenant_id, id, seq, prev, hash)
         ), heads AS (
           INSERT INTO audit_chain_heads (tenant_id, last_seq, last_hash, updated_at)
           SELECT h.tenant_id, h.seq, decode(h.hash, 'hex'), $6 FROM unnest($7::uuid[], $8::bigint[], $9::text[]) AS h(tenant_id, seq, hash)
           ON CONFLICT (tenant_id) DO UPDATE SET last_seq = EXCLUDED.last_seq, last_hash = EXCLUDED.last_hash, updated_at = EXCLUDED.updated_at
         )
         INSERT INTO audit_seal_mark (one, last_xid, last_event_id, updated_at) VALUES (true, $10::xid8, $11::uuid, $6)
         ON CONFLICT (one) DO UPDATE SET last_xid = EXCLUDED.last_xid, last_event_id = EXCLUDED.last_event_id, updated_at = EXCLUDED.updated_at`,
        [
          tenants,
          ids,
          seqs,
          prevs,
          hashes,
          now,
          [...state.keys()],
          [...state.values()].map((h) => h.seq),
          [...state.values()].map((h) => h.hash.toString('hex')),
          last.xid,
          last.id,
        ],
      );
      return rows.length;
    });
    total += n;
    if (n < BATCH) return total;
  }
}

/** Events not sealed yet: those after the mark. */
export async function unsealedCount(db: Database): Promise<number> {
  const [{ n }] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_events, (SELECT coalesce((SELECT last_xid FROM audit_seal_mark), '0'::xid8) AS xid,
            coalesce((SELECT last_event_id FROM audit_seal_mark), '00000000-0000-0000-0000-000000000000'::uuid) AS id) m
      WHERE (audit_events.xid, audit_events.id) > (m.xid, m.id)`,
  );
  return n;
}

/**
 * Seals until nothing is left unsealed (the bulk generator, tests). On a server shared with other
 * work a transaction running elsewhere holds the sealer back for a moment (xids are server-wide),
 * so this waits and tries again, up to `timeoutMs`. Returns how many it sealed.
 */
export async function sealEverything(db: Database, now: () => Date, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let sealed = 0;
  for (;;) {
    sealed += await sealAudit(db, now());
    const left = await unsealedCount(db);
    if (left === 0) return sealed;
    if (Date.now() > deadline) throw new Error(`${left} audit events stay unsealed after ${Math.round(timeoutMs / 1000)} s (a transaction left open?)`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
