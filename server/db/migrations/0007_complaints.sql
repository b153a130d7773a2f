-- Complaints (server/modules/complaints): categories, routing rules, reports, photos, timeline.

-- Module settings per tenant: the area in which report coordinates are accepted.
CREATE TABLE complaint_settings (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  bounds_south double precision NOT NULL CHECK (bounds_south BETWEEN -90 AND 90),
  bounds_west double precision NOT NULL CHECK (bounds_west BETWEEN -180 AND 180),
  bounds_north double precision NOT NULL CHECK (bounds_north BETWEEN -90 AND 90),
  bounds_east double precision NOT NULL CHECK (bounds_east BETWEEN -180 AND 180),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (bounds_south < bounds_north AND bounds_west < bounds_east)
);

CREATE TABLE complaint_categories (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 2 AND 120),
  icon text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('pengaduan', 'aspirasi', 'informasi')),
  default_unit_id uuid NOT NULL,
  public boolean NOT NULL DEFAULT true,
  active boolean NOT NULL DEFAULT true,
  sort_order integer NOT NULL DEFAULT 0,
  deadline_hours jsonb NOT NULL DEFAULT '{}',
  attributes jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, default_unit_id) REFERENCES units (tenant_id, id)
);
CREATE UNIQUE INDEX complaint_categories_name_uq ON complaint_categories (tenant_id, lower(name));

-- Overrides of a category's default unit for a kecamatan or kelurahan.
CREATE TABLE complaint_routing_rules (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  category_id uuid NOT NULL,
  region_code text NOT NULL REFERENCES regions (code),
  unit_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, category_id) REFERENCES complaint_categories (tenant_id, id),
  FOREIGN KEY (tenant_id, unit_id) REFERENCES units (tenant_id, id)
);
CREATE UNIQUE INDEX complaint_routing_rules_uq ON complaint_routing_rules (tenant_id, category_id, region_code);

CREATE TABLE complaints (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  tracking_code text NOT NULL,
  category_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('pengaduan', 'aspirasi', 'informasi')),
  status text NOT NULL CHECK (status IN ('submitted', 'verified', 'rejected', 'disposed', 'in_progress', 'needs_info', 'resolved', 'closed', 'reopened', 'withdrawn')),
  description text NOT NULL CHECK (length(description) BETWEEN 20 AND 2000),
  lat double precision,
  lng double precision,
  kecamatan_code text REFERENCES regions (code),
  kelurahan_code text REFERENCES regions (code),
  address text CHECK (length(address) <= 300),
  attributes jsonb NOT NULL DEFAULT '{}',
  -- The responsible unit: proposed by routing at submission, set by each disposition.
  unit_id uuid NOT NULL,
  rejection_reason text CHECK (rejection_reason IN ('spam', 'invalid', 'duplicate')),
  reporter_user_id uuid,
  reporter_name text CHECK (length(reporter_name) <= 120),
  reporter_phone text,
  reporter_email text,
  -- sha256 of the private link's token (anonymous reporters); the token itself is never stored.
  access_token_hash bytea,
  hidden boolean NOT NULL DEFAULT false,
  submitted_at timestamptz NOT NULL,
  verified_at timestamptz,
  disposed_at timestamptz,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, category_id) REFERENCES complaint_categories (tenant_id, id),
  FOREIGN KEY (tenant_id, unit_id) REFERENCES units (tenant_id, id),
  FOREIGN KEY (tenant_id, reporter_user_id) REFERENCES users (tenant_id, id),
  CHECK ((lat IS NULL) = (lng IS NULL)),
  CHECK (lat IS NOT NULL OR kecamatan_code IS NOT NULL)
);
CREATE UNIQUE INDEX complaints_tracking_code_uq ON complaints (tenant_id, tracking_code);
-- Inbox orders: (submitted_at desc, id desc), tenant-wide and per filter.
CREATE INDEX complaints_inbox_idx ON complaints (tenant_id, submitted_at DESC, id DESC);
CREATE INDEX complaints_status_idx ON complaints (tenant_id, status, submitted_at DESC, id DESC);
CREATE INDEX complaints_unit_idx ON complaints (tenant_id, unit_id, submitted_at DESC, id DESC);
CREATE INDEX complaints_category_idx ON complaints (tenant_id, category_id, submitted_at DESC, id DESC);
CREATE INDEX complaints_kecamatan_idx ON complaints (tenant_id, kecamatan_code, submitted_at DESC, id DESC);
CREATE INDEX complaints_reporter_idx ON complaints (tenant_id, reporter_user_id, submitted_at DESC) WHERE reporter_user_id IS NOT NULL;

CREATE TABLE complaint_photos (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  file_id uuid NOT NULL,
  complaint_id uuid NOT NULL,
  position smallint NOT NULL,
  hidden boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant_id, file_id),
  FOREIGN KEY (tenant_id, complaint_id) REFERENCES complaints (tenant_id, id),
  FOREIGN KEY (tenant_id, file_id) REFERENCES files (tenant_id, id)
);
CREATE INDEX complaint_photos_complaint_idx ON complaint_photos (tenant_id, complaint_id, position);

-- The timeline: status changes and notes. Internal entries never leave the staff workspace.
CREATE TABLE complaint_events (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  complaint_id uuid NOT NULL,
  action text NOT NULL,
  from_status text,
  to_status text,
  note text CHECK (length(note) <= 2000),
  internal boolean NOT NULL DEFAULT false,
  unit_id uuid,
  actor_user_id uuid,
  actor_kind text NOT NULL CHECK (actor_kind IN ('reporter', 'triage', 'handler', 'system')),
  at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, complaint_id) REFERENCES complaints (tenant_id, id)
);
CREATE INDEX complaint_events_complaint_idx ON complaint_events (tenant_id, complaint_id, at, id);
