-- Indexes for the organisation and access administration pages (units, users, API keys) and for
-- browsing the audit trail as a unit-scoped auditor.

-- Unit search by name (?q= on the units page).
CREATE INDEX units_name_trgm_idx ON units USING gin (lower(name) gin_trgm_ops);

-- User list ordered by (name, id) across kinds, and search by e-mail.
CREATE INDEX users_name_idx ON users (tenant_id, name, id);
CREATE INDEX users_email_trgm_idx ON users USING gin (lower(email) gin_trgm_ops);

-- API keys newest first.
CREATE INDEX api_keys_browse_idx ON api_keys (tenant_id, created_at DESC, id DESC);

-- Audit events of some units, newest first (auditors granted on a unit rather than the root).
CREATE INDEX audit_unit_idx ON audit_events (tenant_id, unit_id, occurred_at DESC, id DESC) WHERE unit_id IS NOT NULL;
