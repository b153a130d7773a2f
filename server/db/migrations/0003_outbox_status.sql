-- The admin outbox page filters by status, newest first: one index per (tenant, status) keeps
-- that a range scan however many e-mails the tenant has sent.
CREATE INDEX email_outbox_status_idx ON email_outbox (tenant_id, status, created_at DESC, id DESC);
