-- Complaints: duplicates, support ("saya juga mengalami ini"), merge and moderation
-- (server/modules/complaints/duplicates).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE complaints
  -- Set when triage merged this report (rejected as 'duplicate') into another one: the primary.
  -- Never a chain: merging a primary re-points the reports merged into it.
  ADD COLUMN merged_into_id uuid,
  -- Rows of complaint_supporters of this report, kept in the same transaction as each insert.
  ADD COLUMN supporters_count integer NOT NULL DEFAULT 0 CHECK (supporters_count >= 0),
  ADD CONSTRAINT complaints_merged_into_fk FOREIGN KEY (tenant_id, merged_into_id) REFERENCES complaints (tenant_id, id),
  ADD CONSTRAINT complaints_merged_not_self CHECK (merged_into_id IS DISTINCT FROM id);

-- Duplicate suggestions: open reports of a category near a point. A bounding box on (lat, lng)
-- narrows the range scan to a thin latitude band; lng and submitted_at are checked inside the
-- index; only open reports are indexed (the statuses are literals in the queries too, so the
-- planner proves the predicate).
CREATE INDEX complaints_nearby_idx ON complaints (tenant_id, category_id, lat, lng, submitted_at)
  WHERE lat IS NOT NULL AND status IN ('submitted', 'verified', 'disposed', 'in_progress', 'needs_info', 'reopened');
-- Reports without coordinates: same kelurahan/kecamatan and category (staff suggestions).
CREATE INDEX complaints_nearby_region_idx ON complaints (tenant_id, category_id, kecamatan_code, submitted_at)
  WHERE lat IS NULL AND status IN ('submitted', 'verified', 'disposed', 'in_progress', 'needs_info', 'reopened');
-- Photos hidden by moderation (only those may be shown again: photos of internal notes are hidden
-- from the start and stay so).
ALTER TABLE complaint_photos ADD COLUMN moderated boolean NOT NULL DEFAULT false;
CREATE INDEX complaints_merged_into_idx ON complaints (tenant_id, merged_into_id) WHERE merged_into_id IS NOT NULL;

-- Residents who support a report instead of filing the same one, and the reporters and supporters
-- of reports merged into it. Those with an account or an e-mail address follow the report:
-- they hear of its status changes like its reporter.
CREATE TABLE complaint_supporters (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  complaint_id uuid NOT NULL,
  -- The signed-in resident (one support per account and report).
  user_id uuid,
  -- An anonymous supporter's address for updates (optional; never shown, never audited).
  email text CHECK (length(email) <= 254),
  -- Set when the row came from merging that report into this one.
  via_complaint_id uuid,
  at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, complaint_id) REFERENCES complaints (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, via_complaint_id) REFERENCES complaints (tenant_id, id)
);
CREATE UNIQUE INDEX complaint_supporters_user_uq ON complaint_supporters (tenant_id, complaint_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX complaint_supporters_email_uq ON complaint_supporters (tenant_id, complaint_id, lower(email)) WHERE user_id IS NULL AND email IS NOT NULL;
CREATE INDEX complaint_supporters_complaint_idx ON complaint_supporters (tenant_id, complaint_id, at);

-- Moderation: the text before each redaction (description or a public timeline note). The
-- report and the note hold the redacted text everywhere (public, staff, search, exports); the
-- original is readable only with audit.read.
CREATE TABLE complaint_redactions (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  complaint_id uuid NOT NULL,
  -- The timeline entry whose note was redacted; NULL: the description.
  event_id uuid,
  original text NOT NULL,
  redacted text NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 3 AND 500),
  actor_user_id uuid,
  at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, complaint_id) REFERENCES complaints (tenant_id, id),
  FOREIGN KEY (tenant_id, event_id) REFERENCES complaint_events (tenant_id, id)
);
CREATE INDEX complaint_redactions_complaint_idx ON complaint_redactions (tenant_id, complaint_id, at);
