-- Complaints deadlines (server/modules/complaints/jobs.ts): the 80 % warning, escalation to the
-- unit head at 100 %, and closing resolved reports the reporter never confirmed.
ALTER TABLE complaints
  -- When the assignee is warned that the stage's time is running out (80 % of its working hours);
  -- NULL when there is nothing left to warn about (no deadline, paused, done, or already warned).
  ADD COLUMN warn_at timestamptz,
  -- When the warning of the current stage was sent.
  ADD COLUMN warned_at timestamptz,
  -- When the current stage passed its due time and was escalated to the unit head. A new stage
  -- (verification → disposition → resolution, re-disposition, reopening) clears it.
  ADD COLUMN escalated_at timestamptz;

-- The deadline sweep takes what is due, oldest first, per tenant.
CREATE INDEX complaints_warn_idx ON complaints (tenant_id, warn_at) WHERE warn_at IS NOT NULL;
CREATE INDEX complaints_escalate_idx ON complaints (tenant_id, due_at) WHERE due_at IS NOT NULL AND escalated_at IS NULL;
CREATE INDEX complaints_autoclose_idx ON complaints (tenant_id, resolved_at) WHERE status = 'resolved';
-- Inbox filter "escalated": open reports whose stage was escalated, in inbox order.
CREATE INDEX complaints_escalated_idx ON complaints (tenant_id, submitted_at DESC, id DESC) WHERE escalated_at IS NOT NULL AND due_at IS NOT NULL;

-- A private link's key (anonymous reporters, Open311 tokens) is looked up by its hash.
CREATE INDEX complaints_token_idx ON complaints (tenant_id, access_token_hash) WHERE access_token_hash IS NOT NULL;

-- Days after which a resolved report the reporter neither confirmed nor reopened is closed.
ALTER TABLE complaint_settings
  ADD COLUMN auto_close_days integer NOT NULL DEFAULT 7 CHECK (auto_close_days BETWEEN 1 AND 60);

-- The unit head (kepala dinas / kepala bidang) receives escalations of the units below; existing
-- tenants get the new system role, and their administrators the new permission.
UPDATE roles SET permissions = array_append(permissions, 'complaints.escalations')
 WHERE system AND key = 'admin' AND NOT ('complaints.escalations' = ANY (permissions));
INSERT INTO roles (tenant_id, id, key, name, description, permissions, system)
SELECT t.id, gen_random_uuid(), 'unit_head', 'Kepala unit',
       'Kepala dinas/bidang: menangani pengaduan unitnya dan menerima eskalasi pengaduan yang melewati tenggat.',
       ARRAY['complaints.handle', 'complaints.escalations', 'files.upload'], true
  FROM tenants t
 WHERE NOT EXISTS (SELECT 1 FROM roles r WHERE r.tenant_id = t.id AND r.key = 'unit_head');
