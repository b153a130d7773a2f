-- Complaints follow-up (server/modules/complaints): stage deadlines, the needs-information pause,
-- resolution and closing times, and the reporter's rating.
ALTER TABLE complaints
  -- Due time of the current stage (verification, disposition, resolution); NULL when the stage has
  -- no deadline, the clock is paused (needs_info) or the report is no longer open.
  ADD COLUMN due_at timestamptz,
  -- Working hours left of the stage while the clock is paused for the reporter's answer.
  ADD COLUMN paused_hours double precision CHECK (paused_hours >= 0),
  -- The stage the report returns to when the reporter answers (disposed or in_progress).
  ADD COLUMN resume_status text CHECK (resume_status IN ('disposed', 'in_progress')),
  ADD COLUMN resolved_at timestamptz,
  ADD COLUMN closed_at timestamptz,
  ADD COLUMN rating smallint CHECK (rating BETWEEN 1 AND 5),
  ADD COLUMN rating_comment text CHECK (length(rating_comment) <= 1000),
  ADD COLUMN rated_at timestamptz;
-- Overdue filter of the inbox: only reports whose clock runs, in inbox order.
CREATE INDEX complaints_due_idx ON complaints (tenant_id, submitted_at DESC, id DESC) WHERE due_at IS NOT NULL;
-- "My reports": newest first with the id as tie-breaker for the cursor.
DROP INDEX complaints_reporter_idx;
CREATE INDEX complaints_reporter_idx ON complaints (tenant_id, reporter_user_id, submitted_at DESC, id DESC) WHERE reporter_user_id IS NOT NULL;
