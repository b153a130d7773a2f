-- Platform tables: tenants, regions, organisation, accounts, permissions, audit, events,
-- notifications, files, calendar, idempotency. Every tenant-owned table keys on (tenant_id, id).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Reference data shared by all tenants (Kemendagri codes from idn-area-data).
CREATE TABLE regions (
  code text PRIMARY KEY,
  parent_code text,
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
  name text NOT NULL
);
CREATE INDEX regions_parent_idx ON regions (parent_code, name);
CREATE INDEX regions_name_trgm_idx ON regions USING gin (lower(name) gin_trgm_ops);

CREATE TABLE tenants (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('kota', 'kabupaten', 'provinsi')),
  region_code text NOT NULL REFERENCES regions (code),
  time_zone text NOT NULL CHECK (time_zone IN ('Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura')),
  hosts text[] NOT NULL DEFAULT '{}',
  logo_file_id uuid,
  contact jsonb NOT NULL DEFAULT '{}',
  settings jsonb NOT NULL DEFAULT '{}',
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenants_hosts_idx ON tenants USING gin (hosts);

-- Organisation tree: agencies, bidang, seksi, kecamatan, kelurahan, puskesmas, hospitals.
-- path holds the ids from the root down to the unit itself, for inheritance checks.
CREATE TABLE units (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  parent_id uuid,
  kind text NOT NULL CHECK (kind IN ('pemda', 'agency', 'bidang', 'seksi', 'kecamatan', 'kelurahan', 'puskesmas', 'hospital')),
  name text NOT NULL CHECK (length(name) BETWEEN 2 AND 200),
  code text,
  region_code text REFERENCES regions (code),
  path uuid[] NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, parent_id) REFERENCES units (tenant_id, id)
);
CREATE INDEX units_parent_idx ON units (tenant_id, parent_id, name);
CREATE INDEX units_path_idx ON units USING gin (path);
CREATE UNIQUE INDEX units_code_uq ON units (tenant_id, code) WHERE code IS NOT NULL;

CREATE TABLE users (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('staff', 'citizen')),
  name text NOT NULL,
  email text,
  phone text,
  nip text CHECK (nip IS NULL OR nip ~ '^[0-9]{18}$'),
  password_hash text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'invited', 'disabled')),
  locale text NOT NULL DEFAULT 'id' CHECK (locale IN ('id', 'en')),
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
CREATE UNIQUE INDEX users_email_uq ON users (tenant_id, lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX users_phone_uq ON users (tenant_id, phone) WHERE phone IS NOT NULL;
CREATE UNIQUE INDEX users_nip_uq ON users (tenant_id, nip) WHERE nip IS NOT NULL;
CREATE INDEX users_kind_name_idx ON users (tenant_id, kind, name, id);
CREATE INDEX users_name_trgm_idx ON users USING gin (lower(name) gin_trgm_ops);

-- Sessions are stored only as sha256 hashes of the random 256-bit token.
CREATE TABLE sessions (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  token_hash bytea NOT NULL,
  user_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text,
  PRIMARY KEY (tenant_id, token_hash),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_user_idx ON sessions (tenant_id, user_id);

CREATE TABLE password_resets (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  token_hash bytea NOT NULL,
  user_id uuid NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, token_hash),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE api_keys (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  name text NOT NULL,
  prefix text NOT NULL,
  key_hash bytea NOT NULL,
  permissions text[] NOT NULL DEFAULT '{}',
  unit_id uuid,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, key_hash)
);

CREATE TABLE roles (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{1,49}$'),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  permissions text[] NOT NULL,
  system boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, key)
);

-- A grant gives a role to a user on a unit and everything below it.
CREATE TABLE grants (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  role_id uuid NOT NULL,
  unit_id uuid NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, user_id, role_id, unit_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id),
  FOREIGN KEY (tenant_id, unit_id) REFERENCES units (tenant_id, id)
);
CREATE INDEX grants_unit_idx ON grants (tenant_id, unit_id);

