import type { Database } from '../../db/client.js';
import { withTx } from '../../db/tx.js';

/** NOTIFY channel that carries the highest position just assigned. */
export const EVENTS_CHANNEL = 'balai_events';
/** Advisory lock that lets one process at a time number events (others skip the round). */
const RELAY_LOCK = 7_305_003;
/** Events numbered per transaction. */
const BATCH = 1_000;

/**
 * The next unnumbered events. Ordered by the table's columns, not by the text aliases (a bare `id`
 * would be the alias), so that domain_events_pending_idx gives the rows in order and the LIMIT
 * stops its scan: no sort of every unnumbered event, no read of another index's dead entries.
 */
export const PENDING_EVENTS_SQL = `SELECT d.tenant_id::text AS tenant_id, d.id::text AS id
  FROM domain_events d
 WHERE d.position IS NULL
 ORDER BY d.xid, d.id
 LIMIT ${BATCH}`;

/** Set in the relay's transaction before PENDING_EVENTS_SQL (see tryRelayEvents). */
export const PENDING_EVENTS_SETTING = 'SET LOCAL enable_bitmapscan = off';

/**
 * Numbers committed domain events. Takes the events without a position that its snapshot sees
 * (all committed), orders them by (xid, id), gives them the next positions of
 * `domain_event_position`, and NOTIFYs `balai_events` with the highest one in the same
 * transaction. One relay at a time holds the advisory lock, and a relay's snapshot is taken after
 * the previous one has committed, so positions become visible only in increasing order: a reader
 * that remembers its last position never misses an event. An event committed after the snapshot
 * gets a higher position in the next round; writers never wait for the relay (no shared row).
 *
 * Unlike the audit sealer, the relay does not wait for `xid < pg_snapshot_xmin(...)`: the xmin is
 * cluster-wide, so any long writing transaction on the server (a bulk import, a region load in
 * another database) would hold every event back for its whole duration, and the positions do not
 * need it (they are assigned here, not derived from xids). Returns how many events were numbered.
 */
export async function relayEvents(db: Database): Promise<number> {
  const r = await tryRelayEvents(db);
  return r === 'busy' ? 0 : r;
}

/** As `relayEvents`, but says when another process held the relay lock (so the caller may retry soon). */
export async function tryRelayEvents(db: Database): Promise<number | 'busy'> {
  let total = 0;
  for (;;) {
    const n = await withTx(db, async (q) => {
      const [{ locked }] = await q('SELECT pg_try_advisory_xact_lock($1) AS locked', [RELAY_LOCK]);
      if (!locked) return 'busy' as const;
      // A plain index scan, not a bitmap scan: only an index scan marks the entries of events
      // numbered earlier (dead until vacuum) so that later rounds skip them; a bitmap scan reads
      // them all again every round (~60,000 per round under intake load).
      await q(PENDING_EVENTS_SETTING);
      const rows: { tenant_id: string; id: string }[] = await q(PENDING_EVENTS_SQL);
      if (rows.length === 0) return 0;
      const seq: { p: string }[] = await q(`SELECT nextval('domain_event_position')::text AS p FROM generate_series(1, $1::int)`, [rows.length]);
      const positions = seq.map((r) => Number(r.p)).sort((a, b) => a - b);
      await q(
        `UPDATE domain_events d SET position = v.position
           FROM unnest($1::uuid[], $2::uuid[], $3::bigint[]) AS v(tenant_id, id, position)
          WHERE d.tenant_id = v.tenant_id AND d.id = v.id AND d.position IS NULL`,
        [rows.map((r) => r.tenant_id), rows.map((r) => r.id), positions],
      );
      await q('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, String(positions[positions.length - 1])]);
      return rows.length;
    });
    if (n === 'busy') return total > 0 ? total : 'busy';
    total += n;
    if (n < BATCH) return total;
  }
}

/** The highest relayed position (0 when none). */
export async function lastPosition(db: Database): Promise<number> {
  const [r] = await db.query<{ p: string | null }>('SELECT max(position)::text AS p FROM domain_events');
  return r?.p ? Number(r.p) : 0;
}
