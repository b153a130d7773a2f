-- Audit seals in a table of their own; audit events are never updated again.
--
-- Sealing used to UPDATE each event (seq, prev_hash, hash, sealed_at). seq is indexed, so every
-- seal wrote a second full version of the event and an entry in each of its seven indexes, and
-- left a dead version behind for vacuum: as much database work per event as writing it. A seal is
-- now one narrow row (two index entries), and the event table becomes strictly append-only.
--
-- The chain is unchanged: the same hash over the same content, in the same (xid, id) order. What
-- is sealed is told by a mark, the (xid, id) of the last sealed event: the sealer only ever takes
-- events whose transaction is older than every running one, in (xid, id) order, so every event up
-- to the mark is sealed and every later one is not.
CREATE TABLE audit_seals (
  tenant_id uuid NOT NULL,
  seq bigint NOT NULL,
  event_id uuid NOT NULL,
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL,
  sealed_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);
CREATE UNIQUE INDEX audit_seals_event_uq ON audit_seals (tenant_id, event_id);

INSERT INTO audit_seals (tenant_id, seq, event_id, prev_hash, hash, sealed_at)
SELECT tenant_id, seq, id, prev_hash, hash, coalesce(sealed_at, occurred_at) FROM audit_events WHERE seq IS NOT NULL;

-- One row: where sealing has got to (in the order of every tenant's events together).
CREATE TABLE audit_seal_mark (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  last_xid xid8 NOT NULL,
  last_event_id uuid NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO audit_seal_mark (last_xid, last_event_id)
SELECT xid, id FROM audit_events WHERE seq IS NOT NULL ORDER BY xid DESC, id DESC LIMIT 1;

DROP TRIGGER audit_events_guard ON audit_events;
DROP INDEX audit_unsealed_idx;
DROP INDEX audit_seq_uq;
ALTER TABLE audit_events DROP COLUMN seq, DROP COLUMN prev_hash, DROP COLUMN hash, DROP COLUMN sealed_at;
-- The sealer reads on from the mark in this order.
CREATE INDEX audit_xid_idx ON audit_events (xid, id);

-- Neither events nor seals are ever changed or removed.
CREATE OR REPLACE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only';
END $$;
CREATE TRIGGER audit_events_guard BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_guard();
CREATE TRIGGER audit_seals_guard BEFORE UPDATE OR DELETE ON audit_seals
  FOR EACH ROW EXECUTE FUNCTION audit_events_guard();
