-- Domain events and audit events are written without their number (position, seq) and numbered
-- by the relay and the sealer shortly after commit. Indexes over the number had an entry for every
-- row while it was unnumbered, NULL, so each write maintained them twice. Worse, the relay's search
-- for unnumbered events read those NULL entries of domain_events_position_uq, the dead ones of
-- every event numbered since the last vacuum included (~36,000 entries per round under intake
-- load), instead of the partial index kept for that search. Every query that reads by number
-- compares it (position > $1, seq = $2 …) and so can still use the partial indexes.
DROP INDEX domain_events_position_uq;
CREATE UNIQUE INDEX domain_events_position_uq ON domain_events (position) WHERE position IS NOT NULL;
DROP INDEX domain_events_tenant_idx;
CREATE INDEX domain_events_tenant_idx ON domain_events (tenant_id, position) WHERE position IS NOT NULL;
DROP INDEX audit_seq_uq;
CREATE UNIQUE INDEX audit_seq_uq ON audit_events (tenant_id, seq) WHERE seq IS NOT NULL;