-- Append-only audit trail. xid records the writing transaction; the sealer hashes events in
-- commit order (xid below the oldest running transaction) and assigns seq, so writers never wait
-- on a shared "last hash" row.
CREATE TABLE audit_events (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid,
  actor_kind text NOT NULL,
  actor_name text,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text,
  unit_id uuid,
  data jsonb NOT NULL DEFAULT '{}',
  ip text,
  request_id text,
  seq bigint,
  prev_hash bytea,
  hash bytea,
  sealed_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_unsealed_idx ON audit_events (xid, id) WHERE seq IS NULL;
CREATE UNIQUE INDEX audit_seq_uq ON audit_events (tenant_id, seq);
CREATE INDEX audit_browse_idx ON audit_events (tenant_id, occurred_at DESC, id DESC);
CREATE INDEX audit_entity_idx ON audit_events (tenant_id, entity_type, entity_id, occurred_at DESC);
CREATE INDEX audit_actor_idx ON audit_events (tenant_id, actor_id, occurred_at DESC);
CREATE INDEX audit_action_idx ON audit_events (tenant_id, action, occurred_at DESC);

CREATE TABLE audit_chain_heads (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  last_seq bigint NOT NULL,
  last_hash bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Reject UPDATE and DELETE of audit events except the sealer's one-time sealing update.
CREATE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audit events are append-only';
  END IF;
  IF OLD.seq IS NOT NULL
     OR NEW.tenant_id IS DISTINCT FROM OLD.tenant_id OR NEW.id IS DISTINCT FROM OLD.id
     OR NEW.xid IS DISTINCT FROM OLD.xid OR NEW.occurred_at IS DISTINCT FROM OLD.occurred_at
     OR NEW.actor_id IS DISTINCT FROM OLD.actor_id OR NEW.action IS DISTINCT FROM OLD.action
     OR NEW.entity_type IS DISTINCT FROM OLD.entity_type OR NEW.entity_id IS DISTINCT FROM OLD.entity_id
     OR NEW.data IS DISTINCT FROM OLD.data THEN
    RAISE EXCEPTION 'audit events are append-only';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_events_guard BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_guard();

-- Domain events (transactional outbox). The relay assigns position in commit order and NOTIFYs.
CREATE SEQUENCE domain_event_position;
CREATE TABLE domain_events (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  position bigint,
  type text NOT NULL,
  aggregate_type text NOT NULL,
  aggregate_id text NOT NULL,
  unit_id uuid,
  payload jsonb NOT NULL DEFAULT '{}',
  occurred_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX domain_events_pending_idx ON domain_events (xid, id) WHERE position IS NULL;
CREATE UNIQUE INDEX domain_events_position_uq ON domain_events (position);
CREATE INDEX domain_events_tenant_idx ON domain_events (tenant_id, position);

CREATE TABLE notifications (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  kind text NOT NULL,
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  link text,
  read_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX notifications_user_idx ON notifications (tenant_id, user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (tenant_id, user_id) WHERE read_at IS NULL;

CREATE TABLE email_outbox (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  to_address text NOT NULL,
  subject text NOT NULL,
  body_text text NOT NULL,
  template text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'kept')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX email_outbox_browse_idx ON email_outbox (tenant_id, created_at DESC, id DESC);
CREATE INDEX email_outbox_pending_idx ON email_outbox (created_at) WHERE status = 'pending';

CREATE TABLE files (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  sha256 text NOT NULL,
  mime text NOT NULL,
  size integer NOT NULL,
  width integer,
  height integer,
  thumb_sha256 text,
  original_name text,
  gps_lat double precision,
  gps_lng double precision,
  purpose text NOT NULL,
  visibility text NOT NULL DEFAULT 'private' CHECK (visibility IN ('public', 'private')),
  uploaded_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

-- Working-day calendar: dates that differ from the ordinary week.
CREATE TABLE calendar_days (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  day date NOT NULL,
  kind text NOT NULL CHECK (kind IN ('national_holiday', 'collective_leave', 'local_holiday', 'extra_workday')),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, day)
);

-- Idempotency keys for citizen-facing POSTs: a retry returns the stored response.
CREATE TABLE idempotency_keys (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  scope text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status_code integer,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, scope, key)
);
