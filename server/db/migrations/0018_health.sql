-- Health (server/modules/health): facilities and their services, patients, and visits with queue
-- numbers that are unique and gap-free per facility service and local day.

-- A puskesmas or hospital unit's public profile.
CREATE TABLE health_facilities (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  unit_id uuid NOT NULL,
  address text NOT NULL CHECK (length(address) BETWEEN 5 AND 300),
  kelurahan_code text REFERENCES regions (code),
  lat double precision CHECK (lat BETWEEN -90 AND 90),
  lng double precision CHECK (lng BETWEEN -180 AND 180),
  phone text CHECK (phone ~ '^\+?[0-9]{6,15}$'),
  online_registration boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, unit_id),
  FOREIGN KEY (tenant_id, unit_id) REFERENCES units (tenant_id, id)
);

-- A poli (clinic) or the pharmacy of a facility. Queue codes are the prefix and the day's number,
-- e.g. A-023; each service of a facility has its own prefix.
CREATE TABLE health_services (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  facility_id uuid NOT NULL,
  code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{1,29}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 3 AND 80),
  kind text NOT NULL CHECK (kind IN ('poli', 'pharmacy')),
  queue_prefix text NOT NULL CHECK (queue_prefix ~ '^[A-Z]{1,2}$'),
  -- Share of each session's quota kept for walk-ins registered at the counter (percent); residents
  -- book the rest online.
  onsite_share smallint NOT NULL DEFAULT 40 CHECK (onsite_share BETWEEN 0 AND 100),
  -- Service duration assumed before the facility has measured its own (minutes).
  default_service_minutes smallint NOT NULL DEFAULT 10 CHECK (default_service_minutes BETWEEN 1 AND 240),
  active boolean NOT NULL DEFAULT true,
  sort_order smallint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, facility_id, code),
  UNIQUE (tenant_id, facility_id, queue_prefix),
  FOREIGN KEY (tenant_id, facility_id) REFERENCES health_facilities (tenant_id, unit_id)
);

-- Opening hours: sessions per ISO weekday (1 = Monday) with their quota. A service is closed on a
-- weekday without sessions and on the platform calendar's non-working days.
CREATE TABLE health_service_sessions (
  tenant_id uuid NOT NULL,
  service_id uuid NOT NULL,
  weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  session smallint NOT NULL CHECK (session BETWEEN 1 AND 9),
  opens_at time NOT NULL,
  closes_at time NOT NULL,
  quota integer NOT NULL CHECK (quota BETWEEN 1 AND 999),
  PRIMARY KEY (tenant_id, service_id, weekday, session),
  CHECK (closes_at > opens_at),
  FOREIGN KEY (tenant_id, service_id) REFERENCES health_services (tenant_id, id) ON DELETE CASCADE
);

-- Patients: a resident registers themselves and family members (owner_user_id), counter staff
-- register walk-ins (no owner). One patient per NIK in a tenant.
CREATE TABLE health_patients (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  nik text NOT NULL CHECK (nik ~ '^[0-9]{16}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 2 AND 100),
  birth_date date NOT NULL,
  sex text NOT NULL CHECK (sex IN ('male', 'female')),
  phone text CHECK (phone ~ '^\+?[0-9]{8,15}$'),
  address text CHECK (length(address) <= 300),
  bpjs_number text CHECK (bpjs_number ~ '^[0-9]{13}$'),
  owner_user_id uuid,
  relation text CHECK (relation IN ('self', 'spouse', 'child', 'parent', 'sibling', 'other')),
  created_by uuid,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT health_patients_nik_uq UNIQUE (tenant_id, nik),
  FOREIGN KEY (tenant_id, owner_user_id) REFERENCES users (tenant_id, id),
  CHECK ((owner_user_id IS NULL) = (relation IS NULL))
);
CREATE INDEX health_patients_owner_idx ON health_patients (tenant_id, owner_user_id, created_at) WHERE owner_user_id IS NOT NULL;

-- The day's counter of a service: the last queue number given. Numbers are taken in the same
-- transaction as the visits that carry them, so a rolled-back registration leaves no gap.
CREATE TABLE health_queue_days (
  tenant_id uuid NOT NULL,
  service_id uuid NOT NULL,
  day date NOT NULL,
  last_number integer NOT NULL CHECK (last_number >= 0),
  PRIMARY KEY (tenant_id, service_id, day),
  FOREIGN KEY (tenant_id, service_id) REFERENCES health_services (tenant_id, id)
);

CREATE TABLE health_visits (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  facility_id uuid NOT NULL,
  service_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  day date NOT NULL,
  session smallint NOT NULL,
  number integer NOT NULL CHECK (number >= 1),
  queue_code text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('online', 'onsite')),
  status text NOT NULL CHECK (status IN ('booked', 'checked_in', 'called', 'serving', 'done', 'no_show', 'cancelled')),
  booked_by uuid,
  created_at timestamptz NOT NULL,
  checked_in_at timestamptz,
  called_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  cancelled_at timestamptz,
  cancel_reason text CHECK (length(cancel_reason) <= 300),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT health_visits_number_uq UNIQUE (tenant_id, service_id, day, number),
  FOREIGN KEY (tenant_id, service_id) REFERENCES health_services (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES health_patients (tenant_id, id)
);
-- One active registration per patient and service.
CREATE UNIQUE INDEX health_visits_active_uq ON health_visits (tenant_id, patient_id, service_id)
  WHERE status IN ('booked', 'checked_in', 'called', 'serving');
-- A session's use per channel (quota checks) and the day's queue of a service.
CREATE INDEX health_visits_session_idx ON health_visits (tenant_id, service_id, day, session, channel) WHERE status <> 'cancelled';
CREATE INDEX health_visits_patient_idx ON health_visits (tenant_id, patient_id, day DESC);

-- Roles of the module for tenants provisioned before it (new tenants get them from SYSTEM_ROLES).
INSERT INTO roles (tenant_id, id, key, name, description, permissions, system, created_at)
SELECT t.id, gen_random_uuid(), r.key, r.name, r.description, r.permissions, true, now()
  FROM tenants t
 CROSS JOIN (VALUES
   ('health_admin', 'Admin layanan kesehatan', 'Dinas Kesehatan: mengelola fasilitas, poli, jam layanan dan kuota.', ARRAY['health.facilities.manage', 'health.patients.register', 'health.queue.operate']),
   ('health_counter', 'Petugas loket kesehatan', 'Loket puskesmas/rumah sakit: mendaftarkan pasien datang langsung dan melayani antrean.', ARRAY['health.patients.register', 'health.queue.operate'])
 ) AS r(key, name, description, permissions)
ON CONFLICT (tenant_id, key) DO NOTHING;
UPDATE roles SET permissions = permissions || ARRAY['health.facilities.manage', 'health.patients.register', 'health.queue.operate']
 WHERE key = 'admin' AND system AND NOT ('health.facilities.manage' = ANY (permissions));
