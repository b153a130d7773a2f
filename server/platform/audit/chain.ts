import { createHash } from 'node:crypto';

/** The columns that a sealed audit event's hash covers (see chainColumns), and its seal's seq. */
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

/**
 * An event's columns selected for hashing (all but seq, which is its seal's), from the table or
 * alias `e`; text forms are computed by the database so that both drivers agree.
 */
export const chainColumns = (e: string) => `${e}.tenant_id::text AS tenant_id, ${e}.id::text AS id, (extract(epoch FROM ${e}.occurred_at) * 1000000)::bigint::text AS occurred_us,
  ${e}.actor_id::text AS actor_id, ${e}.actor_kind, ${e}.actor_name, ${e}.action, ${e}.entity_type, ${e}.entity_id, ${e}.unit_id::text AS unit_id,
  ${e}.data::text AS data_text, ${e}.ip, ${e}.request_id`;

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
