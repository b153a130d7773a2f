-- Complaints channels (server/modules/complaints/intake): where each report came in, the triage
-- queue of messages forwarded by social-media and messaging gateways, and the caller lookup of the
-- call-centre console.

-- A constant default adds the column without rewriting the table (PostgreSQL ≥ 11).
ALTER TABLE complaints
  ADD COLUMN channel text NOT NULL DEFAULT 'web'
    CHECK (channel IN ('web', 'call_centre', 'open311', 'whatsapp', 'instagram', 'twitter', 'facebook', 'email', 'sms'));

-- Caller lookup of the call-centre console: a caller's earlier reports by their (normalised) phone,
-- newest first.
CREATE INDEX complaints_reporter_phone_idx ON complaints (tenant_id, reporter_phone, submitted_at DESC, id DESC) WHERE reporter_phone IS NOT NULL;

-- Messages received by POST /api/v1/intake/:channel, waiting for the triage desk to convert them
-- into reports or discard them.
CREATE TABLE complaint_intake (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  channel text NOT NULL CHECK (channel IN ('whatsapp', 'instagram', 'twitter', 'facebook', 'email', 'sms')),
  -- The channel's own message id (repeat deliveries return the first item).
  external_id text CHECK (length(external_id) BETWEEN 1 AND 200),
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  -- {name?, handle?, phone?} as the channel knows the sender; phone normalised when possible.
  sender jsonb NOT NULL DEFAULT '{}',
  lat double precision CHECK (lat BETWEEN -90 AND 90),
  lng double precision CHECK (lng BETWEEN -180 AND 180),
  address text CHECK (length(address) <= 300),
  -- [{id, mime}] of files claimed with purpose complaint.intake_media.
  media jsonb NOT NULL DEFAULT '[]',
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'converted', 'discarded')),
  complaint_id uuid,
  discard_reason text CHECK (length(discard_reason) <= 500),
  -- The API key that delivered the message (no foreign key: keys are revoked, never deleted).
  api_key_id uuid,
  received_at timestamptz NOT NULL,
  handled_by uuid,
  handled_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, complaint_id) REFERENCES complaints (tenant_id, id),
  FOREIGN KEY (tenant_id, handled_by) REFERENCES users (tenant_id, id),
  CHECK ((lat IS NULL) = (lng IS NULL)),
  CHECK ((status = 'converted') = (complaint_id IS NOT NULL)),
  CHECK ((status = 'discarded') = (discard_reason IS NOT NULL)),
  CHECK ((status = 'pending') = (handled_at IS NULL))
);
CREATE UNIQUE INDEX complaint_intake_external_uq ON complaint_intake (tenant_id, channel, external_id) WHERE external_id IS NOT NULL;
-- The queue: newest first, whole tenant, by status (usually pending), and by channel.
CREATE INDEX complaint_intake_received_idx ON complaint_intake (tenant_id, received_at DESC, id DESC);
CREATE INDEX complaint_intake_status_idx ON complaint_intake (tenant_id, status, received_at DESC, id DESC);
CREATE INDEX complaint_intake_channel_idx ON complaint_intake (tenant_id, channel, status, received_at DESC, id DESC);

-- Tenants provisioned before this migration: their built-in admin role may mint intake API keys
-- (common/permissions.ts gives new tenants the same).
UPDATE roles SET permissions = array_append(permissions, 'complaints.intake')
 WHERE key = 'admin' AND system AND NOT ('complaints.intake' = ANY (permissions));
