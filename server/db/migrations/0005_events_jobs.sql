-- Events, jobs and notifications: durable event consumers, e-mail dispatch bookkeeping, and the
-- indexes that serve the notification list and the per-type event scan.

-- Each durable event handler (onEvent) remembers the last event position it has handled. The
-- checkpoint moves in the same transaction as the handler's writes, so a handler's effects happen
-- once per event even with several worker processes (they take turns by row lock).
CREATE TABLE event_consumers (
  name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_.:-]{1,99}$'),
  position bigint NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  retry_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Consumers read the events of their types after their checkpoint.
CREATE INDEX domain_events_type_idx ON domain_events (type, position) WHERE position IS NOT NULL;

-- queued_at: when the dispatcher handed the e-mail to the pg-boss 'email.send' job. A pending
-- e-mail queued long ago (a job lost with a crashed worker) is queued again.
-- The dispatcher scans email_outbox_pending_idx (0001).
ALTER TABLE email_outbox ADD COLUMN queued_at timestamptz;

-- The "unread only" notification list, newest first.
CREATE INDEX notifications_unread_list_idx ON notifications (tenant_id, user_id, created_at DESC, id DESC) WHERE read_at IS NULL;
