import { createHash } from 'node:crypto';

/** The columns that a sealed audit event's hash covers, as read by SEALED_COLUMNS. */
export interface ChainRow {
  tenant_id: string;
  id: string;
  seq: number | string;
  occurred_us: string;
  actor_id: string | null;
  actor_kind: string;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  unit_id: string | null;
  data_text: string;
  ip: string | null;
  request_id: string | null;
}

/** Columns selected for hashing; text forms are computed by the database so that both drivers agree. */
export const CHAIN_COLUMNS = `tenant_id::text, id::text, seq, (extract(epoch FROM occurred_at) * 1000000)::bigint::text AS occurred_us,
  actor_id::text, actor_kind, actor_name, action, entity_type, entity_id, unit_id::text, data::text AS data_text, ip, request_id`;

export const GENESIS_HASH = Buffer.alloc(32, 0);

/** sha256 over the previous hash and the event's canonical content. */
export function chainHash(prev: Buffer, row: ChainRow): Buffer {
  const content = JSON.stringify([
    row.tenant_id,
    row.id,
    String(row.seq),
    row.occurred_us,
    row.actor_id,
    row.actor_kind,
    row.actor_name,
    row.action,
    row.entity_type,
    row.entity_id,
    row.unit_id,
    row.data_text,
    row.ip,
    row.request_id,
  ]);
  return createHash('sha256').update(prev).update(content).digest();
}
