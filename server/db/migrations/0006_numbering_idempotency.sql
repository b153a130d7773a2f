-- Gap-free counters (server/platform/numbering) and expiry of idempotency keys
-- (server/platform/idempotency).

-- One row per tenant, counter key and period (e.g. 'queue:<facility>:<poli>' + '2026-11-27',
-- 'letter:<unit>:<classification>' + '2026'). nextNumber() increments it inside the command's
-- transaction: a number commits with the command or rolls back with it.
CREATE TABLE number_counters (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  period text NOT NULL CHECK (length(period) <= 40),
  value bigint NOT NULL CHECK (value > 0),
  PRIMARY KEY (tenant_id, key, period)
);

-- Expired keys (older than 24 h) are deleted in created_at order by expireIdempotencyKeys().
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
