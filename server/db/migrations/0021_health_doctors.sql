-- Health: practitioners and their rosters. Who serves a poli at a moment: the weekly roster of
-- that weekday, minus leave, plus extra shifts (a swap is one practitioner's leave and another's
-- extra shift, linked by the swap's note).
CREATE TABLE health_practitioners (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  facility_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 3 AND 100),
  kind text NOT NULL CHECK (kind IN ('doctor', 'dentist', 'midwife', 'nurse', 'pharmacist')),
  -- Surat Tanda Registrasi (Konsil Kedokteran / KTKI), when known.
  str_number text CHECK (str_number ~ '^[0-9A-Z./-]{6,30}$'),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, facility_id) REFERENCES health_facilities (tenant_id, unit_id)
);
CREATE INDEX health_practitioners_facility_idx ON health_practitioners (tenant_id, facility_id, name);

-- The weekly roster: a practitioner serves a service on a weekday between two times.
CREATE TABLE health_rosters (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  practitioner_id uuid NOT NULL,
  service_id uuid NOT NULL,
  weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  starts_at time NOT NULL,
  ends_at time NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  CHECK (ends_at > starts_at),
  FOREIGN KEY (tenant_id, practitioner_id) REFERENCES health_practitioners (tenant_id, id),
  FOREIGN KEY (tenant_id, service_id) REFERENCES health_services (tenant_id, id)
);
CREATE INDEX health_rosters_service_idx ON health_rosters (tenant_id, service_id, weekday);
CREATE INDEX health_rosters_practitioner_idx ON health_rosters (tenant_id, practitioner_id, weekday);

-- Exceptions on a date: leave (absent between two times, the whole day by default) or an extra
-- shift at a service.
CREATE TABLE health_roster_exceptions (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  practitioner_id uuid NOT NULL,
  day date NOT NULL,
  kind text NOT NULL CHECK (kind IN ('leave', 'extra')),
  service_id uuid,
  starts_at time NOT NULL DEFAULT '00:00',
  ends_at time NOT NULL DEFAULT '23:59',
  note text CHECK (length(note) <= 300),
  created_by uuid,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  CHECK (ends_at > starts_at),
  CHECK ((kind = 'extra') = (service_id IS NOT NULL)),
  FOREIGN KEY (tenant_id, practitioner_id) REFERENCES health_practitioners (tenant_id, id),
  FOREIGN KEY (tenant_id, service_id) REFERENCES health_services (tenant_id, id)
);
CREATE INDEX health_roster_exceptions_day_idx ON health_roster_exceptions (tenant_id, day);
